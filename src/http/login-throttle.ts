/**
 * Login throttling: failed sign-ins are counted per email and per client address over a sliding
 * window; a key with too many refuses further attempts (429 RATE_LIMITED with Retry-After) until its
 * oldest failure leaves the window. A success clears the email's count. Wrong current passwords sent
 * to change one's own password are counted the same way, per user.
 *
 * In memory and per process, not @fastify/rate-limit: that plugin counts every request of a route
 * and cannot count only failures nor forget them on success, which is what stops password guessing
 * without locking out a user who types their password right.
 */
import { AppError } from '../lib/index.js';

export interface LoginThrottleOptions {
  /** Failures per email within the window before sign-ins for it are refused (default 10). */
  maxPerEmail?: number;
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
  /** Clears the email's failures (the address keeps its count until it ages out). */
  succeed(email: string): void;
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

  function check(key: string, address: string, what: string): void {
    const at = now();
    const wait = Math.max(retryAfter(key, maxPerEmail, at), retryAfter(addressKey(address), maxPerAddress, at));
    if (wait > 0) {
      throw new AppError('RATE_LIMITED', `Too many failed ${what}; try again in ${wait >= 120 ? `${Math.ceil(wait / 60)} minutes` : `${wait} seconds`}.`, { retryAfterSeconds: wait });
    }
  }

  function fail(key: string, address: string): void {
    const at = now();
    record(key, maxPerEmail, at);
    record(addressKey(address), maxPerAddress, at);
  }

  return {
    check: (email, address) => check(emailKey(email), address, 'sign-ins'),
    fail: (email, address) => fail(emailKey(email), address),
    succeed(email) {
      failures.delete(emailKey(email));
    },
    checkUser: (userId, address) => check(userKey(userId), address, 'password checks'),
    failUser: (userId, address) => fail(userKey(userId), address),
    succeedUser(userId) {
      failures.delete(userKey(userId));
    },
  };
}
