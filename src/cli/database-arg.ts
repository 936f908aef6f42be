/**
 * The `--database` option of the commands that work on an existing tracker database (report, import,
 * export). Kept apart from database.ts, which opens the database: a command's options (and its
 * `--help`) are read without loading the database drivers.
 */
export const existingDatabaseArg = {
  type: 'string',
  valueHint: 'url|file',
  description: 'postgres:// URL (env DATABASE_URL) or a SQLite file (env SQLITE_FILE); default SQLite unblock.db under DATA_DIR (default ./data); it must exist',
} as const;
