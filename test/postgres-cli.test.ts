/**
 * The CLI as an operator runs it on PostgreSQL: each test gets a database of its own on the
 * TEST_DATABASE_URL server (created and dropped here), given to the CLI as DATABASE_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnblock, UNBLOCK_BIN } from './cli-process.js';
import { TEST_DATABASE_URL } from './factories.js';
import { runOnServer, urlOf } from './pg-databases.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-pg-cli-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '' };
const created: string[] = [];

/** A new, empty database; dropped after the file's tests. */
async function freshDatabase(): Promise<string> {
  const name = `unblock_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runOnServer(`create database ${name}`);
  created.push(name);
  return urlOf(name);
}

async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from information_schema.tables where table_schema = 'public'`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of created) await runOnServer(`drop database if exists ${name} with (force)`);
  rmSync(work, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  /** Resolves with the output once the server listens, or once it exits without listening. */
  started: Promise<{ listening: boolean; code: number | null; stdout: string; stderr: string }>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `unblock serve ARGS` on a free port against `url`. */
function serve(url: string, args: string[] = []): Served {
  const child = spawn(process.execPath, [UNBLOCK_BIN, 'serve', '--port', '0', '--classifier-workers', '0', ...args], { cwd: work, env: { ...env, DATABASE_URL: url } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<{ listening: boolean; code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl+C')) resolve({ listening: true, code: null, stdout, stderr });
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => resolve({ listening: false, code, stdout, stderr }));
  });
  return { child, started, exited };
}

/** A process's exit code, or 'running' when it has not exited within `ms`. */
function exitWithin(served: Served, ms: number): Promise<number | null | 'running'> {
  return Promise.race([served.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms))]);
}

describe('unblock serve on PostgreSQL', () => {
  it('two servers started at once on an empty database both serve it, and the demo is seeded once', async () => {
    const url = await freshDatabase();
    const servers = [serve(url, ['--demo']), serve(url, ['--demo'])];
    try {
      const outputs = await Promise.all(servers.map((s) => s.started));
      for (const out of outputs) expect(out.listening, `${out.stdout}\n${out.stderr}`).toBe(true);
      const seeded = outputs.filter((out) => /Demo data seeded/.test(out.stdout));
      const present = outputs.filter((out) => /Demo data already present; not seeded again/.test(out.stdout));
      expect([seeded.length, present.length]).toEqual([1, 1]);
      // Both print the demo logins: the second server sees the first one's users.
      for (const out of outputs) expect(out.stdout).toMatch(/admin@unblock\.example\s+admin-demo-pass/);
      for (const s of servers) s.child.kill('SIGTERM');
      expect(await Promise.all(servers.map((s) => exitWithin(s, 20_000)))).toEqual([0, 0]);
    } finally {
      for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  }, 180_000);

  it('a start that fails after the database is open (here the demo seed) ends the process with the one error line', async () => {
    const url = await freshDatabase();
    // Migrated by an admin command, emptied again, then every new user refused by a trigger.
    expect((await runUnblock(['admin', 'create-partner', '--name', 'Gone'], { cwd: work, env: { ...env, DATABASE_URL: url } })).status).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('delete from partners');
      await client.query(`create function refuse_users() returns trigger language plpgsql as $$ begin raise exception 'no users today'; end $$`);
      await client.query('create trigger refuse_users before insert on users for each row execute function refuse_users()');
    } finally {
      await client.end();
    }
    // A classifier worker thread, as serve has by default: it must not keep the failed process alive.
    const s = serve(url, ['--demo', '--classifier-workers', '1']);
    try {
      expect(await exitWithin(s, 30_000)).toBe(1);
      const out = await s.started;
      expect(out.listening).toBe(false);
      expect(out.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^unblock: .*no users today/)]);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  }, 120_000);
});

