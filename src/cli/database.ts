/** The database the `admin` and `report` commands work on: `--database`, else DATABASE_URL, else SQLite under DATA_DIR. */
import { loadConfig, type Config } from '../config/index.js';
import { redactUrl } from '../db/index.js';
import { AppError, isAppError } from '../lib/index.js';

/**
 * The configuration with `--database` (and `--playbook`, for commands that take it) applied; a `--database`
 * that is not a postgres:// URL is an unusable argument (exit 2).
 */
export function cliConfig(database: unknown, playbook?: unknown): Config {
  const overrides: Record<string, string> = {};
  if (database !== undefined) overrides.DATABASE_URL = String(database);
  if (playbook !== undefined) overrides.PLAYBOOK_DIR = String(playbook);
  try {
    return loadConfig(process.env, overrides);
  } catch (error) {
    const problems = isAppError(error) && Array.isArray(error.details) ? (error.details as { variable?: string }[]) : [];
    if (database !== undefined && problems.some((p) => p.variable === 'DATABASE_URL')) {
      throw new AppError('BAD_ARGUMENTS', `--database must be a postgres:// URL (leave it out for SQLite under DATA_DIR), not "${redactUrl(String(database))}".`);
    }
    throw error;
  }
}

/** Where the data lives, for messages: the PostgreSQL URL without its password, or the SQLite file. */
export function describeDatabase(config: Config): string {
  return config.databaseUrl ? redactUrl(config.databaseUrl) : config.sqlitePath;
}
