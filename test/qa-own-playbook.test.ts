/**
 * QA round "a partner brings its own playbook": a page set of the partner's own L1s (Paused, Live),
 * linted and evaluated as `unblock playbook lint DIR` and `unblock eval --playbook DIR FILE` do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintCodeNames, lintPlaybook, parsePlaybook } from '../src/playbook/index.js';
import type { Evaluation } from '../src/classifier/index.js';
import { formatEvaluation, readLabelledNotes } from '../src/cli/commands/eval.js';
import { runUnblock } from './cli-process.js';
import { checkStoredCodes, loadTaxonomy } from '../src/app/index.js';
import { migrateToLatest, openDatabase } from '../src/db/index.js';
import { SYSTEM_ACTOR, createCustomer, createPartner } from '../src/tracker/index.js';
import { fixedClock, makeTaxonomy } from './factories.js';
import { partnerPage } from './partner-pages.js';

/** An "L1 - L2" page of the partner's own rollout taxonomy. */
function page(title: string, heading: string, scenarios: string[], status: string): string {
  return partnerPage({ title, heading, author: 'Rollout partner', scenarios, status, question: 'What is missing, and since when?' });
}

const hardware = (title = 'Paused - Hardware Delay') => page(title, 'Hardware Delay', ['Laptops stuck at customs.', 'Switches back-ordered for six weeks.'], 'Hardware Delay');
const budget = () => page('Paused - Budget Freeze', 'Budget Freeze', ['Finance froze all purchases until April.', 'CFO cut the budget by half.'], 'Budget Freeze');
const pilot = (title = 'Live - Pilot Running') => page(title, 'Pilot Running', ['Forty sales users on the pilot since Monday.', 'Helpdesk staff piloting the client.'], 'Pilot Running');

const codeProblems = (sources: { file: string; text: string }[]) =>
  lintPlaybook(parsePlaybook(sources)).filter((p) => p.code === 'PLAYBOOK_CODE_FILE_MISMATCH');

