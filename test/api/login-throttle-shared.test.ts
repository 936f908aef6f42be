/**
 * Several servers on one database share the sign-in limits: failures counted by one app refuse the
 * next attempt on another (in memory per process, N servers gave N times the limit). Each app has its
 * own connection to the database, as separate servers would: a SQLite file, a PostgreSQL schema.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../../src/app/index.js';
import { migrateToLatest, openDatabase, type DatabaseOptions, type Engine } from '../../src/db/index.js';
import { buildApp } from '../../src/http/index.js';
import { createUser, SYSTEM_ACTOR } from '../../src/tracker/index.js';
import { fixedClock, makeTaxonomy, TEST_DATABASE_URL } from '../factories.js';

describe.each<Engine>(['sqlite', 'postgres'])('sign-in limits shared by two servers on one %s database', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'unblock-throttle-'));
  const schema = `throttle_${process.pid}_${randomBytes(4).toString('hex')}`;
  const options: DatabaseOptions = engine === 'sqlite' ? { sqlitePath: join(dir, 'shared.sqlite') } : { url: TEST_DATABASE_URL, schema, poolSize: 2 };
  const servers: { services: Services; app: Awaited<ReturnType<typeof buildApp>> }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase(options);
      if (i === 0) await migrateToLatest(db.kysely, engine, engine === 'postgres' ? schema : undefined);
      const services = assembleServices({ db, taxonomy: makeTaxonomy(), clock: fixedClock() });
      servers.push({ services, app: await buildApp(services, { webDir: null, trustProxy: true }) });
    }
    await createUser(servers[0]!.services.tracker, SYSTEM_ACTOR, { email: 'shared@north.test', name: 'Shared', role: 'admin', partnerId: null, password: 'shared-pass-1' });
  });
  afterAll(async () => {
    for (const [i, { app, services }] of servers.entries()) {
      await app.close();
      if (i === 0 && engine === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(services.db.kysely);
      await services.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const login = (server: number, password: string, ip: string) =>
    servers[server]!.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': ip }, payload: { email: 'shared@north.test', password } });

  it('refuses the 11th attempt on the second server after 10 failures on the first, even with the right password', async () => {
    for (let i = 0; i < 10; i++) expect((await login(0, `wrong-${i}`, '10.20.0.1')).statusCode).toBe(401);
    const refused = await login(1, 'shared-pass-1', '10.20.0.1');
    expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
    // The owner still signs in from another address on either server, and that clears only their own address's count.
    expect((await login(1, 'shared-pass-1', '10.20.0.2')).statusCode).toBe(200);
    expect((await login(0, 'shared-pass-1', '10.20.0.1')).statusCode).toBe(429);
  });
});
