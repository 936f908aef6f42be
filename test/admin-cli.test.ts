import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { useColour } from '../src/cli/colour.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-admin-'));
const ESC = String.fromCharCode(27);

/** Runs the CLI in a fresh data folder; TEST and CI are removed so citty's own colour switch stays on. */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const base: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), ...env };
  delete base.TEST;
  delete base.CI;
  delete base.NO_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: base });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unblock admin', () => {
  it('refuses a partner name that matches none (exit 2, naming the partners) and creates nothing', () => {
    const r = run(['admin', 'create-user', '--email', 'typo@example.com', '--role', 'manager', '--partner', 'Nobody Inc']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/No partner named "Nobody Inc".*create-partner/);
    const list = run(['admin', 'list']);
    expect(list.stdout).not.toMatch(/Nobody Inc/);
    expect(list.stdout).not.toMatch(/typo@example.com/);
  });

  it('runs the README example: create-partner, then create-user with the partner in any case', () => {
    expect(run(['admin', 'create-partner', '--name', 'Your Partner']).status).toBe(0);
    const again = run(['admin', 'create-partner', '--name', 'your partner']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const r = run(['admin', 'create-user', '--email', 'you@example.com', '--role', 'manager', '--partner', 'YOUR PARTNER']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/User \d+ you@example.com \(manager\) created\. Password: \S{8,}/);
  });

  it('creates the partner only when asked with --create-partner', () => {
    const r = run(['admin', 'create-user', '--email', 'new@example.com', '--partner', 'Fresh Partner', '--create-partner']);
    expect(r.status).toBe(0);
    expect(run(['admin', 'list']).stdout).toMatch(/partner \d+ {2}Fresh Partner/);
  });

  it('validates --email like the API (exit 2)', () => {
    const r = run(['admin', 'create-user', '--email', 'not-an-email', '--partner', 'Your Partner']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--email must be an email address/);
  });

  it('lists both partners and users', () => {
    const r = run(['admin', 'list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Partners \(2\):\n {2}partner \d+ {2}Fresh Partner\n {2}partner \d+ {2}Your Partner\nUsers \(2\):/m);
    // Columns padded to line up (the roles: editor is one letter shorter than manager).
    expect(r.stdout).toMatch(/user \d+ {2}new@example.com {2}editor {3}Fresh Partner/);
    expect(r.stdout).toMatch(/user \d+ {2}you@example.com {2}manager {2}Your Partner/);
  });
});

/** Runs SQL on the SQLite file the CLI uses in `work`. */
function sql<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(work, 'data', 'unblock.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('unblock admin: tokens, passwords and options', () => {
  it('generates 16-character passwords, like the API', () => {
    const r = run(['admin', 'create-user', '--email', 'gen@example.com', '--role', 'admin']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Password: [A-Za-z0-9_-]{16}\n$/);
  });

  it.each([
    [['admin', 'create-token', '--email', 'gen@example.com', '--expires-in-days', '-5']],
    [['admin', 'create-user', '--email', 'x@example.com', '--role', 'admin', '--pasword', 'abcdefgh12']],
    [['admin', 'list', '--bogus']],
    [['admin', 'set-password', '--email', 'gen@example.com', '--pass', 'abcdefgh12']],
  ])('rejects the unknown option in %j with exit 2, writing nothing', (args) => {
    const before = run(['admin', 'list']).stdout;
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option "--[a-z-]+"/);
    expect(r.stdout).toBe('');
    expect(run(['admin', 'list']).stdout).toBe(before);
  });

  it('rejects an invalid --days with exit 2', () => {
    const r = run(['admin', 'create-token', '--email', 'gen@example.com', '--days', '-5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--days must be a whole number/);
  });

  it('refuses a token for a disabled user', () => {
    expect(run(['admin', 'create-user', '--email', 'off@example.com', '--role', 'admin']).status).toBe(0);
    sql((db) => db.prepare("UPDATE users SET disabled = 1 WHERE email = 'off@example.com'").run());
    const r = run(['admin', 'create-token', '--email', 'off@example.com']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/off@example.com is disabled.*\[ACCOUNT_DISABLED\]/);
    expect(r.stdout).toBe('');
    expect(sql((db) => db.prepare("SELECT count(*) AS n FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'off@example.com'").get())).toEqual({ n: 0 });
    const ok = run(['admin', 'create-token', '--email', 'gen@example.com']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ub_/);
  });

  it('create-token numbers its default name when the user has a token of that name, and refuses a taken --name (exit 1)', () => {
    expect(run(['admin', 'create-user', '--email', 'names@example.com', '--role', 'admin']).status).toBe(0);
    const first = run(['admin', 'create-token', '--email', 'names@example.com']);
    const second = run(['admin', 'create-token', '--email', 'names@example.com']);
    expect([first.status, second.status]).toEqual([0, 0]);
    expect(first.stderr).toMatch(/Token \d+ "cli" for user/);
    expect(second.stderr).toMatch(/Token \d+ "cli \(2\)" for user/);
    const taken = run(['admin', 'create-token', '--email', 'names@example.com', '--name', 'CLI']);
    expect(taken.status).toBe(1);
    expect(taken.stdout).toBe('');
    expect(taken.stderr).toMatch(/^unblock: User \d+ \(\S+@\S+\) already has an active API token named "cli" \(token \d+; names are compared ignoring case\)\. Choose another name, or revoke that token first\. \[TOKEN_NAME_TAKEN\]\n$/);
    const names = sql((db) => db.prepare("SELECT t.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'names@example.com' ORDER BY t.id").all());
    expect(names).toEqual([{ name: 'cli' }, { name: 'cli (2)' }]);
    expect(run(['admin', 'create-token', '--email', 'names@example.com', '--name', 'nightly']).status).toBe(0);
  });

  it('set-password sets a given or generated password and ends that user\'s sessions', async () => {
    const { verifyPassword } = await import('../src/tracker/index.js');
    const userId = sql((db) => (db.prepare("SELECT id FROM users WHERE email = 'gen@example.com'").get() as { id: number }).id);
    const addSession = (id: string) => sql((db) => db.prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(id, userId, new Date().toISOString(), new Date(Date.now() + 3_600_000).toISOString()));
    const sessions = () => sql((db) => (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n);
    const hash = () => sql((db) => (db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as { password_hash: string }).password_hash);

    addSession('s1');
    const given = run(['admin', 'set-password', '--email', 'GEN@example.com', '--password', 'a new secret']);
    expect(given.status).toBe(0);
    expect(given.stdout).toMatch(/Password of user \d+ gen@example.com set; their sessions have ended\.\n$/);
    expect(await verifyPassword('a new secret', hash())).toBe(true);
    expect(sessions()).toBe(0);

    addSession('s2');
    const generated = run(['admin', 'set-password', '--email', 'gen@example.com']);
    expect(generated.status).toBe(0);
    const password = /Password: ([A-Za-z0-9_-]{16})\n$/.exec(generated.stdout)?.[1];
    expect(password).toBeDefined();
    expect(await verifyPassword(password!, hash())).toBe(true);
    expect(sessions()).toBe(0);
  });

  it.each([
    ['a blank password', ['--password', '         '], /--password cannot be blank/],
    ['a short password', ['--password', 'short'], /8 to 1000 characters/],
    ['a 1001-character password', ['--password', 'x'.repeat(1001)], /8 to 1000 characters/],
    ['no --email', [], /Missing required argument: --email|Missing --email/],
  ])('set-password refuses %s with exit 2 and changes nothing', (_label, extra, message) => {
    const before = sql((db) => db.prepare("SELECT password_hash FROM users WHERE email = 'gen@example.com'").get());
    const r = run(['admin', 'set-password', ...(extra.length === 0 ? [] : ['--email', 'gen@example.com']), ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(sql((db) => db.prepare("SELECT password_hash FROM users WHERE email = 'gen@example.com'").get())).toEqual(before);
  });

  it('set-password names an unknown email (exit 2)', () => {
    const r = run(['admin', 'set-password', '--email', 'nobody@example.com']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/No user with email nobody@example.com.*\[NOT_FOUND\]/);
  });

  it('says in --help that the default database lives under DATA_DIR', () => {
    const r = run(['admin', 'create-token', '--help']);
    expect(r.stdout).toMatch(/unblock\.db under DATA_DIR \(default \.\/data\)/);
    expect(r.stdout).not.toMatch(/at \.\/data\/unblock\.db/);
  });
});

describe('colour', () => {
  it('prints no ANSI codes when stdout and stderr are not terminals', () => {
    const help = run(['--help']);
    expect(help.stdout).toMatch(/USAGE/);
    expect(help.stdout).not.toContain(ESC);
    const unknown = run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command frobnicate/);
    expect(unknown.stderr).not.toContain(ESC);
  });

  it('colours only a terminal, and never when NO_COLOR is set', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: 'yes' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