describe('lint of a page set with L1s of its own', () => {
  it("warns when a title disagrees with its l1--l2.md file name, for the set's own L1s as for the five", () => {
    const sources = [
      { file: 'pages/paused--hardware-delay.md', text: hardware('Paused - Hardwre Delay') },
      { file: 'pages/paused--budget-freeze.md', text: budget() },
      { file: 'pages/live--pilot-running.md', text: pilot('Live - Pilot Runing') },
    ];
    const problems = codeProblems(sources);
    expect(problems.map((p) => [p.file, p.line, p.column])).toEqual([
      // At the mistyped title (line 2, after `title: `).
      ['pages/live--pilot-running.md', 2, 8],
      ['pages/paused--hardware-delay.md', 2, 8],
    ]);
    expect(problems[1]?.message).toMatch(/define paused\/hardwre-delay, but its file name stands for paused\/hardware-delay.*Fix the title or rename the file/);
    // The same check the server runs against stored codes at startup.
    expect(lintCodeNames(parsePlaybook(sources)).map((p) => p.file)).toEqual(['pages/live--pilot-running.md', 'pages/paused--hardware-delay.md']);
  });

  it('warns about a mistyped L1 in a title when other pages of the set spell it right', () => {
    const problems = codeProblems([
      { file: 'paused--hardware-delay.md', text: hardware('Pasued - Hardware Delay') },
      { file: 'paused--budget-freeze.md', text: budget() },
    ]);
    expect(problems.map((p) => p.file)).toEqual(['paused--hardware-delay.md']);
    expect(problems[0]?.message).toMatch(/pasued\/hardware-delay, but its file name stands for paused\/hardware-delay/);
  });

  it('leaves file names that follow no L1 of the set alone', () => {
    expect(codeProblems([
      { file: 'notes--about.md', text: hardware() },
      { file: 'budget.md', text: budget() },
    ])).toEqual([]);
  });

  it("names the page whose alias takes another code's name, not the page that owns the name", () => {
    const withAlias = hardware().replace('author: Rollout partner', 'author: Rollout partner\naliases:\n  - Budget Freeze');
    const conflicts = lintPlaybook(parsePlaybook([
      { file: 'paused--budget-freeze.md', text: budget() },
      { file: 'paused--hardware-delay.md', text: withAlias },
    ])).filter((p) => p.code === 'TAXONOMY_LABEL_CONFLICT');
    expect(conflicts.map((p) => p.file)).toEqual(['paused--hardware-delay.md']);
    expect(conflicts[0]?.message).toMatch(/"Budget Freeze" is claimed by paused\/budget-freeze, paused\/hardware-delay.*Remove the alias "Budget Freeze" from this page's `aliases:`/);
    // One L2 name under two L1s is no alias to remove: the codes are renamed, or statuses written in full.
    const twoL1s = lintPlaybook(parsePlaybook([
      { file: 'paused--hardware-delay.md', text: hardware() },
      { file: 'live--hardware-delay.md', text: hardware('Live - Hardware Delay') },
    ])).filter((p) => p.code === 'TAXONOMY_LABEL_CONFLICT');
    expect(twoL1s.map((p) => p.message)).toEqual([expect.stringMatching(/Rename one of the codes, or write such statuses in full \("L1 - L2"\)\.$/)]);
  });

  it('says that a row pasted from a spreadsheet has tabs where the | belong', () => {
    const pasted = budget().replace('| CFO cut the budget by half. | Budget Freeze |', 'CFO cut the budget by half.\tBudget Freeze');
    const problems = lintPlaybook(parsePlaybook([{ file: 'paused--budget-freeze.md', text: pasted }])).filter((p) => p.code === 'PLAYBOOK_SCENARIO_NO_LABEL');
    const line = pasted.split('\n').indexOf('CFO cut the budget by half.\tBudget Freeze') + 1;
    expect(line).toBe(16);
    expect(problems.map((p) => [p.line, p.column])).toEqual([[line, 1]]);
    expect(problems[0]?.message).toMatch(/no \| between its cells .*apart by a tab.*write it as `\| scenario \| status \|`/);
  });

  it('counts one example in the singular', () => {
    const one = budget().replace('| CFO cut the budget by half. | Budget Freeze |\n', '');
    const messages = lintPlaybook(parsePlaybook([{ file: 'paused--budget-freeze.md', text: one }])).filter((p) => p.code === 'PLAYBOOK_FEW_VALID_SCENARIOS').map((p) => p.message);
    expect(messages).toEqual([expect.stringMatching(/^Only 1 valid example scenario; write at least 15 /)]);
  });

  it('counts columns on line 1 of a page with a byte-order mark as an editor shows them', () => {
    const withBom = `\uFEFF${budget()}`.replace(/\n/g, '\r\n');
    const problems = lintPlaybook(parsePlaybook([{ file: 'paused--budget-freeze.md', text: withBom }]));
    // Nothing on line 1 sits past the mark's column (a page with no invalid examples used to be warned
    // about at 1:1; that warning now sits at the page's heading).
    expect(problems.filter((p) => p.line === 1 && p.column !== 1)).toEqual([]);
    // The title warning is at the title, whatever the byte-order mark and the line ends.
    expect(problems.filter((p) => p.code === 'PLAYBOOK_UNKNOWN_L1').map((p) => [p.line, p.column])).toEqual([[2, 8]]);
    // A broken opening fence is at the fence, column 1 after the mark; the title warning still at the title.
    const broken = lintPlaybook(parsePlaybook([{ file: 'paused--budget-freeze.md', text: withBom.replace(/^\uFEFF---/, '\uFEFF----') }]));
    const fenceAndTitle = broken.filter((p) => p.code === 'PLAYBOOK_FRONT_MATTER_INVALID' || p.code === 'PLAYBOOK_UNKNOWN_L1');
    expect(fenceAndTitle.map((p) => [p.code, p.line, p.column])).toEqual([
      ['PLAYBOOK_FRONT_MATTER_INVALID', 1, 1],
      ['PLAYBOOK_UNKNOWN_L1', 2, 8],
    ]);
  });
});

describe('eval --playbook with labelled notes of the own taxonomy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qa-own-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { taxonomy } = parsePlaybook([
    { file: 'paused--hardware-delay.md', text: hardware() },
    { file: 'paused--budget-freeze.md', text: budget() },
    { file: 'live--pilot-running.md', text: pilot() },
  ]);

  it('skips a row whose text is empty as a line that could not be read, instead of scoring it', () => {
    const file = join(dir, 'notes.jsonl');
    writeFileSync(file, [
      JSON.stringify({ text: 'Laptops for the Leeds site are held by customs.', l1: 'Paused', l2: 'Hardware Delay' }),
      JSON.stringify({ text: '   ', l2: 'Hardware Delay' }),
      JSON.stringify({ text: 'Pilot with 25 HR users started.', l2: 'Kit Late' }),
    ].join('\n'));
    const { notes, skipped } = readLabelledNotes([file], taxonomy);
    expect(notes).toEqual([{ text: 'Laptops for the Leeds site are held by customs.', code: 'paused/hardware-delay' }]);
    expect(skipped).toEqual([
      { file, line: 2, reason: 'empty "text"' },
      { file, line: 3, reason: 'label "Kit Late" is unknown' },
    ]);
  });

  it('shows no accuracy when answered when every note abstained', () => {
    const evaluation: Evaluation = {
      count: 2, top1: 0.5, top3: 1, l1Accuracy: 1, macroF1: 0.5, ece: 0.3, abstentionRate: 1, accuracyOnAnswered: 0, perCode: [], confusedPairs: [],
    };
    const text = formatEvaluation(evaluation, 'notes.jsonl', []);
    expect(text).toMatch(/accuracy when answered {2}-$/m);
    expect(formatEvaluation({ ...evaluation, abstentionRate: 0.5 }, 'notes.jsonl', [])).toMatch(/accuracy when answered {2}0\.0%$/m);
  });
});

