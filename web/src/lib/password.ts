/** Password helpers for the account and users pages: the server's rules checked early, generation, and waits. */

/** The server's limits for a new password (src/http/schemas/accounts.ts, src/tracker/accounts.ts). */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1000;

/**
 * What is wrong with a new password, as the server would refuse it, or undefined when it is fine.
 * `repeat`, when given, must match.
 */
export function checkNewPassword(password: string, repeat?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH.toLocaleString('en')} characters.`;
  if (password.trim() === '') return 'A password cannot be only spaces.';
  if (repeat !== undefined && repeat !== password) return 'The two new passwords are not the same.';
  return undefined;
}

/**
 * A random password like the server's own (12 random bytes, base64url: 16 characters), from the
 * browser's cryptographic generator. `random` is for tests.
 */
export function generatePassword(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(12));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `retryAfterSeconds` from a RATE_LIMITED error's details, when the server sent it. */
export function readRetryAfter(details: unknown): number | undefined {
  const value = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

/** "Try again in 3 minutes (at 14:05)." for a wait of `seconds` from `now`; a general line without one. */
export function describeRetry(seconds: number | undefined, now: Date = new Date()): string {
  if (seconds === undefined) return 'Wait a few minutes and try again.';
  // Rounded up to the minute, so the time shown is never before the wait ends.
  const at = new Date(Math.ceil((now.getTime() + seconds * 1000) / 60_000) * 60_000);
  const clock = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Try again in ${wait} (at ${clock}).`;
}
