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
  it('refuses an address after maxPerEmail failures for an email until the oldest one leaves the window (sliding), any case of the email', () => {
    let now = 0;
    const t = createLoginThrottle({ maxPerEmail: 3, maxPerAddress: 100, windowMs: 60_000, now: () => now });
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(retryAfter(() => t.check('a@x.test', 'ip1'))).toBeUndefined();
      t.fail('A@x.test ', 'ip1');
    }
    now = 30_000;
    expect(retryAfter(() => t.check('a@x.test', 'ip1'))).toBe(30);
    now = 60_000;
    expect(retryAfter(() => t.check('a@x.test', 'ip1'))).toBeUndefined();
    t.fail('a@x.test', 'ip1');
    expect(retryAfter(() => t.check('a@x.test', 'ip1'))).toBe(10);
  });

  it("does not lock a person out from their own address because someone else guessed at their email", () => {
    const t = createLoginThrottle({ maxPerEmail: 3, maxPerEmailTotal: 7, maxPerAddress: 100, now: () => 0 });
    for (let i = 0; i < 3; i++) t.fail('victim@x.test', 'attacker');
    expect(retryAfter(() => t.check('victim@x.test', 'attacker'))).toBe(900);
    expect(retryAfter(() => t.check('victim@x.test', 'office'))).toBeUndefined();
    // Guessing spread over many addresses still locks the email itself, from everywhere.
    for (let i = 0; i < 4; i++) t.fail('victim@x.test', `botnet-${i}`);
    expect(retryAfter(() => t.check('victim@x.test', 'office'))).toBe(900);
  });

  it('counts per address across emails; a success clears only the email from that address', () => {
    const t = createLoginThrottle({ maxPerEmail: 2, maxPerAddress: 3, now: () => 0 });
    t.fail('a@x.test', 'ip1');
    t.succeed('a@x.test', 'ip1');
    t.fail('a@x.test', 'ip1');
    expect(retryAfter(() => t.check('a@x.test', 'ip1'))).toBeUndefined();
    t.fail('b@x.test', 'ip1');
    expect(retryAfter(() => t.check('c@x.test', 'ip1'))).toBe(900);
    expect(retryAfter(() => t.check('c@x.test', 'ip2'))).toBeUndefined();
  });

  it('keeps at most maxKeys keys', () => {
    const t = createLoginThrottle({ maxPerEmail: 1, maxPerAddress: 1000, maxKeys: 4, now: () => 0 });
    t.fail('first@x.test', 'ip');
    for (let i = 0; i < 5; i++) t.fail(`u${i}@x.test`, 'ip');
    expect(retryAfter(() => t.check('first@x.test', 'ip'))).toBeUndefined();
    expect(retryAfter(() => t.check('u4@x.test', 'ip'))).toBe(900);
  });
});
