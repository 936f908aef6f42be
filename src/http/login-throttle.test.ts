import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/index.js';
import { createLoginThrottle } from './login-throttle.js';

function retryAfter(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RATE_LIMITED');
    return ((error as AppError).details as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

describe('createLoginThrottle', () => {
  it('refuses after maxPerEmail failures until the oldest one leaves the window (sliding), any case of the email', () => {
    let now = 0;
    const t = createLoginThrottle({ maxPerEmail: 3, maxPerAddress: 100, windowMs: 60_000, now: () => now });
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(retryAfter(() => t.check('a@x.test', 'ip1'))).toBeUndefined();
      t.fail('A@x.test ', 'ip1');
    }
    now = 30_000;
    expect(retryAfter(() => t.check('a@x.test', 'ip2'))).toBe(30);
    now = 60_000;
    expect(retryAfter(() => t.check('a@x.test', 'ip2'))).toBeUndefined();
    t.fail('a@x.test', 'ip2');
    expect(retryAfter(() => t.check('a@x.test', 'ip2'))).toBe(10);
  });

  it('counts per address across emails; a success clears only the email', () => {
    const t = createLoginThrottle({ maxPerEmail: 2, maxPerAddress: 3, now: () => 0 });
    t.fail('a@x.test', 'ip1');
    t.succeed('a@x.test');
    t.fail('a@x.test', 'ip1');
    expect(retryAfter(() => t.check('a@x.test', 'ip9'))).toBeUndefined();
    t.fail('b@x.test', 'ip1');
    expect(retryAfter(() => t.check('c@x.test', 'ip1'))).toBe(900);
    expect(retryAfter(() => t.check('c@x.test', 'ip2'))).toBeUndefined();
  });

  it('keeps at most maxKeys keys', () => {
    const t = createLoginThrottle({ maxPerEmail: 1, maxPerAddress: 1000, maxKeys: 4, now: () => 0 });
    t.fail('first@x.test', 'ip');
    for (let i = 0; i < 5; i++) t.fail(`u${i}@x.test`, 'ip');
    expect(retryAfter(() => t.check('first@x.test', 'other'))).toBeUndefined();
    expect(retryAfter(() => t.check('u4@x.test', 'other'))).toBe(900);
  });
});
