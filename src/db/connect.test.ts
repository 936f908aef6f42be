import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../lib/index.js';
import { connectTimeoutSeconds, openDatabase, postgresClientConfig, redactUrl } from './connect.js';
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

/** The TLS settings the pg driver will connect with for `config` (constructing a client does not connect). */
function driverSsl(config: pg.ClientConfig): unknown {
  return (new pg.Client(config) as unknown as { connectionParameters: { ssl: unknown } }).connectionParameters.ssl;
}

describe('postgresClientConfig', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("keeps the driver quiet about sslmode=require, prefer and verify-ca, and keeps its TLS: encrypted, the server's certificate and host name checked", () => {
    const warnings = vi.spyOn(process, 'emitWarning');
    const printed = vi.spyOn(console, 'warn');
    for (const mode of ['require', 'prefer', 'verify-ca', 'verify-full']) {
      const config = postgresClientConfig(`postgres://app:pw@db.example:5432/unblock?sslmode=${mode}&application_name=unblock`);
      expect(config.connectionString).toBe('postgres://app:pw@db.example:5432/unblock?sslmode=verify-full&application_name=unblock');
      // An object of TLS options without rejectUnauthorized: false, so Node verifies the certificate chain and the host name.
      expect(driverSsl(config), mode).toEqual({});
    }
    expect(warnings).not.toHaveBeenCalled();
    expect(printed).not.toHaveBeenCalled();
    // The spy does see the driver's warning when the URL goes to it unchanged (it warns once per process, so last).
    driverSsl({ connectionString: 'postgres://db.example/unblock?sslmode=require' });
    expect(warnings).toHaveBeenCalledWith(expect.stringMatching(/SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca'/));
  });

  it('leaves every other URL as it is: no TLS setting, disable, no-verify, or libpq semantics asked for', () => {
    for (const url of [
      'postgres://db.example/unblock',
      'postgres://db.example/unblock?sslmode=disable',
      'postgres://db.example/unblock?sslmode=no-verify',
      'postgres://db.example/unblock?uselibpqcompat=true&sslmode=require',
      'postgres://app:p%3Fw@db.example/unblock?connect_timeout=5',
    ]) {
      expect(postgresClientConfig(url).connectionString).toBe(url);
    }
    expect(driverSsl(postgresClientConfig('postgres://db.example/unblock?sslmode=disable'))).toBe(false);
    expect(driverSsl(postgresClientConfig('postgres://db.example/unblock?sslmode=no-verify'))).toEqual({ rejectUnauthorized: false });
    expect(driverSsl(postgresClientConfig('postgres://db.example/unblock?uselibpqcompat=true&sslmode=require'))).toEqual({ rejectUnauthorized: false });
  });

  it('reads the mode the driver would read: the last sslmode given, percent-encoded or not', () => {
    expect(postgresClientConfig('postgres://db.example/unblock?sslmode=disable&sslmode=require').connectionString).toBe('postgres://db.example/unblock?sslmode=verify-full');
    expect(postgresClientConfig('postgres://db.example/unblock?sslmode=requir%65').connectionString).toBe('postgres://db.example/unblock?sslmode=verify-full');
    expect(postgresClientConfig('postgres://db.example/unblock?sslmode=require&sslmode=disable').connectionString).toBe('postgres://db.example/unblock?sslmode=require&sslmode=disable');
  });

  it('writes the scheme in lower case: URL schemes ignore case', () => {
    expect(postgresClientConfig('POSTGRES://app@db.example/unblock').connectionString).toBe('postgres://app@db.example/unblock');
    expect(postgresClientConfig('PostgreSQL://app@db.example/unblock?sslmode=require').connectionString).toBe('postgresql://app@db.example/unblock?sslmode=verify-full');
  });
});
