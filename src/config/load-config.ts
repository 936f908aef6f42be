import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../lib/index.js';

/** A whole number written in digits only (no sign, point, exponent or hex), then range-checked. */
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SECRET_LENGTH = 32;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_IMPORT_LIMIT = 100 * 1024 * 1024;

/** A number of proxy hops (Fastify 5 trusts nothing for one), refused rather than silently turning the setting off. */
const isHopCount = (value: string) => /^\d+$/.test(value.trim());

const envSchema = z.object({
  PORT: wholeNumber(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SQLITE_FILE: z.string().min(1).optional(),
  PLAYBOOK_DIR: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(MIN_SECRET_LENGTH).optional(),
  SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  BODY_LIMIT_BYTES: wholeNumber(1).default(DEFAULT_BODY_LIMIT),
  IMPORT_LIMIT_BYTES: wholeNumber(1).default(DEFAULT_IMPORT_LIMIT),
  CLASSIFIER_WORKERS: z.union([z.literal('auto'), wholeNumber(0, 64)]).default('auto'),
  // A hop count cannot tell the proxy from a client that sends enough X-Forwarded-For entries.
  TRUST_PROXY: z
    .string()
    .refine((v) => !isHopCount(v))
    .refine((v) => /^(true|false|[\d.:a-fA-F/]+(,\s*[\d.:a-fA-F/]+)*)$/.test(v))
    .default('false'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

type Variable = keyof typeof envSchema.shape;

/** The value as given, quoted, with the password of a URL hidden. */
function quote(value: string): string {
  return JSON.stringify(value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'));
}

/**
 * What each variable must be, as a sentence naming it, the values it takes and the value given
 * (the session secret's length only: the secret itself is never printed).
 */
const REQUIREMENTS: Record<Variable, (value: string) => string> = {
  PORT: (v) => `PORT must be a whole number from 0 to 65535 (0 picks a free port), not ${quote(v)}.`,
  HOST: (v) => `HOST must be the interface address or host name to listen on, such as 127.0.0.1 or 0.0.0.0, not ${quote(v)}.`,
  DATABASE_URL: (v) => `DATABASE_URL must be a postgres:// (or postgresql://) URL, not ${quote(v)}; leave it unset to use SQLite (SQLITE_FILE, default unblock.db under DATA_DIR).`,
  DATA_DIR: (v) => `DATA_DIR must be the path of a folder, not ${quote(v)}.`,
  SQLITE_FILE: (v) => `SQLITE_FILE must be the path of a SQLite database file, not ${quote(v)}.`,
  PLAYBOOK_DIR: (v) => `PLAYBOOK_DIR must be the path of a folder of playbook pages, not ${quote(v)}.`,
  SESSION_SECRET: (v) => `SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters long; the one given has ${v.length}. A random one: openssl rand -hex 32.`,
  SECURE_COOKIES: (v) => `SECURE_COOKIES must be auto (secure when the request came over https), true or false, not ${quote(v)}.`,
  BODY_LIMIT_BYTES: (v) => `BODY_LIMIT_BYTES must be a whole number of bytes above 0 (default ${DEFAULT_BODY_LIMIT}, 1 MiB), not ${quote(v)}.`,
  IMPORT_LIMIT_BYTES: (v) => `IMPORT_LIMIT_BYTES must be a whole number of bytes above 0 (default ${DEFAULT_IMPORT_LIMIT}, 100 MiB), not ${quote(v)}.`,
  CLASSIFIER_WORKERS: (v) => `CLASSIFIER_WORKERS must be 'auto' or a whole number from 0 to 64, not ${quote(v)}.`,
  TRUST_PROXY: (v) => isHopCount(v)
    ? `TRUST_PROXY is a number of proxy hops (${quote(v)}), which is not supported: a hop count cannot tell the proxy from a client. Give the proxies' addresses (for example 127.0.0.1 or 10.0.0.0/8), or true.`
    : `TRUST_PROXY must be true, false, or a comma-separated list of proxy addresses or CIDR ranges (for example 127.0.0.1 or 10.0.0.0/8), not ${quote(v)}.`,
  LOG_LEVEL: (v) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${quote(v)}.`,
};

/**
 * The absolute data folder (DATA_DIR, default `./data` under the working folder) without validating
 * the rest of the environment: the CLI's model cache lives there, next to the server's.
 */
export function resolveDataDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.DATA_DIR || './data');
}

/**
 * Classifier worker threads for `cores` cores: one per core beyond the first (which the HTTP thread
 * keeps), at least 1 and at most 2. On 2 cores one worker and two measured the same.
 */
export function defaultClassifierWorkers(cores: number): number {
  return Math.max(1, Math.min(2, cores - 1));
}

/** Validated, frozen runtime configuration. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL URL, or null for the SQLite file `sqlitePath`. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  /** Absolute path of the SQLite database file (used when `databaseUrl` is null): SQLITE_FILE, default `unblock.db` under DATA_DIR. */
  readonly sqlitePath: string;
  /** Folder of playbook pages, or null for the built-in playbook. */
  readonly playbookDir: string | null;
  /** Secret for signing session cookies; random per process when not set (sessions then end on restart). */
  readonly sessionSecret: string;
  /** 'auto' marks cookies secure when the request came over https (directly or via a proxy). */
  readonly secureCookies: 'auto' | boolean;
  /** Largest JSON body accepted (default 1 MiB); larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** Largest CSV import accepted (default 100 MiB). */
  readonly importLimitBytes: number;
  readonly logLevel: string;
  /**
   * Whether X-Forwarded-* headers are believed (Fastify's trustProxy): false (default) for a server
   * clients reach directly, so a client cannot forge its address past the sign-in limit; true or the
   * proxies' addresses when it runs behind a reverse proxy.
   */
  readonly trustProxy: boolean | string;
  /** Worker threads that classify notes for the server (0: on the HTTP thread). 'auto' leaves one core to the HTTP thread: cores - 1, between 1 and 2. */
  readonly classifierWorkers: number;
}

/**
 * Reads configuration from `env` (default `process.env`), with `overrides` (e.g. CLI flags) taking
 * precedence. Throws BAD_ARGUMENTS (the CLI exits 2) with a sentence for every bad variable, naming it, what it
 * must be and the value given; `details` lists them as { variable, message }. The result is frozen.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Record<keyof z.input<typeof envSchema>, string>> = {}): Config {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = overrides[key as keyof typeof overrides] ?? env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    // One sentence per variable (a value can break more than one rule), in the schema's order.
    const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')));
    const problems = (Object.keys(REQUIREMENTS) as Variable[])
      .filter((variable) => refused.has(variable))
      .map((variable) => ({ variable, message: REQUIREMENTS[variable](raw[variable] ?? '') }));
    throw new AppError('BAD_ARGUMENTS', problems.map((p) => p.message).join(' '), problems);
  }
  const v = parsed.data;
  const dataDir = resolveDataDir({ DATA_DIR: v.DATA_DIR });
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL ?? null,
    dataDir,
    sqlitePath: v.SQLITE_FILE ? resolve(v.SQLITE_FILE) : resolve(dataDir, 'unblock.db'),
    playbookDir: v.PLAYBOOK_DIR ? resolve(v.PLAYBOOK_DIR) : null,
    sessionSecret: v.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    secureCookies: v.SECURE_COOKIES === 'auto' ? 'auto' : v.SECURE_COOKIES === 'true',
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    importLimitBytes: v.IMPORT_LIMIT_BYTES,
    logLevel: v.LOG_LEVEL,
    trustProxy: v.TRUST_PROXY === 'true' ? true : v.TRUST_PROXY === 'false' ? false : v.TRUST_PROXY,
    classifierWorkers: v.CLASSIFIER_WORKERS === 'auto' ? defaultClassifierWorkers(availableParallelism()) : v.CLASSIFIER_WORKERS,
  });
}
