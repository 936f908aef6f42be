/**
 * `unblock notes grade --playbook DIR` and `POST /api/notes/grade` (services loaded with PLAYBOOK_DIR) on a
 * playbook with an L1 of its own that follows the Blocked rules (Stalled, `rules: Blocked` on its page): a
 * note filed under Stalled gets the findings a Blocked note gets. Before, the coach knew Stalled by its
 * name only and gave it the generic coaching.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseNote } from '../src/app/advice.js';
import { createAdvisor, createNoteCoachPort, createServices, type Services } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { buildApp } from '../src/http/index.js';
import { SYSTEM_ACTOR, createToken, createUser } from '../src/tracker/index.js';
import { runUnblock, type CliResult } from './cli-process.js';
import { fakeClassifier } from './factories.js';
import { ownInvalidPages } from './own-invalid-taxonomy.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-notes-rules-kind-'));
const pages = join(work, 'playbook');
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), PLAYBOOK_DIR: '', UNBLOCK_DEBUG: '', NO_COLOR: '1' };
const NOTE = 'They use Slack and Zoom.';
const BLOCKED_INTENT = 'The note does not say that the customer wants the service and is stopped.';

type Graded = { l1: string; findings: { code: string; message: string }[] };

function grade(args: string[]): Promise<CliResult> {
  return runUnblock(['notes', 'grade', '--no-classifier', '--json', ...args], { cwd: work, timeout: 60_000, env });
}

beforeAll(() => {
  mkdirSync(pages);
  for (const page of ownInvalidPages()) writeFileSync(join(pages, page.file), page.text);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('notes grade on a playbook whose Stalled follows the Blocked rules', () => {
  it('gives a Stalled note the findings of a Blocked one, and names Stalled', async () => {
    const [stalled, blocked] = await Promise.all([grade(['--playbook', pages, '--l1', 'stalled', NOTE]), grade(['--playbook', pages, '--l1', 'Blocked', NOTE])]);
    for (const r of [stalled, blocked]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const [s, b] = [JSON.parse(stalled.stdout) as Graded, JSON.parse(blocked.stdout) as Graded];
    expect(s.findings.map((f) => [f.code, f.message])).toEqual([['NO_INTENT', BLOCKED_INTENT]]);
    expect(s.findings.map((f) => [f.code, f.message])).toEqual(b.findings.map((f) => [f.code, f.message]));
    expect(s.l1).toBe('Stalled');
  }, 120_000);
});

describe('POST /api/notes/grade on services loaded with that playbook', () => {
  let services: Services | undefined;
  afterAll(async () => services?.close());

  it('gives a Stalled note the findings of a Blocked one', async () => {
    services = await createServices(loadConfig({ ...env, PLAYBOOK_DIR: pages, DATA_DIR: join(work, 'api-data'), DATABASE_URL: '', LOG_LEVEL: 'silent' }), { classifier: false });
    const user = await createUser(services.tracker, SYSTEM_ACTOR, { email: 'admin@kinds.test', name: 'admin', role: 'admin', partnerId: null });
    const { token } = await createToken(services.tracker, SYSTEM_ACTOR, { name: 'test', userId: user.id });
    const app = await buildApp(services, { webDir: null });
    try {
      const post = (l1: string) => app.inject({ method: 'POST', url: '/api/notes/grade', headers: { authorization: `Bearer ${token}` }, payload: { text: NOTE, l1 } });
      const [stalled, blocked] = [await post('Stalled'), await post('Blocked')];
      expect([stalled.statusCode, blocked.statusCode]).toEqual([200, 200]);
      const [s, b] = [stalled.json() as Graded, blocked.json() as Graded];
      expect(s.findings.map((f) => [f.code, f.message])).toEqual([['NO_INTENT', BLOCKED_INTENT]]);
      expect(s.findings.map((f) => f.message)).toEqual(b.findings.map((f) => f.message));
      expect(s.l1).toBe('Stalled');
    } finally {
      await app.close();
    }
  }, 120_000);
});

describe("the tracker's note advice, on the classifier's workers too", () => {
  it('sends the kinds with each note the workers advise on, so a stored Stalled grade is a Blocked one', async () => {
    const coach = createNoteCoachPort(null, {}, { Stalled: 'blocked' });
    const sent: unknown[] = [];
    // Stands in for the worker pool: each note is advised as a worker advises on it, from the job it is sent.
    const pool = {
      ...fakeClassifier,
      adviseMany: async (items: readonly Parameters<typeof adviseNote>[1][]) => items.map((item) => (sent.push(structuredClone(item)), adviseNote(null, structuredClone(item)))),
    };
    const advisor = createAdvisor(pool, coach);
    const [stalled, blocked] = await advisor.adviseMany!([{ note: NOTE, l1: 'Stalled', l2: 'Staffing Gap' }, { note: NOTE, l1: 'Blocked', l2: 'Legal/Regulatory' }]);
    expect(stalled!.grade!.findings).toEqual([{ code: 'NO_INTENT', message: BLOCKED_INTENT }]);
    expect(stalled!.grade).toEqual(blocked!.grade);
    expect(sent).toEqual([expect.objectContaining({ l1: 'Stalled', l1Kinds: { Stalled: 'blocked' } }), expect.objectContaining({ l1: 'Blocked' })]);
    // The built-in playbook's coach sends the notes as they are.
    const plain: unknown[] = [];
    await createAdvisor({ ...pool, adviseMany: async (items: readonly Parameters<typeof adviseNote>[1][]) => items.map((item) => (plain.push(item), adviseNote(null, item))) }, createNoteCoachPort(null)).adviseMany!([{ note: NOTE, l1: 'Blocked', l2: null }]);
    expect(plain).toEqual([{ note: NOTE, l1: 'Blocked', l2: null }]);
  });
});
