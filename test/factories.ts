/**
 * Test factories: databases on both engines (a fresh PostgreSQL schema per call, dropped on close),
 * a hand-made taxonomy matching the playbook's codes, and a fixed clock.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { AppError } from '../src/lib/index.js';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db, type Engine } from '../src/db/index.js';
import type { Taxonomy } from '../src/taxonomy/types.js';
import { buildFallbackTaxonomy } from './hand-built-taxonomy.js';
import { assembleServices, type ClassifierPort, type NoteCoachPort, type Services } from '../src/app/index.js';
import type { Role } from '../src/db/index.js';
import { SYSTEM_ACTOR, createPartner, createToken, createUser } from '../src/tracker/index.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The engines every repository and API test runs on. */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/**
 * Opens a migrated, empty database on `engine`; closing a PostgreSQL one drops its schema. `url`: another
 * PostgreSQL database on TEST_DATABASE_URL's server (test/pg-databases.ts).
 */
export async function createTestDb(engine: Engine, options: { url?: string } = {}): Promise<Db> {
  if (engine === 'sqlite') {
    const db = await openDatabase({ sqlitePath: ':memory:' });
    await migrateToLatest(db.kysely, 'sqlite');
    return db;
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ url: options.url ?? TEST_DATABASE_URL, schema, poolSize: 4 });
  try {
    await migrateToLatest(db.kysely, 'postgres', schema);
  } catch (error) {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
    await db.close();
    throw error;
  }
  return {
    kysely: db.kysely,
    engine: 'postgres',
    schema,
    caseFolding: db.caseFolding,
    async close() {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
      await db.close();
    },
  };
}

/** A taxonomy with the playbook's L1/L2 codes, built by hand (no pages needed). */
export function makeTaxonomy(version = 'test00000001'): Taxonomy {
  return buildFallbackTaxonomy(version);
}

/** A clock frozen at `iso` (default 2026-03-02T10:00:00Z). */
export function fixedClock(iso = '2026-03-02T10:00:00.000Z'): { now(): Date } {
  return { now: () => new Date(iso) };
}

/** A deterministic stand-in for the classifier: reads a few keywords. */
export const fakeClassifier: ClassifierPort = {
  classify(text) {
    const rules: [RegExp, string, string, string][] = [
      [/proxy|firewall|bandwidth/i, 'blocked/customer-it-infrastructure-and-remediation', 'Blocked', 'Customer IT Infrastructure and Remediation'],
      [/law|regulat|residency/i, 'blocked/legal-regulatory', 'Blocked', 'Legal/Regulatory'],
      [/migrat|moving/i, 'in-progress/migration', 'In Progress', 'Migration'],
    ];
    const hit = rules.find(([re]) => re.test(text));
    if (!hit) return { l1: null, l2: null, code: null, confidence: 0.2, abstained: true, reason: 'no signal' };
    return { l1: hit[2], l2: hit[3], code: hit[1], confidence: 0.9, abstained: false, alternatives: [] };
  },
};

/** A deterministic stand-in for the note coach: short notes are poor. */
export const fakeNoteCoach: NoteCoachPort = {
  grade(text) {
    const words = text.trim().split(/\s+/).filter(Boolean).length;
    return words < 6
      ? { grade: 'poor', score: 0.2, findings: [{ code: 'TOO_SHORT', message: 'Say what the customer intends and why.' }] }
      : { grade: 'great', score: 0.95, findings: [] };
  },
};

export interface TestWorld {
  services: Services;
  partners: { north: number; south: number };
  /** Bearer tokens by user key. */
  tokens: { admin: string; northEditor: string; northViewer: string; northManager: string; southEditor: string };
  users: { northEditor: { email: string; password: string } };
}

/** Services over a fresh database with two partners, their users and tokens. */
export async function createTestWorld(engine: Engine, clock = fixedClock()): Promise<TestWorld> {
  const db = await createTestDb(engine);
  const services = assembleServices({ db, taxonomy: makeTaxonomy(), clock, classifier: fakeClassifier, noteCoach: fakeNoteCoach });
  const ctx = services.tracker;
  const north = await createPartner(ctx, SYSTEM_ACTOR, { name: 'North Partners' });
  const south = await createPartner(ctx, SYSTEM_ACTOR, { name: 'South Consulting' });
  const mk = async (email: string, role: Role, partnerId: number | null, password?: string) => {
    const user = await createUser(ctx, SYSTEM_ACTOR, { email, name: email.split('@')[0]!, role, partnerId, password });
    return (await createToken(ctx, SYSTEM_ACTOR, { name: 'test', userId: user.id })).token;
  };
  const tokens = {
    admin: await mk('admin@test.local', 'admin', null),
    northEditor: await mk('editor@north.test', 'editor', north.id, 'north-editor-pass'),
    northViewer: await mk('viewer@north.test', 'viewer', north.id),
    northManager: await mk('manager@north.test', 'manager', north.id),
    southEditor: await mk('editor@south.test', 'editor', south.id),
  };
  return { services, partners: { north: north.id, south: south.id }, tokens, users: { northEditor: { email: 'editor@north.test', password: 'north-editor-pass' } } };
}

/** Awaits `promise` and checks it fails with an AppError of `code`; returns that error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected ${code}`);
}

/**
 * Asserts the full-text index is consistent with the entitlements: SQLite runs FTS5's integrity
 * check (it throws on a damaged index); PostgreSQL compares every stored document with the one the
 * trigger would write now.
 */
export async function expectSearchInStep(db: Db): Promise<void> {
  if (db.engine === 'sqlite') {
    await sql`insert into entitlement_search (entitlement_search) values ('integrity-check')`.execute(db.kysely);
    return;
  }
  const stale = await sql<{ n: number }>`select count(*)::integer as n from entitlements e join customers c on c.id = e.customer_id
    left join entitlement_search s on s.entitlement_id = e.id where s.doc is distinct from entitlement_search_doc(e.note, e.owner, c.name)`.execute(db.kysely);
  expect(stale.rows[0]!.n).toBe(0);
}
