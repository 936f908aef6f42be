import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../lib/index.js';
import { defaultClassifierWorkers, loadConfig, resolveDataDir } from './load-config.js';

describe('classifier workers setting', () => {
  it('leaves one core to the HTTP thread, between 1 and 2 workers', () => {
    expect([1, 2, 3, 4, 16].map(defaultClassifierWorkers)).toEqual([1, 1, 2, 2, 2]);
  });

  it('reads CLASSIFIER_WORKERS: a number, or auto', () => {
    expect(loadConfig({ CLASSIFIER_WORKERS: '0' }).classifierWorkers).toBe(0);
    expect(loadConfig({ CLASSIFIER_WORKERS: '3' }).classifierWorkers).toBe(3);
    expect(loadConfig({}).classifierWorkers).toBe(defaultClassifierWorkers(availableParallelism()));
    expect(loadConfig({ CLASSIFIER_WORKERS: '2' }, { CLASSIFIER_WORKERS: 'auto' }).classifierWorkers).toBe(defaultClassifierWorkers(availableParallelism()));
  });

  it('names the variable when the value is wrong', () => {
    for (const bad of ['many', '-1', '1.5']) {
      try {
        loadConfig({ CLASSIFIER_WORKERS: bad });
        expect.unreachable(`accepted ${bad}`);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('BAD_ARGUMENTS');
        expect((error as AppError).message).toBe(`CLASSIFIER_WORKERS must be 'auto' or a whole number from 0 to 64, not "${bad}".`);
      }
    }
  });
});

describe('data folder', () => {
  it('resolves DATA_DIR (default ./data under the working folder) the same way for the CLI and the server', () => {
    expect(resolveDataDir({ DATA_DIR: '/srv/unblock' })).toBe('/srv/unblock');
    expect(resolveDataDir({})).toBe(resolve('data'));
    expect(resolveDataDir({ DATA_DIR: '' })).toBe(resolve('data'));
    expect(loadConfig({ DATA_DIR: '/srv/unblock' }).dataDir).toBe(resolveDataDir({ DATA_DIR: '/srv/unblock' }));
  });
});

describe('TRUST_PROXY', () => {
  it('reads true, false and proxy addresses, and refuses a number of hops (Fastify would silently trust nothing)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1, 10.0.0.0/8');
    for (const bad of ['1', '2', 'yes please']) {
      try {
        loadConfig({ TRUST_PROXY: bad });
        expect.unreachable(`accepted ${bad}`);
      } catch (error) {
        expect((error as AppError).code).toBe('BAD_ARGUMENTS');
        expect((error as AppError).message).toContain(`TRUST_PROXY`);
        expect((error as AppError).message).toContain(`"${bad}"`);
        expect((error as AppError).message).toMatch(/^\d+$/.test(bad) ? /number of proxy hops \("\d+"\), which is not supported/ : /must be true, false, or a comma-separated list of proxy addresses/);
      }
    }
  });
});

/** The error loadConfig throws for `env` (fails the test when it accepts it). */
function refusal(env: Record<string, string>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  return expect.unreachable(`accepted ${JSON.stringify(env)}`);
}

describe('a bad environment variable', () => {
  it('a number: names the variable, the range and the value given, in a sentence (no validator wording)', () => {
    expect(refusal({ PORT: 'abc' }).message).toBe('PORT must be a whole number from 0 to 65535 (0 picks a free port), not "abc".');
    for (const bad of ['-1', '1.5', '65536', '1e3', '0x10', ' ']) {
      expect(refusal({ PORT: bad }).message).toBe(`PORT must be a whole number from 0 to 65535 (0 picks a free port), not ${JSON.stringify(bad)}.`);
    }
    for (const variable of ['BODY_LIMIT_BYTES', 'IMPORT_LIMIT_BYTES']) {
      for (const bad of ['-1', '0', 'lots', '2.5']) {
        const error = refusal({ [variable]: bad });
        expect(error.message).toMatch(new RegExp(`^${variable} must be a whole number of bytes above 0 \\(default \\d+, \\d+ MiB\\), not "${bad.replace('.', '\\.')}"\\.$`));
      }
    }
    expect(refusal({ CLASSIFIER_WORKERS: 'x' }).message).toBe(`CLASSIFIER_WORKERS must be 'auto' or a whole number from 0 to 64, not "x".`);
    expect(refusal({ CLASSIFIER_WORKERS: '65' }).message).toContain('from 0 to 64');
    // Still read as before.
    expect(loadConfig({ PORT: '0', BODY_LIMIT_BYTES: '2048', IMPORT_LIMIT_BYTES: ' 4096 ' })).toMatchObject({ port: 0, bodyLimitBytes: 2048, importLimitBytes: 4096 });
  });

  it('an enum or a boolean: lists the values it takes', () => {
    expect(refusal({ LOG_LEVEL: 'verbose' }).message).toBe('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose".');
    expect(refusal({ SECURE_COOKIES: 'yes' }).message).toBe('SECURE_COOKIES must be auto (secure when the request came over https), true or false, not "yes".');
    expect(loadConfig({ SECURE_COOKIES: 'false', LOG_LEVEL: 'debug' })).toMatchObject({ secureCookies: false, logLevel: 'debug' });
  });

  it('a URL: says which kind, without printing its password; a secret: says how long it is, never what it is', () => {
    const url = refusal({ DATABASE_URL: 'mysql://app:hunter2@db.example/unblock' });
    expect(url.message).toContain('DATABASE_URL must be a postgres:// (or postgresql://) URL, not "mysql://app:***@db.example/unblock"');
    expect(url.message).not.toContain('hunter2');
    const secret = refusal({ SESSION_SECRET: 'short-secret' });
    expect(secret.message).toBe('SESSION_SECRET must be at least 32 characters long; the one given has 12. A random one: openssl rand -hex 32.');
    expect(secret.message).not.toContain('short-secret');
  });

  it('a PostgreSQL URL whatever the case of its scheme (schemes ignore case), read with the scheme in lower case', () => {
    expect(loadConfig({ DATABASE_URL: 'POSTGRES://App:Pw@DB.example/Unblock' }).databaseUrl).toBe('postgres://App:Pw@DB.example/Unblock');
    expect(loadConfig({ DATABASE_URL: 'PostgreSQL://db.example/unblock?sslmode=require' }).databaseUrl).toBe('postgresql://db.example/unblock?sslmode=require');
    expect(loadConfig({}, { DATABASE_URL: 'Postgres://db.example/unblock' }).databaseUrl).toBe('postgres://db.example/unblock');
    expect(refusal({ DATABASE_URL: 'POSTGRESS://db.example/unblock' }).message).toContain('DATABASE_URL must be a postgres:// (or postgresql://) URL');
  });

  it('a host or a path: a blank host is refused; paths are resolved', () => {
    expect(refusal({ HOST: '  ' }).message).toBe('HOST must be the interface address or host name to listen on, such as 127.0.0.1 or 0.0.0.0, not "  ".');
    const config = loadConfig({ DATA_DIR: 'some/data', SQLITE_FILE: 'other/app.db', PLAYBOOK_DIR: 'pages' });
    expect([config.dataDir, config.sqlitePath, config.playbookDir]).toEqual([resolve('some/data'), resolve('other/app.db'), resolve('pages')]);
  });

  it('is an unusable argument (BAD_ARGUMENTS), with a sentence and a detail for every bad variable', () => {
    const error = refusal({ PORT: 'abc', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: '-1' });
    expect(error.code).toBe('BAD_ARGUMENTS');
    expect((error.details as { variable: string }[]).map((d) => d.variable)).toEqual(['PORT', 'BODY_LIMIT_BYTES', 'LOG_LEVEL']);
    expect(error.message).toMatch(/^PORT must be .* not "abc"\. BODY_LIMIT_BYTES must be .* not "-1"\. LOG_LEVEL must be .* not "loud"\.$/);
    expect(error.message).not.toMatch(/Invalid input|Too small|expected number/);
  });
});

