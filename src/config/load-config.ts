import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../lib/index.js';

const portSchema = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SQLITE_FILE: z.string().min(1).optional(),
  PLAYBOOK_DIR: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  IMPORT_LIMIT_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  CLASSIFIER_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(64)]).default('auto'),
  // A number of hops is refused: Fastify 5 trusts nothing for one (a hop count cannot tell the proxy
  // from a client that sends enough X-Forwarded-For entries), so it would silently turn the setting off.
  TRUST_PROXY: z
    .string()
    .refine((v) => !/^\d+$/.test(v.trim()), 'a number of proxy hops is not supported; give the proxies\' addresses (for example 127.0.0.1 or 10.0.0.0/8) or true')
    .refine((v) => /^(true|false|[\d.:a-fA-F/]+(,\s*[\d.:a-fA-F/]+)*)$/.test(v), 'must be true, false, or a comma-separated list of proxy addresses/CIDRs')
    .default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
 * precedence. Throws CONFIG_INVALID naming every bad variable; the result is frozen.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Record<keyof z.input<typeof envSchema>, string>> = {}): Config {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = overrides[key as keyof typeof overrides] ?? env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? ''), message: issue.message }));
    throw new AppError('CONFIG_INVALID', `Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`, problems);
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
