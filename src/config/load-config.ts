import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { AppError, postgresUrl, redactUrl } from '../lib/index.js';
import { defaultClassifierWorkers, resolveDataDir } from './data-dir.js';

export { defaultClassifierWorkers, resolveDataDir } from './data-dir.js';

/*
 * The environment is checked by hand rather than with a schema library: every CLI command reads it,
 * and loading one cost more start-up time than the whole check. Each variable has a parser that
 * answers its value, or undefined for a value it refuses (REQUIREMENTS then says why).
 */

/** A whole number written in digits only (no sign, point, exponent or hex; spaces around are allowed), then range-checked. */
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) => (value: string): number | undefined => {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

/** One of `values`, exactly as written. */
const oneOf = <T extends string>(values: readonly T[]) => (value: string): T | undefined => (values as readonly string[]).includes(value) ? (value as T) : undefined;

/** Any text of at least `length` characters, as given. */
const atLeast = (length: number) => (value: string): string | undefined => (value.length >= length ? value : undefined);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SECRET_LENGTH = 32;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_IMPORT_LIMIT = 100 * 1024 * 1024;

/** A number of proxy hops (Fastify 5 trusts nothing for one), refused rather than silently turning the setting off. */
const isHopCount = (value: string) => /^\d+$/.test(value.trim());

/** Each variable: its parser and the value it takes when not set (or set to ''), in the order problems are listed. */
const VARIABLES = {
  PORT: { parse: wholeNumber(0, 65535), fallback: 3000 },
  HOST: { parse: (v: string) => (v.trim().length >= 1 ? v.trim() : undefined), fallback: '127.0.0.1' },
  DATABASE_URL: { parse: postgresUrl, fallback: undefined },
  DATA_DIR: { parse: atLeast(1), fallback: './data' },
  SQLITE_FILE: { parse: atLeast(1), fallback: undefined },
  PLAYBOOK_DIR: { parse: atLeast(1), fallback: undefined },
  SESSION_SECRET: { parse: atLeast(MIN_SECRET_LENGTH), fallback: undefined },
  SECURE_COOKIES: { parse: oneOf(['auto', 'true', 'false'] as const), fallback: 'auto' },
  BODY_LIMIT_BYTES: { parse: wholeNumber(1), fallback: DEFAULT_BODY_LIMIT },
  IMPORT_LIMIT_BYTES: { parse: wholeNumber(1), fallback: DEFAULT_IMPORT_LIMIT },
  CLASSIFIER_WORKERS: { parse: (v: string) => (v === 'auto' ? ('auto' as const) : wholeNumber(0, 64)(v)), fallback: 'auto' },
  // A hop count cannot tell the proxy from a client that sends enough X-Forwarded-For entries.
  TRUST_PROXY: { parse: (v: string) => (!isHopCount(v) && /^(true|false|[\d.:a-fA-F/]+(,\s*[\d.:a-fA-F/]+)*)$/.test(v) ? v : undefined), fallback: 'false' },
  LOG_LEVEL: { parse: oneOf(LOG_LEVELS), fallback: 'info' },
} as const;

type Variable = keyof typeof VARIABLES;

/** Every environment variable the configuration reads, in the order problems are listed (`unblock serve --help` lists them). */
export const CONFIG_VARIABLES = Object.keys(VARIABLES) as readonly Variable[];
type Parsed = { -readonly [K in Variable]: Exclude<ReturnType<(typeof VARIABLES)[K]['parse']>, undefined> | (typeof VARIABLES)[K]['fallback'] };

/** The value as given, quoted, with the password of a URL hidden. */
function quote(value: string): string {
  return JSON.stringify(redactUrl(value));
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
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Record<Variable, string>> = {}): Config {
  const values: Partial<Record<Variable, unknown>> = {};
  const problems: { variable: Variable; message: string }[] = [];
  for (const variable of Object.keys(VARIABLES) as Variable[]) {
    const given = overrides[variable] ?? env[variable];
    const { parse, fallback } = VARIABLES[variable];
    if (given === undefined || given === '') {
      values[variable] = fallback;
      continue;
    }
    const value = parse(given);
    // One sentence per refused variable, in this order.
    if (value === undefined) problems.push({ variable, message: REQUIREMENTS[variable](given) });
    else values[variable] = value;
  }
  if (problems.length > 0) throw new AppError('BAD_ARGUMENTS', problems.map((p) => p.message).join(' '), problems);
  const v = values as Parsed;
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
