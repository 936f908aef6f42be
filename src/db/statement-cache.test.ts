import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachePreparedStatements } from './statement-cache.js';

describe('prepared statement cache', () => {
  const handle = new SQLite(':memory:');
  handle.exec('create table t (n integer)');
  handle.exec('insert into t values (1), (2), (3)');

  it('hands back the same statement for the same SQL', () => {
    const db = cachePreparedStatements(handle, 2);
    const a = db.prepare('select n from t order by n');
    expect(db.prepare('select n from t order by n')).toBe(a);
    expect(a.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const db = cachePreparedStatements(handle, 2);
    const sql = 'select n from t order by n';
    const first = db.prepare(sql);
    const iterator = first.iterate([]);
    iterator.next();
    const second = db.prepare(sql);
    expect(second).not.toBe(first);
    expect(second.all([])).toHaveLength(3);
    iterator.return?.();
    expect(db.prepare(sql)).toBe(first);
  });

  it('drops the least recently used statement past its capacity', () => {
    const db = cachePreparedStatements(handle, 2);
    const a = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1');
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(a);
    const b2 = db.prepare('select 2');
    expect(db.prepare('select 2')).toBe(b2);
  });
});
