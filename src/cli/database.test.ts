import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../lib/index.js';
import { asSettingsError, cliConfig, databaseOverrides } from './database.js';

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

describe('a PostgreSQL URL the server refuses', () => {
  const refused = (reason: string, sqlstate?: string) => new AppError('CONFIG_INVALID', `Cannot connect to PostgreSQL (postgres://app:***@db.example/unblock): ${reason}`, sqlstate === undefined ? undefined : { sqlstate });

  it('is a usage error (exit 2) for a database, user or password it does not take, saying what to check', () => {
    for (const [reason, sqlstate, check] of [
      ['database "unblok" does not exist', '3D000', 'check the database name'],
      ['role "ap" does not exist', '28000', 'check the user name and password'],
      ['password authentication failed for user "app"', '28P01', 'check the user name and password'],
    ] as const) {
      const error = asSettingsError(refused(reason, sqlstate), 'report');
      expect(error?.code).toBe('BAD_ARGUMENTS');
      expect(error?.message).toBe(`Cannot connect to PostgreSQL (postgres://app:***@db.example/unblock): ${reason}; ${check} in --database or DATABASE_URL (\`unblock report\` works on an existing database and creates none).`);
    }
  });

  it('stays a failure (exit 1) when the server is down, does not answer, or fails otherwise', () => {
    expect(asSettingsError(refused('connect ECONNREFUSED 127.0.0.1:5432'), 'report')).toBeUndefined();
    expect(asSettingsError(refused('too many connections', '53300'), 'report')).toBeUndefined();
    expect(asSettingsError(new AppError('BAD_ARGUMENTS', 'no', { sqlstate: '3D000' }), 'report')).toBeUndefined();
    expect(asSettingsError(new Error('boom'), 'report')).toBeUndefined();
  });
});
