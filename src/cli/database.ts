/** The database the `admin` and `report` commands work on: `--database` (a postgres:// URL or a SQLite file), else DATABASE_URL, else SQLITE_FILE, else SQLite under DATA_DIR. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServices, type Services } from '../app/services.js';
import { loadConfig, type Config } from '../config/index.js';
import { onFirstConnection, redactUrl } from '../db/index.js';
import { AppError, isAppError, postgresUrl } from '../lib/index.js';
import { asPlaybookArgumentError, noCodeMessage } from './playbook-dir.js';

/** The message for a `--database` that is neither a postgres:// URL nor a file path (its password hidden). */
export function badDatabaseFlag(database: unknown): AppError {
  return new AppError('BAD_ARGUMENTS', `--database must be a postgres:// URL or the path of a SQLite file (leave it out for unblock.db under DATA_DIR), not "${redactUrl(String(database))}".`);
}

/**
 * The configuration overrides of a `--database` flag: a postgres:// URL sets DATABASE_URL (its scheme in
 * any case, passed on in lower case); anything else without a scheme is a SQLite file (SQLITE_FILE),
 * which then wins over a DATABASE_URL in the environment. Throws BAD_ARGUMENTS for another scheme
 * (mysql://, sqlite://, ...).
 */
export function databaseOverrides(database: unknown): Record<string, string> {
  if (database === undefined) return {};
  const value = String(database).trim();
  const url = postgresUrl(value);
  if (url !== undefined) return { DATABASE_URL: url };
  if (value === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw badDatabaseFlag(database);
  if (existsSync(value) && statSync(value).isDirectory()) {
    throw new AppError('BAD_ARGUMENTS', `--database names the folder "${value}"; give the SQLite file itself (for example ${join(value, 'unblock.db')}), or use DATA_DIR for the folder.`);
  }
  return { SQLITE_FILE: value, DATABASE_URL: '' };
}

/** Whether the configuration's problems (CONFIG_INVALID details) include DATABASE_URL. */
export function databaseUrlRefused(error: unknown): boolean {
  const problems = isAppError(error) && Array.isArray(error.details) ? (error.details as { variable?: string }[]) : [];
  return problems.some((p) => p.variable === 'DATABASE_URL');
}

/**
 * The configuration with `--database` (and `--playbook`, for commands that take it) applied; a `--database`
 * that is not a postgres:// URL is an unusable argument (exit 2).
 */
export function cliConfig(database: unknown, playbook?: unknown): Config {
  const overrides: Record<string, string> = databaseOverrides(database);
  if (playbook !== undefined) {
    // An empty value would read as no PLAYBOOK_DIR, and the built-in playbook would be used without a word.
    if (typeof playbook !== 'string' || playbook.trim() === '') throw new AppError('BAD_ARGUMENTS', '--playbook needs a folder (or file) of playbook pages.');
    overrides.PLAYBOOK_DIR = playbook;
  }
  try {
    return loadConfig(process.env, overrides);
  } catch (error) {
    if (database !== undefined && databaseUrlRefused(error)) throw badDatabaseFlag(database);
    throw error;
  }
}

/** Where the data lives, for messages: the PostgreSQL URL without its password, or the SQLite file. */
export function describeDatabase(config: Config): string {
  return config.databaseUrl ? redactUrl(config.databaseUrl) : config.sqlitePath;
}

/**
 * Whether opening the database of `config` creates it: a SQLite file that is not there yet, or a
 * PostgreSQL database that holds none of Unblock's tables (opening it would create them all: the
 * migrations run on every open). PostgreSQL is asked over a connection of its own, which creates nothing.
 */
export async function createsDatabase(config: Config): Promise<boolean> {
  if (config.databaseUrl === null) return !existsSync(config.sqlitePath);
  // Kysely's migration table, looked up in the search path, where the migrations would create it.
  const { rows } = await onFirstConnection(config.databaseUrl, (client) => client.query<{ found: boolean }>(`select to_regclass('kysely_migration') is not null as found`));
  return rows[0]?.found !== true;
}

/** Where a command that creates no database looked, and the settings that choose another, for messages. */
export function noDatabaseMessage(config: Config, doesWhat: string): string {
  const where = config.databaseUrl === null ? `No database at ${config.sqlitePath}` : `No Unblock database at ${redactUrl(config.databaseUrl)}: it holds none of Unblock's tables`;
  return `${where}; ${doesWhat}. Give it the settings the server runs with: DATA_DIR (the folder holding the server's unblock.db), or --database with the server's file or postgres://... URL (or DATABASE_URL).`;
}

/**
 * Refuses (exit 2) a SQLite file that is not there, or a PostgreSQL database without Unblock's tables, for
 * a command that only reads: opening it would create an empty database, and the command would report
 * zeros instead of saying it looked in the wrong place (a DATA_DIR not set as the server's, another
 * working folder, another database name in the URL).
 */
export async function requireExistingDatabase(config: Config, command: string): Promise<void> {
  if (!(await checkCreatesDatabase(config, command))) return;
  throw new AppError('BAD_ARGUMENTS', noDatabaseMessage(config, `\`unblock ${command}\` only reads one and creates none`));
}

/**
 * {@link createsDatabase} for `command`, with a PostgreSQL database, user or password the server refuses
 * answered as a setting to correct (exit 2, {@link asSettingsError}) rather than an outage.
 */
export async function checkCreatesDatabase(config: Config, command: string): Promise<boolean> {
  try {
    return await createsDatabase(config);
  } catch (error) {
    throw asSettingsError(error, command) ?? error;
  }
}

/**
 * What to check when PostgreSQL refuses the URL itself, by SQLSTATE: a database or user name it does not
 * have, a wrong password, or a user it does not let in from here (28000 covers both the unknown role and
 * pg_hba.conf refusing it). These are settings to correct, not an outage, so they are usage errors (exit 2).
 */
const URL_REFUSALS: Record<string, string> = {
  '3D000': 'check the database name in',
  '28000': 'check the user name and password in',
  '28P01': 'check the user name and password in',
};

/**
 * A connection failure caused by the URL's database, user or password, as BAD_ARGUMENTS (exit 2) saying
 * that `command` needs an existing database and what to check in `flag` (the setting the URL came from,
 * --database or DATABASE_URL unless told); undefined for any other error (a server
 * that is down or does not answer stays a failure, exit 1). The message is the connection's, whose URL
 * already has its password hidden.
 */
export function asSettingsError(error: unknown, command: string, flag = '--database or DATABASE_URL'): AppError | undefined {
  if (!isAppError(error) || error.code !== 'CONFIG_INVALID') return undefined;
  const sqlstate = (error.details as { sqlstate?: unknown } | undefined)?.sqlstate;
  const check = typeof sqlstate === 'string' ? URL_REFUSALS[sqlstate] : undefined;
  if (check === undefined) return undefined;
  return new AppError('BAD_ARGUMENTS', `${error.message}; ${check} ${flag} (\`unblock ${command}\` works on an existing database and creates none).`, error.details);
}

/**
 * The services of a command that works on an existing tracker database: `--database` and `--playbook`
 * applied, a missing SQLite file refused (exit 2, {@link requireExistingDatabase}), and a playbook
 * folder that cannot be used or defines no code reported as the argument it came from (exit 2), as `serve` does.
 */
export async function openExistingTracker(
  args: { database?: unknown; playbook?: unknown },
  command: string,
  options: Parameters<typeof createServices>[1] = {},
): Promise<{ config: Config; services: Services }> {
  const config = cliConfig(args.database, args.playbook);
  await requireExistingDatabase(config, command);
  const source = args.playbook !== undefined ? '--playbook' : 'PLAYBOOK_DIR';
  let services: Services;
  try {
    services = await createServices(config, options);
  } catch (error) {
    throw config.playbookDir ? asPlaybookArgumentError(error, source) : error;
  }
  // Pages that define no code are refused as `serve` refuses them: the reports would name no status,
  // and an import would fail every row as a status the playbook lacks.
  if (config.playbookDir && services.taxonomy().codes.length === 0) {
    await services.close();
    throw new AppError('BAD_ARGUMENTS', noCodeMessage({ source, path: config.playbookDir }));
  }
  return { config, services };
}
