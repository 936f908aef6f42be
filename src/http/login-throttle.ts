/**
 * Login throttling: failed sign-ins are counted over a sliding window per email *from one client
 * address*, per email from all addresses (a higher limit, against guessing spread over many
 * addresses), and per address; a key with too many refuses further attempts (429 RATE_LIMITED with
 * Retry-After) until its oldest failure leaves the window. Counting the email per address means that
 * someone who types wrong passwords for another person's email locks out only their own address, not
 * that person; only failures from several addresses (the total limit) lock the email itself. A success
 * clears the email's count from that address. Wrong current passwords sent to change one's own
 * password are counted per user, from all addresses (10), and per address.
 *
 * The failures live in the database (table login_failures, migration 017), not in the process: servers
 * sharing a PostgreSQL database behind one address share the limits (in memory, spreading attempts over
 * N servers gave N times the limit), and a restart does not forget them. Not @fastify/rate-limit: that
 * plugin counts every request of a route and cannot count only failures nor forget them on success,
 * which is what stops password guessing without locking out a user who types their password right.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { AppError } from '../lib/index.js';

export interface LoginThrottleOptions {
  /** Failures per email from one address within the window before that address is refused for it (default 10). */
  maxPerEmail?: number;
  /** Failures per email from all addresses within the window before every sign-in for it is refused (default 100). */
  maxPerEmailTotal?: number;
  /** Failures per client address within the window (default 30: several users may share one address). */
  maxPerAddress?: number;
  /** The window in milliseconds (default 15 minutes). */
  windowMs?: number;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

export interface LoginThrottle {
  /** Rejects with RATE_LIMITED (details.retryAfterSeconds) when the email or the address has too many recent failures. */
  check(email: string, address: string): Promise<void>;
  /** Records a failed sign-in for every key it counts against. */
  fail(email: string, address: string): Promise<void>;
  /** Clears the email's failures from this address (the other counts age out). */
  succeed(email: string, address: string): Promise<void>;
  /**
   * The same for a signed-in user's password checks (PUT /api/me/password's current password), counted
   * per user id with the email limit, and per address together with sign-ins.
   */
  checkUser(userId: number, address: string): Promise<void>;
  failUser(userId: number, address: string): Promise<void>;
  succeedUser(userId: number): Promise<void>;
}

/** A throttle counting in `db`'s login_failures table; every throttle on the same database shares the counts. */
export function createLoginThrottle(db: Kysely<Database>, options: LoginThrottleOptions = {}): LoginThrottle {
  const maxPerEmail = options.maxPerEmail ?? 10;
  const maxPerEmailTotal = options.maxPerEmailTotal ?? 100;
  const maxPerAddress = options.maxPerAddress ?? 30;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  /** When this throttle last deleted every expired row; keys never touched again are swept then. */
  let lastSweep = -Infinity;

  const emailKey = (email: string) => `e:${email.trim().toLowerCase()}`;
  const addressKey = (address: string) => `a:${address}`;
  const userKey = (userId: number) => `u:${userId}`;
  const pairKey = (key: string, address: string) => `${key}|${address}`;

  /** The keys a failure counts against, with their limits. */
  const signInKeys = (email: string, address: string): [string, number][] => [[pairKey(emailKey(email), address), maxPerEmail], [emailKey(email), maxPerEmailTotal], [addressKey(address), maxPerAddress]];
  // Whoever checks a signed-in user's password holds that user's session already: there is no owner to
  // protect from a lock-out, so the user's count is not split by address.
  const userKeys = (userId: number, address: string): [string, number][] => [[userKey(userId), maxPerEmail], [addressKey(address), maxPerAddress]];

  /**
   * Seconds until `key` has fewer than `max` failures in the window (0: it has fewer now): until its
   * max-th newest failure leaves the window. One index range read (key, at) from the newest end.
   */
  async function retryAfter(key: string, max: number, at: number): Promise<number> {
    const row = await db.selectFrom('login_failures').select('at').where('key', '=', key).where('at', '>', at - windowMs)
      .orderBy('at', 'desc').limit(1).offset(max - 1).executeTakeFirst();
    return row ? Math.max(1, Math.ceil((Number(row.at) + windowMs - at) / 1000)) : 0;
  }

  async function check(keys: [string, number][], what: string): Promise<void> {
    const at = now();
    const waits = await Promise.all(keys.map(([key, max]) => retryAfter(key, max, at)));
    const wait = Math.max(...waits);
    if (wait > 0) {
      throw new AppError('RATE_LIMITED', `Too many failed ${what}; try again in ${wait >= 120 ? `${Math.ceil(wait / 60)} minutes` : `${wait} seconds`}.`, { retryAfterSeconds: wait });
    }
  }

  async function fail(keys: [string, number][]): Promise<void> {
    const at = now();
    const names = keys.map(([key]) => key);
    await db.insertInto('login_failures').values(names.map((key) => ({ key, at }))).execute();
    // A key's count never needs more than its window: prune the touched keys as we go (cheap, same
    // index), and at most once a window every expired row, for keys no one tries again.
    await db.deleteFrom('login_failures').where('key', 'in', names).where('at', '<=', at - windowMs).execute();
    if (at - lastSweep >= windowMs) {
      lastSweep = at;
      await db.deleteFrom('login_failures').where('at', '<=', at - windowMs).execute();
    }
  }

  const forget = async (key: string) => {
    await db.deleteFrom('login_failures').where('key', '=', key).execute();
  };

  return {
    check: (email, address) => check(signInKeys(email, address), 'sign-ins'),
    fail: (email, address) => fail(signInKeys(email, address)),
    succeed: (email, address) => forget(pairKey(emailKey(email), address)),
    checkUser: (userId, address) => check(userKeys(userId, address), 'password checks'),
    failUser: (userId, address) => fail(userKeys(userId, address)),
    succeedUser: (userId) => forget(userKey(userId)),
  };
}