/** A TCP server that accepts connections and never answers, as a firewall or a wrong host:port may. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('a PostgreSQL server that does not answer', () => {
  it('is given up on after a while (10 s, or connect_timeout seconds from the URL) with one line, not waited on for ever', async () => {
    const silent = await silentServer();
    try {
      const url = `postgres://postgres@127.0.0.1:${silent.port}/nowhere`;
      const started = Date.now();
      const [quick, plain] = await Promise.all([
        runUnblock(['admin', 'list', '--database', `${url}?connect_timeout=1`], { cwd: work, env, timeout: 30_000 }),
        runUnblock(['report', 'counts'], { cwd: work, env: { ...env, DATABASE_URL: url }, timeout: 30_000 }),
      ]);
      for (const result of [quick, plain]) {
        expect(result.status, result.stderr).toBe(1);
        expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^unblock: Cannot connect to PostgreSQL \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/nowhere.*\): no answer within (1|10) s/)]);
      }
      expect(quick.stderr).toMatch(/no answer within 1 s/);
      expect(plain.stderr).toMatch(/no answer within 10 s/);
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      await silent.close();
    }
  }, 60_000);
});

describe('commands that read an existing database, pointed at a PostgreSQL database without Unblock in it', () => {
  it('exit 2 naming the database, and leave it without tables, as they do for a SQLite file that is not there', async () => {
    const url = await freshDatabase();
    const commands: [string, string[]][] = [
      ['report', ['report', 'counts']],
      ['export', ['export']],
      ['import', ['import', '-', '--dry-run']],
      ['admin list', ['admin', 'list']],
      ['admin create-token', ['admin', 'create-token', '--email', 'nobody@example.com']],
      ['admin set-password', ['admin', 'set-password', '--email', 'nobody@example.com']],
    ];
    const results = await Promise.all(commands.map(([, args]) => runUnblock(args, { cwd: work, env: { ...env, DATABASE_URL: url }, input: 'tenant_id,workload\n' })));
    results.forEach((result, i) => {
      const command = commands[i]![0];
      expect(result.status, `${command}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(`No Unblock database at ${url}: it holds none of Unblock's tables; \`unblock ${command}\``),
      ]);
    });
    expect(await tableCount(url)).toBe(0);
  }, 120_000);

  it('exit 2 for a database name or user name the server does not have, saying which (password hidden)', async () => {
    const missing = new URL(urlOf(`unblock_cli_nope_${process.pid}`));
    missing.password = 'hunter22';
    const noRole = new URL(TEST_DATABASE_URL);
    noRole.username = `nobody_${process.pid}`;
    const cases: [string[], URL, RegExp][] = [
      [['report', 'counts'], missing, /database "unblock_cli_nope_\d+" does not exist; check the database name/],
      [['export'], missing, /database "unblock_cli_nope_\d+" does not exist; check the database name/],
      [['import', '-', '--dry-run'], missing, /database "unblock_cli_nope_\d+" does not exist; check the database name/],
      [['report', 'counts'], noRole, /role "nobody_\d+" does not exist; check the user name and password/],
      [['admin', 'list'], missing, /database "unblock_cli_nope_\d+" does not exist; check the database name/],
    ];
    const results = await Promise.all(cases.map(([args, url]) => runUnblock([...args, '--database', url.toString()], { cwd: work, env, input: 'tenant_id,workload\n' })));
    results.forEach((result, i) => {
      const [args, url, reason] = cases[i]!;
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(reason);
      expect(lines[0]).toMatch(/\[BAD_ARGUMENTS\]$/);
      expect(lines[0]).toContain(`unblock ${args[0]}`);
      expect(lines[0]).not.toContain('hunter22');
      expect(lines[0]).toContain(url.host);
    });
  }, 120_000);

  it('admin create-partner sets the database up, and says so once', async () => {
    const url = await freshDatabase();
    const first = await runUnblock(['admin', 'create-partner', '--name', 'First'], { cwd: work, env: { ...env, DATABASE_URL: url } });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`unblock: set up Unblock's tables in ${url} (it had none;`);
    const second = await runUnblock(['admin', 'create-partner', '--name', 'Second'], { cwd: work, env: { ...env, DATABASE_URL: url } });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    const listed = await runUnblock(['admin', 'list'], { cwd: work, env: { ...env, DATABASE_URL: url } });
    expect(listed.stdout).toMatch(/First[\s\S]*Second/);
  }, 120_000);
});

describe('unblock admin copy-database', () => {
  it('moves a SQLite database to PostgreSQL with its ids, history, times in status, users and tokens; a second copy is refused', async () => {
    const file = join(work, 'team.sqlite');
    const onFile = { cwd: work, env: { ...env, SQLITE_FILE: file } };
    const run = async (args: string[], options: { cwd: string; env: Record<string, string | undefined>; input?: string }) => {
      const result = await runUnblock(args, options);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    await run(['admin', 'create-partner', '--name', 'Harbor'], onFile);
    await run(['admin', 'create-user', '--email', 'boss@harbor.example', '--role', 'manager', '--partner', 'Harbor', '--password', 'boss-pass-123'], onFile);
    await run(['admin', 'create-token', '--email', 'boss@harbor.example', '--name', 'scripts'], onFile);
    await run(['import', '-', '--as', 'boss@harbor.example', '--no-advise'], {
      ...onFile,
      input: 'tenant_id,customer,managed,region,workload,l1,l2,note,target_date\n'
        + 't-1,Alpha Ltd,yes,EMEA,exchange-online,In Progress,Migration,Mailboxes move in waves this month,2027-03-01\n'
        + 't-2,Beta plc,no,APAC,teams,Status Unknown,New Subscription or Workload,Just bought it,\n',
    });
    await run(['import', '-', '--as', 'boss@harbor.example', '--no-advise'], {
      ...onFile,
      input: 'tenant_id,workload,l1,l2,note,projected_unblock_date\nt-2,teams,Blocked,Legal/Regulatory,Their lawyers review the data residency terms,2027-01-15\n',
    });

    const url = await freshDatabase();
    const copied = await runUnblock(['admin', 'copy-database', '--to', url], onFile);
    expect(copied.status, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/1 partners, 1 users, 1 api tokens, 0 sessions, 2 customers, 2 entitlements, [1-9]\d* status history/);

    const onUrl = { cwd: work, env: { ...env, DATABASE_URL: url } };
    for (const args of [['admin', 'list'], ['export'], ['report', 'flow'], ['report', 'ageing'], ['report', 'forecast']]) {
      expect(await run(args, onUrl), args.join(' ')).toBe(await run(args, onFile));
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const customers = await client.query('select tenant_id, managed, region from customers order by id');
      expect(customers.rows).toEqual([{ tenant_id: 't-1', managed: 1, region: 'EMEA' }, { tenant_id: 't-2', managed: 0, region: 'APAC' }]);
      expect((await client.query('select name from api_tokens')).rows).toEqual([{ name: 'scripts' }]);
      // The search entries, written after the rows, are the ones the insert trigger writes; the trigger is on again.
      const search = await client.query(`select e.id, s.doc = entitlement_search_doc(e.note, e.owner, c.name) as same
        from entitlements e join customers c on c.id = e.customer_id left join entitlement_search s on s.entitlement_id = e.id order by e.id`);
      expect(search.rows).toEqual([{ id: 1, same: true }, { id: 2, same: true }]);
      expect((await client.query(`select tgenabled from pg_trigger where tgname = 'entitlement_search_insert'`)).rows).toEqual([{ tgenabled: 'O' }]);
    } finally {
      await client.end();
    }
    // New rows take ids after the copied ones.
    expect(await run(['admin', 'create-partner', '--name', 'Meridian'], onUrl)).toMatch(/^Partner 2 "Meridian" created/);

    const again = await runUnblock(['admin', 'copy-database', '--to', url], onFile);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds data \(2 partners\); copy-database only fills an empty database/);
  }, 180_000);

  it('never hands out an id the source gave out before, rows since deleted included, either way', async () => {
    const file = join(work, 'gaps.sqlite');
    const onFile = { cwd: work, env: { ...env, SQLITE_FILE: file } };
    expect((await runUnblock(['admin', 'create-partner', '--name', 'Kept'], onFile)).status).toBe(0);
    // Partners 2 to 40 were created and deleted since: SQLite's AUTOINCREMENT remembers 40.
    const handle = new Database(file);
    try {
      handle.prepare(`update sqlite_sequence set seq = 40 where name = 'partners'`).run();
    } finally {
      handle.close();
    }

    const url = await freshDatabase();
    const toPostgres = await runUnblock(['admin', 'copy-database', '--to', url], onFile);
    expect(toPostgres.status, toPostgres.stderr).toBe(0);
    const onUrl = { cwd: work, env: { ...env, DATABASE_URL: url } };
    const created = await runUnblock(['admin', 'create-partner', '--name', 'After the move'], onUrl);
    expect(created.stdout, created.stderr).toMatch(/^Partner 41 "After the move" created/);
    // PostgreSQL's sequence (now past 41) in turn, into a new SQLite file, after deleting partner 41 there.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // The copy left planner statistics of the rows copied, not of the empty tables the migrations analysed.
      expect((await client.query(`select reltuples from pg_class where relname = 'partners' and relnamespace = 'public'::regnamespace`)).rows).toEqual([{ reltuples: 1 }]);
      await client.query(`delete from partners where id = 41`);
    } finally {
      await client.end();
    }
    const back = join(work, 'back.sqlite');
    const toSqlite = await runUnblock(['admin', 'copy-database', '--to', back], onUrl);
    expect(toSqlite.status, toSqlite.stderr).toBe(0);
    const again = await runUnblock(['admin', 'create-partner', '--name', 'Back again'], { cwd: work, env: { ...env, SQLITE_FILE: back } });
    expect(again.stdout, again.stderr).toMatch(/^Partner 42 "Back again" created/);
    const file2 = new Database(back, { readonly: true });
    try {
      expect(file2.prepare(`select seq, typeof(seq) as type from sqlite_sequence where name = 'partners'`).get()).toEqual({ seq: 42, type: 'integer' });
      expect(file2.prepare(`select stat from sqlite_stat1 where tbl = 'partners' and idx is not null`).all()).toContainEqual({ stat: '1 1' });
    } finally {
      file2.close();
    }
  }, 120_000);
});
