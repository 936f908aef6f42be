/**
 * `unblock notes grade --playbook DIR` and `POST /api/notes/grade` (services loaded with PLAYBOOK_DIR)
 * with a playbook that has an L1 of its own ("Paused"): the note template and the fixes quoting it come
 * from that L1 page, not from the generic template.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { buildApp } from '../src/http/index.js';
import { SYSTEM_ACTOR, createToken, createUser } from '../src/tracker/index.js';
import { runUnblock, type CliResult } from './cli-process.js';
import { STATUS_NOTE_FREEZE, STATUS_NOTE_REORG, writeGuidancePlaybook } from './guidance-playbook.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-notes-guidance-'));
const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: join(work, 'data'), PLAYBOOK_DIR: '', UNBLOCK_DEBUG: '', NO_COLOR: '1' };
const withTable = join(work, 'with-table');
const definitionOnly = join(work, 'definition-only');

function grade(args: string[]): Promise<CliResult> {
  return runUnblock(['notes', 'grade', '--no-classifier', ...args], { cwd: work, timeout: 60_000, env });
}

beforeAll(() => {
  writeGuidancePlaybook(withTable, true);
  writeGuidancePlaybook(definitionOnly, false);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('notes grade --playbook with an L1 of its own', () => {
  it("shows the Status Note guidance of the playbook's Paused page as the template and in the fix", async () => {
    const r = await grade(['--json', '--playbook', withTable, '--l1', 'Paused', 'The project is on hold.']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { template: string; l1: string; findings: { code: string; fix: string }[] };
    const expected = `Your playbook's guidance for Paused notes: ${STATUS_NOTE_FREEZE} (Budget Freeze). ${STATUS_NOTE_REORG} (Reorganisation).`;
    expect(out.template).toBe(expected);
    expect(out.l1).toBe('Paused');
    expect(out.template).not.toContain('Say what restarted');
    expect(out.findings.some((f) => f.fix.includes(expected))).toBe(true);
  });

  it('prints the guidance in the terminal output, and in the fixes of --input rows', async () => {
    const text = await grade(['--playbook', withTable, '--l1', 'paused', '--l2', 'Budget Freeze', 'On hold.']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("Your playbook's guidance for Paused notes:");
    const input = join(work, 'rows.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: 'On hold.', l1: 'Paused' })}\n${JSON.stringify({ text: 'On hold.', l1: 'Active' })}\n`);
    const rows = await grade(['--playbook', withTable, '--input', input]);
    expect(rows.status).toBe(0);
    const [paused, active] = rows.stdout.trim().split('\n').map((l) => JSON.parse(l) as { findings: { fix: string }[] });
    expect(JSON.stringify(paused!.findings)).toContain(STATUS_NOTE_FREEZE);
    // Active has no L1 page: the generic template, as before.
    expect(JSON.stringify(active!.findings)).not.toContain("Your playbook's guidance");
  });

  it('falls back to the first sentence of the definition when the L1 page has no Status Note cells', async () => {
    const r = await grade(['--json', '--playbook', definitionOnly, '--l1', 'Paused', 'The project is on hold.']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { template: string }).template).toBe(
      'Your playbook\'s guidance for Paused notes: Say concretely why this customer fits the definition "The customer still wants the service but has put the rollout on hold for a reason of its own."',
    );
  });

  it('keeps the built-in templates for the built-in playbook', async () => {
    const r = await grade(['--json', '--l1', 'Blocked', 'Blocked.']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { template: string }).template).toMatch(/^Customer wants \{workload\} for \{scope\} but is blocked because/);
  });
});

describe('POST /api/notes/grade on services loaded with such a playbook', () => {
  let services: Services | undefined;
  afterAll(async () => services?.close());

  it('answers with the guidance of the L1 page, built when the playbook was loaded', async () => {
    services = await createServices(loadConfig({ ...env, PLAYBOOK_DIR: withTable, DATA_DIR: join(work, 'api-data'), DATABASE_URL: '', LOG_LEVEL: 'silent' }), { classifier: false });
    const user = await createUser(services.tracker, SYSTEM_ACTOR, { email: 'admin@guidance.test', name: 'admin', role: 'admin', partnerId: null });
    const { token } = await createToken(services.tracker, SYSTEM_ACTOR, { name: 'test', userId: user.id });
    const app = await buildApp(services, { webDir: null });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/notes/grade', headers: { authorization: `Bearer ${token}` }, payload: { text: 'On hold.', l1: 'Paused', l2: 'Reorganisation' } });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { template: string; templateSource: string; l1: string };
      expect(body.templateSource).toBe('playbook');
      expect(body.template).toBe(`Your playbook's guidance for Paused notes: ${STATUS_NOTE_FREEZE} (Budget Freeze). ${STATUS_NOTE_REORG} (Reorganisation).`);
      expect(body.l1).toBe('Paused');
    } finally {
      await app.close();
    }
  }, 60_000);
});
