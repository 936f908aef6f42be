/**
 * The users list reads the email index in order instead of sorting every user. On PostgreSQL it sorted
 * `email collate "C"`, which the unique index (built in the database's collation) could not give: a full
 * scan and sort, 26-31 ms at 50,000 users. Migration 020 makes the column itself collate "C", so the
 * index is in code point order; sign-in and lookups by email (lower-cased in JavaScript, compared
 * exactly) and the uniqueness of emails are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type KyselyPlugin, type RootOperationNode, type CompiledQuery } from 'kysely';
import type { Db } from '../../src/db/index.js';
import { compareCodePoints } from '../../src/lib/index.js';
import { SYSTEM_ACTOR, authenticatePassword, createPartner, createUser, findUserByEmail, listUsers, type TrackerContext } from '../../src/tracker/index.js';
import { createTestDb, ENGINES, expectCode, fixedClock, makeTaxonomy } from '../factories.js';

const USERS = 50_000;

describe.each(ENGINES)('users by email on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let captured: CompiledQuery[] = [];

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    // Records each statement as compiled, so the test explains the very query listUsers runs.
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        captured.push(db.kysely.getExecutor().compileQuery(args.node as RootOperationNode, args.queryId));
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    ctx = { db: { ...db, kysely: db.kysely.withPlugin(capture) }, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
  }, 60_000);
  afterAll(async () => db?.close());

  it('lists in code point order and keeps sign-in, lookups and uniqueness as they were', async () => {
    const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Mail order' });
    const emails = ['a_b@x.test', 'a-b@x.test', 'A+b@x.test', 'zed@x.test', 'Émile@x.test', 'bob@x.test'];
    for (const email of emails) await createUser(ctx, SYSTEM_ACTOR, { email, name: email, role: 'editor', partnerId: partner.id, password: 'correct horse battery' });
    const listed = (await listUsers(ctx, SYSTEM_ACTOR)).map((u) => u.email);
    expect(listed).toEqual(emails.map((e) => e.toLowerCase()).sort(compareCodePoints));
    expect(listed).toEqual(['a+b@x.test', 'a-b@x.test', 'a_b@x.test', 'bob@x.test', 'zed@x.test', 'émile@x.test']);
    await expectCode(createUser(ctx, SYSTEM_ACTOR, { email: 'BOB@x.test', name: 'Bob again', role: 'editor', partnerId: partner.id }), 'CONFLICT');
    expect((await findUserByEmail(ctx, SYSTEM_ACTOR, ' ÉMILE@X.TEST '))?.email).toBe('émile@x.test');
    expect(await authenticatePassword(ctx, 'A_B@x.test', 'correct horse battery')).toMatchObject({ name: 'a_b@x.test' });
    expect(await authenticatePassword(ctx, 'a_b@x.test', 'wrong')).toBeUndefined();
  });

  it(`reads the email index in order for the list of ${USERS.toLocaleString('en')} users`, async () => {
    const now = new Date().toISOString();
    if (engine === 'postgres') {
      await sql`insert into users (email, name, role, partner_id, disabled, created_at, must_change_password)
        select 'user' || i || '@bulk.test', 'User ' || i, 'viewer', null, 0, ${now}, 0 from generate_series(1, ${USERS}) i`.execute(db.kysely);
      await sql`analyze users`.execute(db.kysely);
    } else {
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${USERS})
        insert into users (email, name, role, partner_id, disabled, created_at, must_change_password) select 'user' || i || '@bulk.test', 'User ' || i, 'viewer', null, 0, ${now}, 0 from n`.execute(db.kysely);
      await sql`analyze users`.execute(db.kysely);
    }
    captured = [];
    const users = await listUsers(ctx, SYSTEM_ACTOR);
    expect(users.length).toBeGreaterThan(USERS);
    const list = captured.find((q) => /order by/i.test(q.sql))!;
    expect(list).toBeDefined();
    if (engine === 'postgres') {
      const plan = (await sql.raw<{ 'QUERY PLAN': string }>(`explain ${list.sql}`).execute(db.kysely)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using users_email_key/);
      expect(plan).not.toMatch(/Sort/);
    } else {
      const plan = (await sql.raw<{ detail: string }>(`explain query plan ${list.sql}`).execute(db.kysely)).rows.map((r) => r.detail).join('\n');
      expect(plan).toMatch(/USING INDEX/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  }, 60_000);
});
