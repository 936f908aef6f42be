import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintPlaybook } from './lint.js';
import { parsePlaybook } from './parse-playbook.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const seedPath = path.resolve(repoRoot, '../shared/seeds/000_c0dce36be2b128c3.txt');
const builtinDir = path.join(repoRoot, 'playbooks');
const untidyDir = path.join(repoRoot, 'test', 'fixtures', 'untidy');

function readFolder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ file: `${path.basename(dir)}/${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
}

describe('untidy pages in six languages', () => {
  const sources = readFolder(untidyDir);
  const playbook = parsePlaybook(sources);

  it('parses every page to a code, with every example row found', () => {
    expect(sources).toHaveLength(8);
    for (const page of playbook.pages) {
      expect(page.kind, page.file).not.toBe('unknown');
      const source = sources.find((s) => s.file === page.file)?.text ?? '';
      const rowsWritten = source.split(/\r?\n/).filter((l) => /^\s*\|/.test(l) && !/^\s*\|[\s:|-]+\|\s*$/.test(l)).length;
      const tables = source.split(/\r?\n/).filter((l) => /^\s*\|[\s:|-]+\|\s*$/.test(l)).length;
      const rowsRead = page.valid.length + page.invalid.length + page.history.length + (page.entitlementScenarios?.rows.length ?? 0);
      expect(rowsRead, page.file).toBe(rowsWritten - tables);
    }
  });

  it('resolves every label or reports it at its row', () => {
    for (const page of playbook.pages) {
      for (const s of [...page.valid, ...page.invalid]) {
        if (s.l1 !== null) continue;
        const reported = playbook.problems.some((p) => p.file === page.file && p.line === s.line && /PLAYBOOK_LABEL_(UNKNOWN|AMBIGUOUS)/.test(p.code));
        expect(reported, `${page.file}:${s.line} ${s.label}`).toBe(true);
      }
    }
    const unresolved = playbook.pages.flatMap((p) => [...p.valid, ...p.invalid]).filter((s) => s.l1 === null).map((s) => s.label);
    expect(unresolved.sort()).toEqual(['Security/Privacy', 'Service Reliability', 'Something Made Up']);
  });

  it.each([
    ['IT-Änderungsmanagement und Ressourcen', 'Blocked', 'IT Change Management and Resourcing'],
    ['Compatibilidad de aplicaciones', 'Blocked', 'App Compatibility'],
    ['導入準備', 'Blocked', 'Adoption Readiness'],
    ['Migração', 'In Progress', 'Migration'],
    ['Customer IT Infrastructure, Remediation', 'Blocked', 'Customer IT Infrastructure and Remediation'],
    ['Customer IT Infrastructure & Remediation', 'Blocked', 'Customer IT Infrastructure and Remediation'],
    ['Product / Feature Capability', 'Blocked', 'Product Feature/Capability'],
    ['Technical Onboarding', 'In Progress', 'Technical Onboarding and Deployment'],
    ['Tech Onboarding', 'In Progress', 'Technical Onboarding and Deployment'],
    ['Bloqueado: Product / Feature Capability', 'Blocked', 'Product Feature/Capability'],
  ])('a label written %j resolves to %s - %s across the set', (label, l1, l2) => {
    const scenarios = playbook.pages.flatMap((p) => [...p.valid, ...p.invalid]).filter((s) => s.label === label);
    expect(scenarios.length).toBeGreaterThan(0);
    for (const s of scenarios) expect({ l1: s.l1, l2: s.l2 }).toEqual({ l1, l2 });
  });

  it('falls back on a reference taxonomy for codes the set does not define', () => {
    const reference = parsePlaybook([
      { file: 'ref1.md', text: '---\ntitle: Blocked - Security/Privacy (Non-Product/Feature)\n---\n# Security/Privacy (Non-Product/Feature)\n' },
      { file: 'ref2.md', text: '---\ntitle: Blocked - Service Reliability\n---\n# Service Reliability\n' },
    ]).taxonomy;
    const withReference = parsePlaybook(sources, { reference });
    const labels = withReference.problems.filter((p) => p.code === 'PLAYBOOK_LABEL_UNKNOWN');
    expect(labels.map((p) => p.message)).toEqual([expect.stringContaining('Something Made Up')]);
    expect(withReference.taxonomy.codes.map((c) => c.id)).not.toContain('blocked/security-privacy-non-product-feature');
  });
});

describe.skipIf(!existsSync(seedPath))(`seed page (${seedPath})`, () => {
  it('parses to exactly its content, labels resolved against the built-in playbook', () => {
    const sources = [...readFolder(builtinDir), { file: 'seed.txt', text: readFileSync(seedPath, 'utf8') }];
    const playbook = parsePlaybook(sources);
    const seed = playbook.pages.find((p) => p.file === 'seed.txt');
    expect(seed).toMatchObject({ kind: 'l2', l1: 'Blocked', l2: 'IT Change Management and Resourcing', heading: 'IT Change Management and Resourcing' });
    expect(seed?.definition?.length).toBeGreaterThan(200);
    expect(seed?.definition).not.toMatch(/\*\*|Definition:|\[!IMPORTANT\]|^>/);
    expect(seed?.valid).toHaveLength(6);
    expect(seed?.invalid).toHaveLength(2);
    for (const s of seed?.valid ?? []) expect({ label: s.label, l1: s.l1, l2: s.l2 }).toEqual({ label: 'IT Change Management and Resourcing', l1: 'Blocked', l2: 'IT Change Management and Resourcing' });
    expect(seed?.invalid.map((s) => [s.label, s.l1, s.l2])).toEqual([
      ['App Compatibility', 'Blocked', 'App Compatibility'],
      ['Adoption Readiness', 'Blocked', 'Adoption Readiness'],
    ]);
    expect(seed?.questions).toHaveLength(5);
    expect(seed?.questions.every((q) => q.text.includes('?') && !/^\d|^>/.test(q.text) && q.children.length === 0)).toBe(true);
    expect(seed?.history.map((h) => [h.date, h.dateAsWritten])).toEqual([
      ['2020-03-26', '03/26/2020'],
      ['2019-09-27', '9/27/2019'],
    ]);
    expect(seed?.frontMatter['ms.date']).toBe('9/27/2019');
    expect(seed?.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  });
});

describe('built-in playbook', () => {
  it('has 23 pages that lint with zero errors', () => {
    const sources = readFolder(builtinDir);
    const playbook = parsePlaybook(sources);
    const errors = lintPlaybook(playbook).filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.file}:${p.line}:${p.column} ${p.code} ${p.message}`)).toEqual([]);
    expect(playbook.pages.filter((p) => p.kind === 'l1')).toHaveLength(5);
    expect(playbook.pages.filter((p) => p.kind === 'l2')).toHaveLength(18);
    expect(playbook.taxonomy.codes).toHaveLength(19);
  });

  it('lints clean: no warnings or notes either, and every code matches its file name', () => {
    const playbook = parsePlaybook(readFolder(builtinDir));
    const problems = lintPlaybook(playbook, { knownCodes: playbook.taxonomy.codes.map((c) => c.id) });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.code}`)).toEqual([]);
  });
});
