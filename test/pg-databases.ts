/** Databases of their own on the TEST_DATABASE_URL server, for the CLI tests that need a whole database. */
import pg from 'pg';
import { TEST_DATABASE_URL } from './factories.js';

/** TEST_DATABASE_URL with another database name. */
export function urlOf(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement (create database, drop database, ...) on the TEST_DATABASE_URL server. */
export async function runOnServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
