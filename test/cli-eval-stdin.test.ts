/**
 * `eval -` and `notes eval -` read their notes from standard input, as `classify --input -` and
 * `notes grade --input -` do (they said "No labelled notes at -"); messages name standard input, not
 * the temporary copy it is read from. `import -` names standard input where it said "the file".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnblock } from './cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'unblock-eval-stdin-'));
const env = { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent', UNBLOCK_DEBUG: '', DATABASE_URL: '', SQLITE_FILE: '', PLAYBOOK_DIR: '', NO_COLOR: '1' };
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (args: string[], input: string) => runUnblock(args, { cwd: work, env, timeout: 60_000, input });

describe('evaluating notes from standard input', () => {
  it('eval - scores labelled notes piped in, and names standard input for a line it skips', async () => {
    const labelled = [
      { text: 'The national regulator has not yet approved moving patient records abroad, so the rollout waits for its decision.', l2: 'Legal/Regulatory' },
      { text: 'Their IT team has nobody trained to run Intune and the hiring request is still open.', l1: 'Blocked', l2: 'IT Change Management and Resourcing' },
    ];
    const good = await run(['eval', '-'], `${labelled.map((n) => JSON.stringify(n)).join('\n')}\n`);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^Evaluated 2 notes from standard input\n/);
    const broken = await run(['eval', '--json', '-'], `${JSON.stringify(labelled[0])}\nnot json\n`);
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ source: 'standard input', skipped: [{ file: 'standard input', line: 2, reason: 'invalid JSON' }] });
  });

  it('notes eval - reads a graded set piped in and names standard input in its report and errors', async () => {
    const graded = { text: 'Blocked: the proxy strips the sign-in headers; the network team replaces it in March, then mailboxes move.', grade: 'great', findings: [] };
    const good = await run(['notes', 'eval', '--no-classifier', '-'], `${JSON.stringify(graded)}\n`);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^standard input: 1 notes, grade agreement/);
    const broken = await run(['notes', 'eval', '--no-classifier', '-'], 'zz\n');
    expect([broken.status, broken.stderr]).toEqual([1, 'unblock: standard input:1: not valid JSON. [INVALID_JSON]\n']);
  });
});

describe('import - with nothing usable piped in', () => {
  it('names standard input, not a file', async () => {
    const database = join(work, 'import.db');
    expect((await run(['admin', 'create-partner', '--name', 'Pipe Partner', '--database', database], '')).status).toBe(0);
    const empty = await run(['import', '-', '--database', database], '');
    expect([empty.status, empty.stderr]).toEqual([1, 'unblock: Standard input is empty; it needs a header row and at least one data row. [CSV_INVALID]\n']);
    const headerOnly = await run(['import', '-', '--database', database], 'tenant_id,workload\n');
    expect([headerOnly.status, headerOnly.stderr]).toEqual([1, 'unblock: Standard input has a header but no data rows. [CSV_INVALID]\n']);
  });
});