describe('playbook lint and parse with PLAYBOOK_DIR, as serve, show, classify and eval read it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qa-own-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pages = join(dir, 'pages');
  const env = (playbookDir: string) => ({ ...process.env, DATA_DIR: join(dir, 'data'), PLAYBOOK_DIR: playbookDir, NO_COLOR: '1' });

  it("lints the partner's pages, not the built-in ones, when no path is given", async () => {
    mkdirSync(pages, { recursive: true });
    writeFileSync(join(pages, 'paused--hardware-delay.md'), hardware('Paused - Hardwre Delay'));
    writeFileSync(join(pages, 'paused--budget-freeze.md'), budget());
    const [linted, parsed, builtin] = await Promise.all([
      runUnblock(['playbook', 'lint'], { cwd: dir, env: env(pages) }),
      runUnblock(['playbook', 'parse'], { cwd: dir, env: env(pages) }),
      runUnblock(['playbook', 'lint'], { cwd: dir, env: env('') }),
    ]);
    expect(linted.status).toBe(0);
    expect(linted.stdout).toMatch(/paused--hardware-delay\.md:2:8 warning PLAYBOOK_CODE_FILE_MISMATCH /);
    expect(linted.stderr).toMatch(/^unblock: read the pages of PLAYBOOK_DIR \(.*pages\)/m);
    expect(linted.stderr).toMatch(/^2 page\(s\): 0 error\(s\)/m);
    expect(parsed.stdout).toMatch(/^2 page\(s\), 2 code\(s\)/m);
    expect(builtin.stderr).toMatch(/^23 page\(s\): 0 error\(s\), 0 warning\(s\)/m);
  });

  it('names PLAYBOOK_DIR when the folder it names is missing (exit 2)', async () => {
    const r = await runUnblock(['playbook', 'lint'], { cwd: dir, env: env(join(dir, 'no-pages')) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^unblock: PLAYBOOK_DIR: .*no-pages/);
  });
});

describe('stored entitlements on a code the partner\'s pages no longer define', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qa-own-stored-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('blames the page whose file name stands for the code, for the set\'s own L1s too (it blamed the folder)', async () => {
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    writeFileSync(join(pages, 'paused--hardware-delay.md'), hardware());
    // The page of Budget Freeze was retitled Funding Hold, keeping its file name.
    writeFileSync(join(pages, 'paused--budget-freeze.md'), page('Paused - Funding Hold', 'Funding Hold', ['Finance froze all purchases until April.', 'The CFO cut the budget by half.'], 'Funding Hold'));
    const { playbook } = await loadTaxonomy(pages);
    const db = await openDatabase({ sqlitePath: ':memory:' });
    try {
      await migrateToLatest(db.kysely, 'sqlite');
      const taxonomy = makeTaxonomy();
      const ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
      const partner = await createPartner(ctx, SYSTEM_ACTOR, { name: 'Rollout Partners' });
      await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'stored-old', name: 'Stored Old', partnerId: partner.id, workloads: ['teams', 'intune'] });
      await db.kysely.updateTable('entitlements').set({ code: 'paused/budget-freeze', l1: 'Paused', l2: 'Budget Freeze' }).execute();
      const { problems } = await checkStoredCodes(db, playbook, pages);
      const missing = problems.filter((p) => p.code === 'PLAYBOOK_CODE_IN_USE_MISSING');
      expect(missing.map((p) => [p.file.split(/[\\/]/).pop(), p.message.slice(0, 60)])).toEqual([['paused--budget-freeze.md', '2 stored entitlement(s) use paused/budget-freeze, which this']]);
    } finally {
      await db.close();
    }
  });
});
