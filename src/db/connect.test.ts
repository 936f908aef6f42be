import { describe, expect, it } from 'vitest';
import { isAppError } from '../lib/index.js';
import { connectTimeoutSeconds, openDatabase, redactUrl } from './connect.js';
import { loadConfig } from '../config/index.js';

describe('redactUrl', () => {
  it('hides the whole password, also one with an @ that was not percent-encoded', () => {
    expect(redactUrl('postgres://app:hunter2@db.example:5432/unblock')).toBe('postgres://app:***@db.example:5432/unblock');
    expect(redactUrl('postgres://app:se@cr@et@db.example/unblock?sslmode=require')).toBe('postgres://app:***@db.example/unblock?sslmode=require');
    expect(redactUrl('postgres://app@db.example/unblock?application_name=a@b')).toBe('postgres://app@db.example/unblock?application_name=a@b');
    expect(redactUrl('postgres://db.example/unblock')).toBe('postgres://db.example/unblock');
  });

  it('is what a refused DATABASE_URL is quoted with', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://app:se@cret@db.example/unblock' })).toThrow('not "mysql://app:***@db.example/unblock"');
  });
});

describe('connectTimeoutSeconds', () => {
  it("reads libpq's connect_timeout from the URL, else 10", () => {
    expect(connectTimeoutSeconds('postgres://db.example/unblock')).toBe(10);
    expect(connectTimeoutSeconds('postgres://db.example/unblock?connect_timeout=30')).toBe(30);
    expect(connectTimeoutSeconds('postgres://db.example/unblock?sslmode=require&connect_timeout=0')).toBe(0);
    expect(connectTimeoutSeconds('postgres://db.example/unblock?connect_timeout=soon')).toBe(10);
  });
});

describe('openDatabase with a URL the driver cannot read', () => {
  it('refuses it in one sentence that shows none of the password and says how to write it', async () => {
    for (const url of ['postgres://app:sec/ret@127.0.0.1/unblock', 'postgres://app:sec#ret@127.0.0.1/unblock', 'postgres://app:sec?ret@127.0.0.1/unblock']) {
      const error = await openDatabase({ url }).then(() => null, (e: unknown) => e);
      expect(isAppError(error) && error.code, url).toBe('CONFIG_INVALID');
      const message = (error as Error).message;
      expect(message).not.toMatch(/sec|ret/);
      expect(message).toMatch(/percent-encoded/);
    }
  });
});
