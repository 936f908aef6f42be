import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'unblock.js');
const work = mkdtempSync(join(tmpdir(), 'unblock-classify-'));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, DATA_DIR: join(work, 'data') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'assets', 'model.json')) || !existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    execFileSync(process.execPath, ['dist/scripts/build-assets.js'], { cwd: root, stdio: 'ignore' });
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unblock classify', () => {
  it('answers IT Change Management and Resourcing for a note about missing IT skills, with an explanation', () => {
    const r = run(['classify', 'IT has no one with the skills to run the new workload']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Blocked \/ IT Change Management and Resourcing/);
    expect(r.stdout).toMatch(/Words that weighed most: .*skills/);
    expect(r.stdout).toMatch(/Nearest playbook examples:/);
    expect(r.stdout).toMatch(/Definition: /);
  });

  it('prints JSON with --json and limits candidates with --top', () => {
    const r = run(['classify', '--json', '--top', '2', 'The proxy servers block connections to the cloud service']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { l2: string; l1: string; confidence: number; alternatives: unknown[]; explanation: { nearestExamples: unknown[] } };
    expect(result.l1).toBe('Blocked');
    expect(result.l2).toBe('Customer IT Infrastructure and Remediation');
    expect(result.alternatives).toHaveLength(1);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.explanation.nearestExamples.length).toBeGreaterThan(0);
  });

  it('rejects unusable arguments with exit code 2', () => {
    expect(run(['classify']).status).toBe(2);
    expect(run(['classify', '--top', 'zero', 'some note']).status).toBe(2);
  });

  it('streams a JSONL file in input order, passing extra fields through; bad rows get an error object and exit 1', () => {
    const input = join(work, 'notes.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'a', text: 'Customer has not answered four emails and two calls since March.' }),
        '{not json',
        JSON.stringify({ id: 'c', body: 'no text field here' }),
        JSON.stringify({ id: 'd', text: '' }),
        JSON.stringify({ id: 'e', text: 'They use a rival chat product company-wide and will not switch.' }),
      ].join('\n'),
    );
    const output = join(work, 'out.jsonl');
    const r = run(['classify', '--input', input, '--output', output]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/classified 3 note\(s\); 2 bad row\(s\)/);
    const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ id: 'a', l2: 'Customer Unresponsive' });
    expect(lines[1]).toMatchObject({ row: 2, error: { code: 'INVALID_JSON' } });
    expect((lines[1]?.error as { message: string }).message).toBe('The line is not valid JSON: it has "not" at character 2 where a field name in double quotes should be.');
    expect(lines[2]).toMatchObject({ id: 'c', row: 3, error: { code: 'VALIDATION_FAILED' } });
    expect((lines[2]?.error as { message: string }).message).toMatch(/text/);
    expect(lines[3]).toMatchObject({ id: 'd', abstained: true });
    expect(lines[4]).toMatchObject({ id: 'e', l1: 'No Intent' });
  });

  it('reads a CSV file with a text column and fails clearly without one', () => {
    const input = join(work, 'notes.csv');
    writeFileSync(input, 'ref,text\n1,"The firewall drops traffic to Exchange Online, so the mailbox move waits"\n2,Partner has not signed the statement of work\n');
    const r = run(['classify', '--input', input]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.ref)).toEqual(['1', '2']);
    expect(lines[1]?.l2).toBe('Partner Engagement');
    const bad = join(work, 'bad.csv');
    writeFileSync(bad, 'ref,body\n1,hello\n');
    const r2 = run(['classify', '--input', bad]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/no "text" \(or "note"\) column/);
  });
});

describe('model cache', () => {
  it('caches a model trained for another page set under DATA_DIR, not under ./data of the working folder', () => {
    const cwd = mkdtempSync(join(work, 'cwd-'));
    const dataDir = join(work, 'configured-data');
    const env = { ...process.env, DATA_DIR: dataDir };
    const args = [bin, 'classify', '--json', '--playbook', join(root, 'test', 'fixtures', 'untidy'), 'IT has no one to run it'];
    const first = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env });
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/training the classifier/);
    expect(readdirSync(join(dataDir, 'cache')).some((f) => /^model-.+\.json$/.test(f))).toBe(true);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    const second = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env });
    expect(second.status).toBe(0);
    expect(second.stderr).not.toMatch(/training/);
  });
});