describe('checks without a schema library', () => {
  // The rules the environment was checked with before loadConfig did it by hand: each value must be
  // accepted or refused, and read, exactly as then.
  const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) => z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
  const reference = {
    PORT: wholeNumber(0, 65535),
    HOST: z.string().trim().min(1),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//),
    SESSION_SECRET: z.string().min(32),
    SECURE_COOKIES: z.enum(['auto', 'true', 'false']),
    BODY_LIMIT_BYTES: wholeNumber(1),
    CLASSIFIER_WORKERS: z.union([z.literal('auto'), wholeNumber(0, 64)]),
    TRUST_PROXY: z.string().refine((v) => !/^\d+$/.test(v.trim())).refine((v) => /^(true|false|[\d.:a-fA-F/]+(,\s*[\d.:a-fA-F/]+)*)$/.test(v)),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  };
  const field = { PORT: 'port', HOST: 'host', DATABASE_URL: 'databaseUrl', SESSION_SECRET: 'sessionSecret', SECURE_COOKIES: 'secureCookies', BODY_LIMIT_BYTES: 'bodyLimitBytes', CLASSIFIER_WORKERS: 'classifierWorkers', TRUST_PROXY: 'trustProxy', LOG_LEVEL: 'logLevel' } as const;
  const values = ['0', '1', ' 42 ', '64', '65', '65535', '65536', '-1', '+1', '1.5', '1e3', '0x10', '9'.repeat(400), ' ', 'x', 'auto', ' auto', 'true', 'false', 'True', 'info', 'INFO', '10.0.0.0/8', '127.0.0.1, ::1', '2', 'postgres://u@h/db', 'postgresql://h/db', ' postgres://h/db', 'a'.repeat(31), 'a'.repeat(32)];

  it('accepts and refuses each value as the schema did, and reads it the same', () => {
    for (const [variable, schema] of Object.entries(reference) as [keyof typeof reference, z.ZodTypeAny][]) {
      for (const value of values) {
        const expected = schema.safeParse(value);
        let actual: Record<string, unknown> | undefined;
        try {
          actual = loadConfig({ [variable]: value }) as unknown as Record<string, unknown>;
        } catch (error) {
          expect((error as AppError).details, `${variable}=${JSON.stringify(value)}`).toEqual([expect.objectContaining({ variable })]);
        }
        expect(actual !== undefined, `${variable}=${JSON.stringify(value)}`).toBe(expected.success);
        if (!actual || !expected.success) continue;
        const read = actual[field[variable]];
        if (variable === 'SECURE_COOKIES') expect(read).toBe(value === 'auto' ? 'auto' : value === 'true');
        else if (variable === 'TRUST_PROXY') expect(read).toBe(value === 'true' ? true : value === 'false' ? false : value);
        else if (variable === 'CLASSIFIER_WORKERS' && value === 'auto') expect(read).toBe(defaultClassifierWorkers(availableParallelism()));
        else expect(read, `${variable}=${JSON.stringify(value)}`).toBe(expected.data);
      }
    }
  });

  it('lists every refused variable, in the same order, whatever order the environment has', () => {
    try {
      loadConfig({ LOG_LEVEL: 'loud', PORT: 'x', TRUST_PROXY: '1' });
      expect.unreachable('accepted');
    } catch (error) {
      expect(((error as AppError).details as { variable: string }[]).map((p) => p.variable)).toEqual(['PORT', 'TRUST_PROXY', 'LOG_LEVEL']);
    }
  });
});
