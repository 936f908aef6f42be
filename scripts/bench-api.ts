/**
 * API and database benchmark (figures printed, nothing asserted). Loopback only, bounded in time.
 *
 *   npm run build && node dist/scripts/bench-api.js [--engines sqlite,postgres] [--entitlements 1000000]
 *     [--history 5000000] [--duration 8] [--import-rows 50000] [--keep NAME] [--skip classify,list,updates,reports,import]
 *     [--classifier-workers N] [--help]
 *
 * PostgreSQL is read from BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway schema is created and
 * dropped). Measures: POST /api/classify and a filtered list (autocannon: req/s, p99); status updates
 * per second with history; every report's latency at the given size (as an admin, then a few as a
 * partner's viewer and with a workload filter); CSV import rows per second.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { assembleServices, createClassifierPort, createNoteCoachPort, loadTaxonomy, startClassifierWorkers, type Services } from '../src/app/index.js';
import { migrateToLatest, openDatabase, type Database, type Db, type Engine } from '../src/db/index.js';
import { defaultClassifierWorkers } from '../src/config/index.js';
import { buildApp } from '../src/http/index.js';
import { SYSTEM_ACTOR, createPartner, createToken, createUser, rebuildRollup } from '../src/tracker/index.js';
import type { Taxonomy } from '../src/taxonomy/types.js';
import { removeFromRollup } from '../src/tracker/rollup.js';
import { sqliteWriteCeiling } from './storage-ceiling.js';

interface Options {
  engines: Engine[];
  entitlements: number;
  history: number;
  duration: number;
  importRows: number;
  /** Reuse (and keep) this SQLite file / PostgreSQL schema across runs; generation is skipped when it is already filled. */
  keep: string | null;
  skip: string[];
  /** Classifier worker threads, as `serve` would start them (default as `serve`: cores - 1, between 1 and 2). */
  workers: number;
}

const USAGE = `usage: node dist/scripts/bench-api.js [--engines sqlite,postgres] [--entitlements 1000000]
  [--history 5000000] [--duration 8] [--import-rows 50000] [--keep NAME]
  [--skip classify,list,updates,reports,import] [--classifier-workers N]`;
const STEPS = ['classify', 'list', 'updates', 'reports', 'import'];

/**
 * The options, read strictly (node's parseArgs): an unknown flag, a missing value or a value that is not
 * what it should be stops the run with the usage, before minutes of data generation; `--help` prints it.
 */
export function readOptions(argv: string[]): Options | { exit: number; message: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        engines: { type: 'string', default: 'sqlite,postgres' },
        entitlements: { type: 'string', default: '1000000' },
        history: { type: 'string', default: '5000000' },
        duration: { type: 'string', default: '8' },
        'import-rows': { type: 'string', default: '50000' },
        keep: { type: 'string' },
        skip: { type: 'string', default: '' },
        'classifier-workers': { type: 'string', default: String(defaultClassifierWorkers(availableParallelism())) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { exit: 2, message: `bench-api: ${(error as Error).message}\n${USAGE}` };
  }
  const v = parsed.values;
  if (v.help) return { exit: 0, message: USAGE };
  const problems: string[] = [];
  const whole = (name: string, text: string, min: number) => {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min)) problems.push(`--${name} must be a whole number of at least ${min}, got "${text}"`);
    return n;
  };
  const engines = v.engines.split(',').filter(Boolean);
  const badEngines = engines.filter((e) => e !== 'sqlite' && e !== 'postgres');
  if (engines.length === 0 || badEngines.length > 0) problems.push(`--engines takes sqlite and/or postgres, got "${v.engines}"`);
  const skip = v.skip.split(',').filter(Boolean);
  const badSteps = skip.filter((step) => !STEPS.includes(step));
  if (badSteps.length > 0) problems.push(`--skip takes ${STEPS.join(', ')}; unknown: ${badSteps.join(', ')}`);
  const options: Options = {
    engines: engines as Engine[],
    entitlements: whole('entitlements', v.entitlements, 1),
    history: whole('history', v.history, 0),
    duration: whole('duration', v.duration, 1),
    importRows: whole('import-rows', v['import-rows'], 1),
    keep: v.keep ?? null,
    skip,
    workers: whole('classifier-workers', v['classifier-workers'], 1),
  };
  return problems.length > 0 ? { exit: 2, message: `bench-api: ${problems.join('; ')}\n${USAGE}` } : options;
}

