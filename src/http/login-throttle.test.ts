import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.js';
import { AppError } from '../lib/index.js';
import { createTestDb, ENGINES } from '../../test/factories.js';
import { createLoginThrottle, type LoginThrottleOptions } from './login-throttle.js';

async function retryAfter(promise: Promise<void>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RATE_LIMITED');
    return ((error as AppError).details as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

describe.each(ENGINES)('createLoginThrottle on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(engine);
  });
  afterAll(async () => {
    await db?.close();
  });
  // Each test starts from an empty table: the counts are the database's, not the throttle's.
  const throttle = async (options: LoginThrottleOptions) => {
    await db.kysely.deleteFrom('login_failures').execute();
    return createLoginThrottle(db.kysely, options);
  };

  it('refuses an address after maxPerEmail failures for an email until the oldest one leaves the window (sliding), any case of the email', async () => {
    let now = 0;
    const t = await throttle({ maxPerEmail: 3, maxPerAddress: 100, windowMs: 60_000, now: () => now });
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(await retryAfter(t.check('a@x.test', 'ip1'))).toBeUndefined();
      await t.fail('A@x.test ', 'ip1');
    }
    now = 30_000;
    expect(await retryAfter(t.check('a@x.test', 'ip1'))).toBe(30);
    now = 60_000;
    expect(await retryAfter(t.check('a@x.test', 'ip1'))).toBeUndefined();
    await t.fail('a@x.test', 'ip1');
    expect(await retryAfter(t.check('a@x.test', 'ip1'))).toBe(10);
  });

  it('does not lock a person out from their own address because someone else guessed at their email', async () => {
    const t = await throttle({ maxPerEmail: 3, maxPerEmailTotal: 7, maxPerAddress: 100, now: () => 0 });
    for (let i = 0; i < 3; i++) await t.fail('victim@x.test', 'attacker');
    expect(await retryAfter(t.check('victim@x.test', 'attacker'))).toBe(900);
    expect(await retryAfter(t.check('victim@x.test', 'office'))).toBeUndefined();
    // Guessing spread over many addresses still locks the email itself, from everywhere.
    for (let i = 0; i < 4; i++) await t.fail('victim@x.test', `botnet-${i}`);
    expect(await retryAfter(t.check('victim@x.test', 'office'))).toBe(900);
  });

  it('counts per address across emails; a success clears only the email from that address', async () => {
    const t = await throttle({ maxPerEmail: 2, maxPerAddress: 3, now: () => 0 });
    await t.fail('a@x.test', 'ip1');
    await t.succeed('a@x.test', 'ip1');
    await t.fail('a@x.test', 'ip1');
    expect(await retryAfter(t.check('a@x.test', 'ip1'))).toBeUndefined();
    await t.fail('b@x.test', 'ip1');
    expect(await retryAfter(t.check('c@x.test', 'ip1'))).toBe(900);
    expect(await retryAfter(t.check('c@x.test', 'ip2'))).toBeUndefined();
  });

  it('counts a user\'s wrong current passwords from all addresses, with the address shared with sign-ins; a success clears the user', async () => {
    const t = await throttle({ maxPerEmail: 2, maxPerAddress: 3, now: () => 0 });
    await t.failUser(7, 'ip1');
    await t.failUser(7, 'ip2');
    expect(await retryAfter(t.checkUser(7, 'ip3'))).toBe(900);
    expect(await retryAfter(t.checkUser(8, 'ip3'))).toBeUndefined();
    await t.succeedUser(7);
    expect(await retryAfter(t.checkUser(7, 'ip3'))).toBeUndefined();
    await t.fail('a@x.test', 'ip1');
    await t.fail('b@x.test', 'ip1');
    expect(await retryAfter(t.checkUser(8, 'ip1'))).toBe(900);
  });

  it('shares the counts between throttles on one database, as between servers or across a restart', async () => {
    const first = await throttle({ maxPerEmail: 3, maxPerAddress: 100, now: () => 0 });
    const second = createLoginThrottle(db.kysely, { maxPerEmail: 3, maxPerAddress: 100, now: () => 1_000 });
    await first.fail('a@x.test', 'ip1');
    await first.fail('a@x.test', 'ip1');
    expect(await retryAfter(second.check('a@x.test', 'ip1'))).toBeUndefined();
    await second.fail('a@x.test', 'ip1');
    expect(await retryAfter(first.check('a@x.test', 'ip1'))).toBe(900);
    await second.succeed('a@x.test', 'ip1');
    expect(await retryAfter(first.check('a@x.test', 'ip1'))).toBeUndefined();
  });

  it('deletes failures older than the window: those of the keys it touches, and once a window every key\'s', async () => {
    let now = 0;
    const t = await throttle({ maxPerEmail: 5, maxPerAddress: 100, windowMs: 60_000, now: () => now });
    const rows = async () => (await db.kysely.selectFrom('login_failures').select(['key', 'at']).orderBy('key').orderBy('at').execute()).map((r) => `${r.key}@${Number(r.at)}`);
    await t.fail('old@x.test', 'ip1');
    now = 30_000;
    await t.fail('touched@x.test', 'ip2');
    expect(await rows()).toHaveLength(6);
    // A window after the last sweep, a failure sweeps every expired row, keys no one tries again included.
    now = 70_000;
    await t.fail('new@x.test', 'ip3');
    expect(await rows()).toEqual(['a:ip2@30000', 'a:ip3@70000', 'e:new@x.test@70000', 'e:new@x.test|ip3@70000', 'e:touched@x.test@30000', 'e:touched@x.test|ip2@30000']);
    // Between sweeps, a failure deletes the expired rows of the keys it counts against.
    now = 95_000;
    await t.fail('touched@x.test', 'ip2');
    expect(await rows()).toEqual(['a:ip2@95000', 'a:ip3@70000', 'e:new@x.test@70000', 'e:new@x.test|ip3@70000', 'e:touched@x.test@95000', 'e:touched@x.test|ip2@95000']);
  });
});
