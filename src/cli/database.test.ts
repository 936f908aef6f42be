import { describe, expect, it } from 'vitest';
import { isAppError } from '../lib/index.js';
import { cliConfig, databaseOverrides } from './database.js';

describe('--database with a PostgreSQL URL', () => {
  it('takes the scheme in any case (schemes ignore case) and passes it on in lower case', () => {
    expect(databaseOverrides('POSTGRES://app@db.example/unblock')).toEqual({ DATABASE_URL: 'postgres://app@db.example/unblock' });
    expect(databaseOverrides(' PostgreSQL://app@db.example/Unblock ')).toEqual({ DATABASE_URL: 'postgresql://app@db.example/Unblock' });
    expect(cliConfig('POSTGRES://app:pw@db.example/unblock?sslmode=require').databaseUrl).toBe('postgres://app:pw@db.example/unblock?sslmode=require');
    expect(cliConfig('PostgreSQL://db.example/unblock').databaseUrl).toBe('postgresql://db.example/unblock');
  });

  it('still refuses another scheme, naming the flag', () => {
    const error = (() => {
      try {
        return cliConfig('MYSQL://app:pw@db.example/unblock');
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(error) && error.code).toBe('BAD_ARGUMENTS');
    expect((error as Error).message).toMatch(/^--database must be a postgres:\/\/ URL or the path of a SQLite file/);
  });
});