describe('built-in model', () => {
  it('is calibrated on cross-validation folds of the page examples (ECE within 0.05, lower than before scaling)', () => {
    const model = JSON.parse(readFileSync(join(root, 'dist', 'assets', 'model.json'), 'utf8')) as {
      temperature: number;
      crossValidation: { ece: number; eceBeforeCalibration: number; examples: number; top1: number } | null;
    };
    expect(model.crossValidation).not.toBeNull();
    expect(model.crossValidation?.examples).toBeGreaterThan(100);
    expect(model.crossValidation?.ece).toBeLessThanOrEqual(0.05);
    expect(model.crossValidation?.ece).toBeLessThan(model.crossValidation?.eceBeforeCalibration ?? 0);
    expect(model.temperature).not.toBe(1);
  });

  it('calibrates thin notes on thin fragments of the scenarios: a softer temperature that cuts their calibration error', () => {
    const model = JSON.parse(readFileSync(join(root, 'dist', 'assets', 'model.json'), 'utf8')) as {
      temperature: number;
      thinTemperature?: number;
      crossValidation: { thin?: { examples: number; top1: number; ece: number; eceAtMainTemperature: number } } | null;
    };
    const thin = model.crossValidation?.thin;
    expect(thin?.examples).toBeGreaterThan(100);
    expect(model.thinTemperature).toBeGreaterThan(model.temperature);
    expect(thin?.ece).toBeLessThanOrEqual(0.05);
    expect(thin?.ece).toBeLessThan((thin?.eceAtMainTemperature ?? 0) / 2);
  });
});

describe('unblock eval', () => {
  it('prints the figures for a labelled JSONL file, resolving labels written loosely', () => {
    const file = join(work, 'labelled.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ text: 'IT has no one with the skills to run the new workload', l1: 'Blocked', l2: 'IT change management & resourcing' }),
        JSON.stringify({ text: 'No reply to five emails and three calls', l2: 'Customer Unresponsive' }),
        JSON.stringify({ text: 'Second tenant created by mistake, nobody uses it', l1: 'Duplicate/Invalid', l2: null }),
        JSON.stringify({ text: 'unlabelled', l2: 'Not A Real Code' }),
      ].join('\n'),
    );
    const r = run(['eval', '--json', file]);
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout) as { count: number; top1: number; top3: number; ece: number; macroF1: number; skipped: unknown[]; perCode: unknown[]; abstentionRate: number; accuracyOnAnswered: number };
    expect(e.count).toBe(3);
    expect(e.skipped).toHaveLength(1);
    expect(e.top3).toBeGreaterThanOrEqual(e.top1);
    for (const key of ['top1', 'top3', 'ece', 'macroF1', 'abstentionRate', 'accuracyOnAnswered'] as const) expect(typeof e[key]).toBe('number');
    const human = run(['eval', file]);
    expect(human.stdout).toMatch(/top-1 accuracy/);
    // A path that holds no labelled notes is an unusable argument.
    const missing = run(['eval', join(work, 'no-such.jsonl')]);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('No labelled notes at')]);
    const empty = run(['eval', join(root, 'docs')]);
    expect([empty.status, empty.stderr]).toEqual([2, expect.stringContaining('No *.jsonl files in the folder')]);
    // A code no note has and none was answered with shows dashes, not 0.0%.
    expect(human.stdout).toMatch(/\n {2}No Intent \/ Executive Sponsorship +0 +- +-\n/);
    expect(human.stdout).not.toMatch(/ 0 +0\.0% +0\.0%/);
    expect(human.stdout).toMatch(/calibration error \(ECE\)/);
  });
});
