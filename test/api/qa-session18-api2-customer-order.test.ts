/**
 * QA session 18 (API, second pass): lists that followed PostgreSQL's database collation.
 *
 * `GET /api/customers` lists customers A-Z by their name's key
 * (case and accents ignored) and, among names with one key (`Bob & Co`, `bob & co`), by the name. That
 * last step compared names in the database's collation on PostgreSQL: on one created with an en-US
 * locale `bob & co` came before `Bob & Co`, where SQLite (and PostgreSQL in the C locale) list them the
 * other way round, so the same request paged differently on the two engines. Names with one key now
 * follow in code point order on both, as the name keys themselves do (migration 018).
 *
 * `GET /api/users` lists users by email, likewise compared in the database's collation: en-US put
 * `a_b@` before `a-b@` and `a+b@` after both, SQLite `a+b@`, `a-b@`, `a_b@`. Now code point order on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../src/http/index.js';
import { assembleServices, type Services } from '../../src/app/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner, createToken, createUser } from '../../src/tracker/index.js';
import { compareCodePoints, nameKey } from '../../src/lib/text.js';
import { createTestDb, fakeClassifier, fakeNoteCoach, fixedClock, makeTaxonomy } from '../factories.js';
import { runOnServer, urlOf } from '../pg-databases.js';

const ICU_DATABASE = `qa18_api2_order_${process.pid}_${randomBytes(3).toString('hex')}`;
const CASES = [
  { name: 'sqlite', engine: 'sqlite' as const, icu: false },
  { name: 'postgres', engine: 'postgres' as const, icu: false },
  { name: 'postgres with an en-US collation', engine: 'postgres' as const, icu: true },
];
// Several spellings of one key each, where code point order and an en-US locale part.
const EMAILS = ['a_b@order.test', 'a-b@order.test', 'a.b@order.test', 'a+b@order.test', 'ab@order.test', 'a1@order.test'];
const NAMES = ['bob & co', 'Bob & Co', 'BOB & CO', 'Émile Conseil', 'emile conseil', 'Emile Conseil', 'adatum', 'Adatum', 'Zeta Labs', 'zeta labs'];

describe.each(CASES)('customers with one name key, listed on $name', ({ engine, icu }) => {
  let services: Services;
  let app: FastifyInstance;
  let token: string;
  let managerToken: string;

  beforeAll(async () => {
    if (icu) await runOnServer(`create database ${ICU_DATABASE} template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`);
    const db = await createTestDb(engine, icu ? { url: urlOf(ICU_DATABASE) } : {});
    services = assembleServices({ db, taxonomy: makeTaxonomy(), clock: fixedClock(), classifier: fakeClassifier, noteCoach: fakeNoteCoach });
    const partner = await createPartner(services.tracker, SYSTEM_ACTOR, { name: 'Order Partners' });
    const viewer = await createUser(services.tracker, SYSTEM_ACTOR, { email: 'viewer@order.test', name: 'Viewer', role: 'viewer', partnerId: partner.id });
    token = (await createToken(services.tracker, SYSTEM_ACTOR, { name: 'test', userId: viewer.id })).token;
    for (const email of EMAILS) await createUser(services.tracker, SYSTEM_ACTOR, { email, name: email.split('@')[0]!, role: 'editor', partnerId: partner.id });
    const manager = await createUser(services.tracker, SYSTEM_ACTOR, { email: 'manager@order.test', name: 'Manager', role: 'manager', partnerId: partner.id });
    managerToken = (await createToken(services.tracker, SYSTEM_ACTOR, { name: 'test', userId: manager.id })).token;
    for (const [i, name] of NAMES.entries()) await createCustomer(services.tracker, SYSTEM_ACTOR, { tenantId: `order-${i}`, name, partnerId: partner.id });
    app = await buildApp(services, { webDir: null });
  });

  afterAll(async () => {
    await app?.close();
    await services?.close();
    if (icu) await runOnServer(`drop database if exists ${ICU_DATABASE}`);
  });

  it('orders by the key, then the name in code point order, then the id: every page as on the other engine', async () => {
    const expected = [...NAMES].sort((a, b) => compareCodePoints(nameKey(a), nameKey(b)) || compareCodePoints(a, b));
    const whole = await app.inject({ url: '/api/customers', headers: { authorization: `Bearer ${token}` } });
    expect(whole.statusCode, whole.body).toBe(200);
    expect((whole.json().items as { name: string }[]).map((c) => c.name)).toEqual(expected);
    // Page by page, the same order: no customer twice, none left out.
    const paged: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await app.inject({ url: `/api/customers?pageSize=3&page=${page}`, headers: { authorization: `Bearer ${token}` } });
      expect(res.json().total).toBe(NAMES.length);
      paged.push(...(res.json().items as { name: string }[]).map((c) => c.name));
    }
    expect(paged).toEqual(expected);
  });

  it('lists users by email in code point order', async () => {
    const res = await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${managerToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    const emails = (res.json().items as { email: string }[]).map((u) => u.email);
    expect(emails).toEqual([...EMAILS, 'manager@order.test', 'viewer@order.test'].sort(compareCodePoints));
  });
});
