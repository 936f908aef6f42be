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
 * In memory and per process, not @fastify/rate-limit: that plugin counts every request of a route
 * and cannot count only failures nor forget them on success, which is what stops password guessing
 * without locking out a user who types their password right.
 */
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
  /** Keys tracked at most; the oldest are dropped beyond it (default 100,000), so memory stays bounded. */
  maxKeys?: number;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

export interface LoginThrottle {
  /** Throws RATE_LIMITED (details.retryAfterSeconds) when the email or the address has too many recent failures. */
  check(email: string, address: string): void;
  /** Records a failed sign-in for both keys. */
  fail(email: string, address: string): void;
  /** Clears the email's failures from this address (the other counts age out). */
  succeed(email: string, address: string): void;
  /**
   * The same for a signed-in user's password checks (PUT /api/me/password's current password), counted
   * per user id with the email limit, and per address together with sign-ins.
   */
  checkUser(userId: number, address: string): void;
  failUser(userId: number, address: string): void;
  succeedUser(userId: number): void;
}

/** A throttle with its own counters; one per app. */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const maxPerEmail = options.maxPerEmail ?? 10;
  const maxPerEmailTotal = options.maxPerEmailTotal ?? 100;
  const maxPerAddress = options.maxPerAddress ?? 30;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  /** Failure times per key, oldest first, at most the key's limit. */
  const failures = new Map<string, number[]>();

  const emailKey = (email: string) => `e:${email.trim().toLowerCase()}`;
  const addressKey = (address: string) => `a:${address}`;
  const userKey = (userId: number) => `u:${userId}`;

  function recent(key: string, at: number): number[] {
    const times = failures.get(key);
    if (!times) return [];
    while (times.length > 0 && times[0]! <= at - windowMs) times.shift();
    if (times.length === 0) failures.delete(key);
    return times;
  }

  function retryAfter(key: string, max: number, at: number): number {
    const times = recent(key, at);
    return times.length >= max ? Math.max(1, Math.ceil((times[times.length - max]! + windowMs - at) / 1000)) : 0;
  }

  function record(key: string, max: number, at: number): void {
    const times = recent(key, at);
    failures.delete(key);
    times.push(at);
    if (times.length > max) times.splice(0, times.length - max);
    failures.set(key, times);
    if (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
  }

  const pairKey = (key: string, address: string) => `${key}|${address}`;

  /** The keys a failure counts against, with their limits. */
  const signInKeys = (email: string, address: string): [string, number][] => [[pairKey(emailKey(email), address), maxPerEmail], [emailKey(email), maxPerEmailTotal], [addressKey(address), maxPerAddress]];
  // Whoever checks a signed-in user's password holds that user's session already: there is no owner to
  // protect from a lock-out, so the user's count is not split by address.
  const userKeys = (userId: number, address: string): [string, number][] => [[userKey(userId), maxPerEmail], [addressKey(address), maxPerAddress]];

  function check(keys: [string, number][], what: string): void {
    const at = now();
    const wait = Math.max(...keys.map(([key, max]) => retryAfter(key, max, at)));
    if (wait > 0) {
      throw new AppError('RATE_LIMITED', `Too many failed ${what}; try again in ${wait >= 120 ? `${Math.ceil(wait / 60)} minutes` : `${wait} seconds`}.`, { retryAfterSeconds: wait });
    }
  }

  function fail(keys: [string, number][]): void {
    const at = now();
    for (const [key, max] of keys) record(key, max, at);
  }

  return {
    check: (email, address) => check(signInKeys(email, address), 'sign-ins'),
    fail: (email, address) => fail(signInKeys(email, address)),
    succeed(email, address) {
      failures.delete(pairKey(emailKey(email), address));
    },
    checkUser: (userId, address) => check(userKeys(userId, address), 'password checks'),
    failUser: (userId, address) => fail(userKeys(userId, address)),
    succeedUser(userId) {
      failures.delete(userKey(userId));
    },
  };
}