const WORKLOADS = 16;
const DAY_MS = 86_400_000;
const execFileAsync = promisify(execFile);
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Fills customers, entitlements and history with set-based SQL; small lookup tables supply codes and dates. */
async function generateData(db: Db, taxonomy: Taxonomy, partnerIds: number[], entitlements: number, historyRows: number): Promise<void> {
  const k = db.kysely as unknown as Kysely<Database & Record<string, Record<string, unknown>>>;
  const customers = Math.ceil(entitlements / WORKLOADS);
  const codes = taxonomy.codes.filter((c) => !c.id.startsWith('duplicate-invalid'));
  const now = Date.now();
  await sql`create table bench_codes (k integer primary key, code text, l1 text, l2 text)`.execute(k);
  await k.insertInto('bench_codes').values(codes.map((c, i) => ({ k: i, code: c.id, l1: c.l1, l2: c.l2 }))).execute();
  await sql`create table bench_days (k integer primary key, ts text, past_date text, future_date text)`.execute(k);
  await k
    .insertInto('bench_days')
    .values(Array.from({ length: 400 }, (_, i) => ({ k: i, ts: new Date(now - (i + 1) * DAY_MS).toISOString(), past_date: new Date(now - i * DAY_MS).toISOString().slice(0, 10), future_date: new Date(now + (i % 180 + 1) * DAY_MS).toISOString().slice(0, 10) })))
    .execute();
  const series = (n: number) =>
    db.engine === 'postgres' ? sql`select generate_series(1, ${sql.lit(n)}) as i` : sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${sql.lit(n)}) select i from s`;
  const nCodes = codes.length;
  const nPartners = partnerIds.length;
  const minPartner = Math.min(...partnerIds);
  const t0 = Date.now();
  // name_key as src/lib nameKey writes it: these names are ASCII, so lower() gives the same key.
  await sql`insert into customers (partner_id, tenant_id, name, name_key, managed, region, created_at, updated_at)
    select ${sql.lit(minPartner)} + (i % ${sql.lit(nPartners)}), 'bench-' || i, 'Bench Customer ' || i, 'bench customer ' || i, i % 2, 'EMEA', ${sql.lit(new Date(now - 500 * DAY_MS).toISOString())}, ${sql.lit(new Date(now).toISOString())}
    from (${series(customers)}) s`.execute(k);
  await sql`insert into entitlements (customer_id, partner_id, workload_id, part, l1, l2, l3, code, taxonomy_version, note, target_date, engagement_start_date, business_reason, owner, next_action, next_action_date, projected_unblock_date, note_grade, version, updated_by, updated_at, since, created_at)
    select c.id, c.partner_id, w.id, '', bc.l1, bc.l2, null, bc.code, ${sql.lit(taxonomy.version)},
      'Generated status note number ' || c.id || ' for workload ' || w.id,
      case when bc.l1 = 'In Progress' then d.future_date end, null, 'Savings', 'Owner ' || (c.id % 50), null, null,
      case when bc.l1 = 'Blocked' then d.future_date end, 'great', 1, null, d.ts, d.ts, d.ts
    from customers c cross join workloads w
    join bench_codes bc on bc.k = ((c.id * 7 + w.id * 3) % ${sql.lit(nCodes)})
    join bench_days d on d.k = ((c.id * 13 + w.id) % 400)`.execute(k);
  say(`  generated ${customers} customers and ${customers * WORKLOADS} entitlements in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const perEntitlement = Math.max(1, Math.round(historyRows / (customers * WORKLOADS)));
  const t1 = Date.now();
  await sql`insert into status_history (entitlement_id, partner_id, kind, changed_by, changed_by_name, changed_at, from_code, to_code, days_in_previous, before_json, after_json, note_grade, note_score, suggestion_json, suggested_code)
    select e.id, e.partner_id, 'update', null, 'bench', d.ts, f.code, t.code, (e.id + s.i) % 90, null, '{}', 'great', 0.9, null, null
    from entitlements e cross join (${series(perEntitlement)}) s
    join bench_codes f on f.k = ((e.id + s.i) % ${sql.lit(nCodes)})
    join bench_codes t on t.k = ((e.id + s.i + 1) % ${sql.lit(nCodes)})
    join bench_days d on d.k = ((e.id * 3 + s.i * 37) % 400)`.execute(k);
  say(`  generated ${customers * WORKLOADS * perEntitlement} history rows in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  await rebuildRollup(db.kysely);
  await sql`drop table bench_codes`.execute(k);
  await sql`drop table bench_days`.execute(k);
  // VACUUM also sets PostgreSQL's visibility map, which index-only scans need (autovacuum would, later).
  await (db.engine === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(k);
  // Fold the multi-GB write-ahead log back into the database so later commits do not pay for it.
  if (db.engine === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(k);
}

/** A token of a viewer of the first bench partner (created on first use), for partner-scoped report timings. */
async function benchPartnerToken(services: Services, db: Db): Promise<string> {
  const email = 'bench-viewer@bench.local';
  let user = await db.kysely.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!user) {
    const partner = await db.kysely.selectFrom('partners').select('id').orderBy('id').executeTakeFirstOrThrow();
    user = { id: (await createUser(services.tracker, SYSTEM_ACTOR, { email, name: 'Bench viewer', role: 'viewer', partnerId: partner.id })).id };
  }
  return (await createToken(services.tracker, SYSTEM_ACTOR, { name: `bench ${Date.now().toString(36)}`, userId: user.id })).token;
}

/** Waits until the server answers /api/health quickly again: requests still running from a load test must not slow the next one. */
async function drain(url: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const started = performance.now();
    await fetch(new URL('/api/health', url)).then((r) => r.arrayBuffer());
    if (performance.now() - started < 30) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs autocannon in a child process (scripts/load-client.ts), so the load generator has its own core. */
async function cannon(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; bodies?: string[]; connections?: number; duration: number }): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number }> {
  const job = { url, connections: 10, ...options };
  const { stdout } = await execFileAsync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'load-client.js'), JSON.stringify(job)], { maxBuffer: 1 << 20 });
  await drain(url);
  return JSON.parse(stdout.trim().split('\n').pop()!) as { rps: number; p50: number; p99: number; errors: number; non2xx: number };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function benchEngine(engine: Engine, options: Options, taxonomy: Awaited<ReturnType<typeof loadTaxonomy>>): Promise<void> {
  say(`\n== ${engine}: ${options.entitlements.toLocaleString('en')} entitlements, ${options.history.toLocaleString('en')} history rows`);
  const dir = options.keep ? join(tmpdir(), 'unblock-bench-kept') : mkdtempSync(join(tmpdir(), 'unblock-bench-'));
  const schema = options.keep ?? `bench_${process.pid}`;
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const db = await openDatabase(engine === 'sqlite' ? { sqlitePath: join(dir, `${schema}.db`), backgroundCheckpoints: true } : { url: pgUrl, schema, poolSize: 10 });
  let services: Services | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    await migrateToLatest(db.kysely, engine, db.schema);
    const local = createClassifierPort(taxonomy.playbook, join(process.cwd(), 'data'));
    const classifier = local && options.workers > 0 ? await startClassifierWorkers(local, options.workers) : local;
    const noteCoach = createNoteCoachPort(classifier);
    services = assembleServices({ db, taxonomy: taxonomy.taxonomy, classifier, noteCoach });
    const filled = (await db.kysely.selectFrom('entitlements').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    let adminId: number;
    if (Number(filled) >= options.entitlements) {
      say(`  reusing ${Number(filled)} entitlements in ${engine === 'sqlite' ? join(dir, `${schema}.db`) : `schema ${schema}`}`);
      adminId = (await db.kysely.selectFrom('users').select('id').where('email', '=', 'bench-admin@bench.local').executeTakeFirstOrThrow()).id;
    } else {
      const partners = [];
      for (let i = 0; i < 4; i++) partners.push((await createPartner(services.tracker, SYSTEM_ACTOR, { name: `Bench Partner ${i}` })).id);
      adminId = (await createUser(services.tracker, SYSTEM_ACTOR, { email: 'bench-admin@bench.local', name: 'Bench', role: 'admin' })).id;
      await generateData(db, taxonomy.taxonomy, partners, options.entitlements, options.history);
    }
    const token = (await createToken(services.tracker, SYSTEM_ACTOR, { name: `bench ${Date.now().toString(36)}`, userId: adminId })).token;
    const run = (part: string) => !options.skip.includes(part);

    // Errors only, to stderr: a FAILED figure comes with the cause the server logged.
    app = await buildApp(services, { webDir: null, logger: { level: 'error', stream: { write: (line: string) => process.stderr.write(line) } } });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const duration = options.duration;

    if (!run('classify')) say('  classify: skipped');
    else if (classifier) {
      // Distinct, realistic notes: the dev set's (never the held-out set's), each request a different one in turn.
      const devDir = join(process.cwd(), 'eval', 'dev');
      const notes = readdirSync(devDir).filter((f) => f.endsWith('.jsonl')).sort()
        .flatMap((f) => readFileSync(join(devDir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { text: string }).text));
      const r = await cannon(`${base}/api/classify`, { duration, method: 'POST', headers, bodies: notes.map((text) => JSON.stringify({ text, top: 3 })) });
      say(`  POST /api/classify (${notes.length} distinct dev-set notes, with explanation): ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (10 connections, ${duration} s, ${options.workers} classifier worker thread(s), load generator in its own process; errors ${r.errors}, non-2xx ${r.non2xx})`);
    } else say('  POST /api/classify: skipped (classifier unavailable; run `npm run build`)');

    if (run('list')) {
      const listUrl = `${base}/api/entitlements?l1=Blocked&workload=teams&minDays=30&sort=since&pageSize=50`;
      const list = await cannon(listUrl, { duration, headers });
      say(`  GET /api/entitlements (Blocked, teams, >=30 days, sorted, page of 50): ${list.rps} req/s, p99 ${list.p99} ms (errors ${list.errors}, non-2xx ${list.non2xx})`);
      const textList = await cannon(`${base}/api/entitlements?q=customer%2012345&pageSize=20`, { duration: Math.max(2, Math.floor(duration / 2)), connections: 2, headers });
      say(`  GET /api/entitlements?q=customer 12345 (full-text index: 2 words, prefix on the last, sorted by id, page of 20, with its total; 2 connections): ${textList.rps} req/s, p99 ${textList.p99} ms`);
      // What a partner's user opens first: the partner's entitlements (a quarter of all) in id order.
      const viewer = { authorization: `Bearer ${await benchPartnerToken(services, db)}` };
      const partnerList = await cannon(`${base}/api/entitlements?pageSize=50`, { duration: Math.max(2, Math.floor(duration / 2)), connections: 2, headers: viewer });
      say(`  GET /api/entitlements as a partner viewer (no filter, id order, page of 50, with its total; 2 connections): ${partnerList.rps} req/s, p99 ${partnerList.p99} ms`);
    }

    const target = new Date(Date.now() + 90 * DAY_MS).toISOString().slice(0, 10);
    if (run('updates')) {
      // Status updates: distinct entitlements, each at its current version, 4 concurrent clients.
      const targets = await db.kysely.selectFrom('entitlements').select(['id', 'version']).where('l1', '=', 'Status Unknown').orderBy('id').limit(4000).execute();
      let next = 0;
      let updates = 0;
      let failed = 0;
      const updateUntil = Date.now() + duration * 1000;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() < updateUntil && next < targets.length) {
            const t = targets[next++]!;
            const res = await fetch(`${base}/api/entitlements/${t.id}/status`, {
              method: 'PUT', headers,
              body: JSON.stringify({ version: t.version, code: 'in-progress/migration', note: 'Moving the remaining mailboxes in two waves before the lease on the old servers ends.', targetDate: target }),
            });
            await res.arrayBuffer();
            if (res.ok) updates++;
            else failed++;
          }
        }),
      );
      const spent = Math.min(duration, (Date.now() - (updateUntil - duration * 1000)) / 1000);
      say(`  PUT /api/entitlements/:id/status (with history, note grade and classifier suggestion): ${Math.round(updates / spent)} updates/s (${updates} in ${spent.toFixed(1)} s, 4 clients, ${failed} failed)`);
    }

    const reports = ['counts?by=l1', 'counts?by=l2', 'counts?by=workload', 'counts?by=partner', 'counts?by=owner', 'ageing', 'forecast?weeks=12', 'note-quality', 'flow?level=code'];
    // The same reports as a partner's viewer sees them (scoped to one of four partners), plus filtered variants.
    const partnerToken = run('reports') ? await benchPartnerToken(services, db) : null;
    const timed = [
      ...reports.map((r) => ({ report: r, auth: headers, who: '' })),
      ...['counts?by=l1', 'counts?by=owner', 'ageing', 'forecast?weeks=12', 'note-quality'].map((r) => ({ report: r, auth: { authorization: `Bearer ${partnerToken}` }, who: ' [partner viewer]' })),
      ...['ageing?workload=teams', 'forecast?weeks=104&workload=teams', 'counts?by=l2&workload=teams'].map((r) => ({ report: r, auth: headers, who: '' })),
    ];
    for (const { report, auth, who } of run('reports') ? timed : []) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const res = await fetch(`${base}/api/reports/${report}`, { headers: auth });
        await res.arrayBuffer();
        times.push(performance.now() - started);
        if (!res.ok) say(`    ${report}${who}: HTTP ${res.status}`);
      }
      say(`  GET /api/reports/${report}${who}: median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (5 runs)`);
    }

    // CSV import: updates of existing entitlements (note and code change), no advice, then a smaller file with advice.
    const header = 'tenant_id,workload,code,note,target_date';
    const workloadSlugs = (await db.kysely.selectFrom('workloads').select(['id', 'slug']).orderBy('id').execute()).map((w) => w.slug);
    // A note unique to this run, so a kept database is really written to again (identical rows are skipped).
    const runId = Date.now().toString(36);
    const csvRows = (count: number, offset: number, code = 'in-progress/solution-or-user-adoption', pass = '', stride = 1) =>
      Array.from({ length: count }, (_, i) => {
        const n = (offset + i * stride) % (Math.ceil(options.entitlements / WORKLOADS) * WORKLOADS);
        return `bench-${Math.floor(n / WORKLOADS) + 1},${workloadSlugs[n % WORKLOADS]},${code},Usage at ${n % 90}% of seats; champions programme starts next month (import ${runId}${pass}).,${target}`;
      });
    // The big file changes every row's code (to whichever of two In Progress codes the first row does
    // not hold now, so a kept database changes codes on every run), then a second file changes only
    // the notes of the same rows: the two cases cost differently (a code change moves each row in the
    // report indexes).
    const first = await db.kysely
      .selectFrom('entitlements as e')
      .innerJoin('customers as c', 'c.id', 'e.customer_id')
      .innerJoin('workloads as w', 'w.id', 'e.workload_id')
      .select('e.l2')
      .where('c.tenant_id', '=', `bench-${Math.floor(100_000 / WORKLOADS) + 1}`)
      .where('w.slug', '=', workloadSlugs[100_000 % WORKLOADS] as string)
      .executeTakeFirst();
    const bigCode = first?.l2 === 'Solution or User Adoption' ? 'in-progress/technical-onboarding-and-deployment' : 'in-progress/solution-or-user-adoption';
    const importOnce = async (rows: string[], advise: boolean, fileHeader = header) => {
      const body = `${fileHeader}\n${rows.join('\n')}\n`;
      const started = performance.now();
      const res = await fetch(`${base}/api/import/entitlements?advise=${advise}`, { method: 'POST', headers: { authorization: headers.authorization, 'content-type': 'text/csv' }, body });
      const json = (await res.json()) as unknown;
      const seconds = (performance.now() - started) / 1000;
      return { ok: res.ok, seconds, json, bytes: body.length };
    };
    if (!run('import')) return;
    // The import files name distinct entitlements only while the table has as many as a file has rows.
    const generatedTotal = Math.ceil(options.entitlements / WORKLOADS) * WORKLOADS;
    if (generatedTotal < options.importRows) {
      say(`  import: skipped (${options.importRows} rows need at least as many entitlements; this database has ${generatedTotal}; see --import-rows)`);
      return;
    }
    // SQLite: what the storage engine alone reaches for the same kind of writes (scripts/storage-ceiling.ts),
    // on rows of their own, so each import figure can be read as a share of it.
    const ceilings = new Map<string, number>();
    if (engine === 'sqlite') {
      const bigCodeNode = taxonomy.taxonomy.codes.find((c) => c.id === bigCode)!;
      // Rows of their own, clear of the imports' (from 100,000 and 400,000, every 20th): 600,001 and 650,001 at 1M.
      for (const [change, fromId] of [['code-and-note', Math.floor(options.entitlements * 0.6) + 1], ['note', Math.floor(options.entitlements * 0.65) + 1]] as const) {
        const ceiling = sqliteWriteCeiling(join(dir, `${schema}.db`), { fromId, rows: options.importRows, change, code: bigCodeNode, tag: runId });
        ceilings.set(change, ceiling.rowsPerSecond);
        say(
          `  storage ceiling: ${ceiling.rows} neighbouring rows, ${change === 'note' ? 'note change only' : 'code and note change'}, prepared better-sqlite3 statements with values built beforehand, one transaction with its commit: ${Math.round(ceiling.rowsPerSecond)} rows/s (${ceiling.seconds.toFixed(1)} s)`,
        );
      }
    }
    const share = (rowsPerSecond: number, change: string) => {
      const ceiling = ceilings.get(change);
      return ceiling ? `, ${Math.round((100 * rowsPerSecond) / ceiling)}% of the storage ceiling` : '';
    };
    for (const [what, pass, change] of [
      ['code and note change', '', 'code-and-note'],
      ['note change only', ' again', 'note'],
    ] as const) {
      const big = await importOnce(csvRows(options.importRows, 100_000, bigCode, pass), false);
      const rate = options.importRows / big.seconds;
      say(
        `  POST /api/import/entitlements (${options.importRows} rows, ${what}, ${(big.bytes / 1e6).toFixed(1)} MB, advise=false): ${Math.round(rate)} rows/s (${big.seconds.toFixed(1)} s${share(rate, change)})${big.ok ? '' : ` FAILED ${JSON.stringify(big.json).slice(0, 300)}`}`,
      );
    }
    // A file as an edited portfolio export is: rows spread over the whole table (every 20th
    // entitlement), whose stored dates differ row by row. Earlier runs leave the rows they wrote with
    // one code and one date, so before the timed import (and untimed) the rows get another code and
    // dates spread over 400 days again, as generated rows have: each run measures the same situation.
    // Every 20th entitlement at 1M; on a smaller table as wide a stride as keeps the rows distinct (at
    // 200,000 a stride of 20 wrapped round and named each entitlement five times, which the import refuses).
    const stride = Math.max(1, Math.min(20, Math.floor(generatedTotal / options.importRows)));
    const spreadRows = csvRows(options.importRows, 400_000, bigCode, ' spread', stride);
    const fromCode = taxonomy.taxonomy.codes.find((c) => c.l1 !== 'In Progress' && !c.id.startsWith('duplicate-invalid'))!;
    const pairs = spreadRows.map((line) => line.split(',', 2));
    const spreadSince = (id: RawBuilder<unknown>) =>
      engine === 'postgres'
        ? sql`to_char(now() at time zone 'utc' - (((${id} % 1000) * 7919) % 400) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (((${id} % 1000) * 7919) % 400) || ' days')`;
    const targets =
      engine === 'postgres'
        ? sql`select e.id from unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) as j(tenant, slug)
            join customers c on c.tenant_id = j.tenant join workloads w on w.slug = j.slug join entitlements e on e.customer_id = c.id and e.workload_id = w.id`
        : sql`select e.id from json_each(${JSON.stringify(pairs)}) j cross join customers c on c.tenant_id = j.value ->> 0
            cross join workloads w on w.slug = j.value ->> 1 cross join entitlements e on e.customer_id = c.id and e.workload_id = w.id`;
    await sql`update entitlements set code = ${fromCode.id}, l1 = ${fromCode.l1}, l2 = ${fromCode.l2}, target_date = null, since = ${spreadSince(sql.ref('id'))}
      where id in (${targets})`.execute(db.kysely);
    const spread = await importOnce(spreadRows, false);
    say(
      `  POST /api/import/entitlements (${options.importRows} rows, code and note change, every ${stride}th entitlement, ${(spread.bytes / 1e6).toFixed(1)} MB, advise=false): ${Math.round(options.importRows / spread.seconds)} rows/s (${spread.seconds.toFixed(1)} s)${spread.ok ? '' : ` FAILED ${JSON.stringify(spread.json).slice(0, 300)}`}`,
    );
    // A partner's first import: customers the database does not have yet, four entitlements each, with a
    // status (each is created as the playbook's starting status, then set to the file's, as the rules
    // ask: two history rows). Untimed, they are deleted again afterwards, so a kept database keeps its size.
    const partnerName = (await db.kysely.selectFrom('partners').select('name').orderBy('id').executeTakeFirstOrThrow()).name;
    const createRows = Array.from({ length: options.importRows }, (_, i) => {
      const t = Math.floor(i / 4);
      return `new-${runId}-${t},New customer ${runId} ${t},${partnerName},${workloadSlugs[i % 4]},in-progress/migration,Moving mailboxes in waves of 200; wave ${i % 9} starts next week.,${target}`;
    });
    const created = await importOnce(createRows, false, 'tenant_id,customer,partner,workload,code,note,target_date');
    say(
      `  POST /api/import/entitlements (${options.importRows} rows creating ${Math.ceil(options.importRows / 4)} customers with 4 entitlements each, with a status, ${(created.bytes / 1e6).toFixed(1)} MB, advise=false): ${Math.round(options.importRows / created.seconds)} rows/s (${created.seconds.toFixed(1)} s)${created.ok ? '' : ` FAILED ${JSON.stringify(created.json).slice(0, 300)}`}`,
    );
    await db.kysely.transaction().execute(async (trx) => {
      const made = trx.selectFrom('customers').select('id').where('tenant_id', 'like', `new-${runId}-%`);
      const entitlementIds = (await trx.selectFrom('entitlements').select('id').where('customer_id', 'in', made).execute()).map((e) => e.id);
      for (let i = 0; i < entitlementIds.length; i += 5_000) {
        const chunk = entitlementIds.slice(i, i + 5_000);
        await removeFromRollup(trx, await trx.selectFrom('status_history').selectAll().where('entitlement_id', 'in', chunk).execute());
        await trx.deleteFrom('status_history').where('entitlement_id', 'in', chunk).execute();
        await trx.deleteFrom('entitlements').where('id', 'in', chunk).execute();
      }
      await trx.deleteFrom('customers').where('tenant_id', 'like', `new-${runId}-%`).execute();
    });
    // The default import grades every changed note and asks the classifier for its reading.
    const advisedRows = Math.min(10_000, options.importRows);
    // Every note distinct (the import advises a repeated note once, which would flatter the figure).
    const advised = await importOnce(csvRows(advisedRows, 400_000).map((line, i) => line.replace("(import ", `(row ${i} of import `)), true);
    say(
      `  POST /api/import/entitlements (${advisedRows} rows, note change, advise=true, the default): ${Math.round(advisedRows / advised.seconds)} rows/s (${advised.seconds.toFixed(1)} s)${advised.ok ? '' : ` FAILED ${JSON.stringify(advised.json).slice(0, 300)}`}`,
    );
  } finally {
    await app?.close();
    await services?.close();
    if (engine === 'postgres' && !options.keep) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely).catch(() => undefined);
    await db.close(); // idempotent; services may not exist
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  if ('exit' in options) {
    (options.exit === 0 ? process.stdout : process.stderr).write(`${options.message}\n`);
    process.exitCode = options.exit;
    return;
  }
  say(`bench-api: node ${process.version}, ${new Date().toISOString()}, options ${JSON.stringify(options)}`);
  const taxonomy = await loadTaxonomy(null);
  for (const engine of options.engines) await benchEngine(engine, options, taxonomy);
}

// Run as a script (not when a test imports readOptions).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
