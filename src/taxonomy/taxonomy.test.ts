import { describe, expect, it } from 'vitest';
import { isAppError } from '../lib/errors.js';
import { buildTaxonomy } from './build-taxonomy.js';
import { codeIdOf } from './code-id.js';
import { findCode, getCode, listCodes, suggestCodes } from './codes.js';
import { resolveLabel } from './resolve-label.js';
import type { TaxonomyPageInput } from './types.js';

function page(file: string, l1: string, l2: string | null, extra: Partial<TaxonomyPageInput> = {}): TaxonomyPageInput {
  return { file, kind: l2 === null ? 'l1' : 'l2', l1, l2, heading: l2 ?? l1, aliases: [], definition: `Definition of ${l2 ?? l1}`, history: [], contentHash: file, ...extra };
}

const PAGES: TaxonomyPageInput[] = [
  page('blocked.md', 'Blocked', null, { heading: 'Bloqueado' }),
  page('b-infra.md', 'Blocked', 'Customer IT Infrastructure and Remediation'),
  page('b-change.md', 'Blocked', 'IT Change Management and Resourcing', { heading: 'IT-Änderungsmanagement und Ressourcen' }),
  page('b-feature.md', 'Blocked', 'Product Feature/Capability'),
  page('b-security.md', 'Blocked', 'Security/Privacy (Non-Product/Feature)', { aliases: ['Security Concerns'] }),
  page('b-legal.md', 'Blocked', 'Legal/Regulatory'),
  page('b-billing.md', 'Blocked', 'Billing, Licensing and Subscription'),
  page('ip-onboarding.md', 'In Progress', 'Technical Onboarding and Deployment'),
  page('ip-migration.md', 'In Progress', 'Migration', { heading: 'Migração' }),
  page('ip-adoption.md', 'In Progress', 'Solution or User Adoption'),
  page('su-unresponsive.md', 'Status Unknown', 'Customer Unresponsive'),
  page('su-new.md', 'Status Unknown', 'New Subscription or Workload'),
  page('dup.md', 'Duplicate/Invalid', null),
  { file: 'readme.md', kind: 'unknown', l1: null, l2: null, heading: 'Read me', aliases: [], definition: null, history: [] },
];

const { taxonomy, problems } = buildTaxonomy(PAGES);

describe('buildTaxonomy', () => {
  it('makes a code of every L2 and of every L1 without L2 pages', () => {
    expect(listCodes(taxonomy).map((c) => c.id)).toEqual([
      'status-unknown/customer-unresponsive',
      'status-unknown/new-subscription-or-workload',
      'in-progress/migration',
      'in-progress/solution-or-user-adoption',
      'in-progress/technical-onboarding-and-deployment',
      'blocked/billing-licensing-and-subscription',
      'blocked/customer-it-infrastructure-and-remediation',
      'blocked/it-change-management-and-resourcing',
      'blocked/legal-regulatory',
      'blocked/product-feature-capability',
      'blocked/security-privacy-non-product-feature',
      'duplicate-invalid',
    ]);
    expect(taxonomy.l1s.map((l) => [l.name, l.codes.length, l.file])).toEqual([
      ['Status Unknown', 2, null],
      ['In Progress', 3, null],
      ['Blocked', 6, 'blocked.md'],
      ['Duplicate/Invalid', 1, 'dup.md'],
    ]);
    expect(findCode(taxonomy, 'duplicate-invalid')).toMatchObject({ l1: 'Duplicate/Invalid', l2: null, l3: null, file: 'dup.md' });
    expect(problems).toEqual([]);
  });

  it('versions the page set by content', () => {
    expect(taxonomy.version).toMatch(/^[0-9a-f]{12}$/);
    expect(buildTaxonomy([...PAGES].reverse()).taxonomy.version).toBe(taxonomy.version);
    const changed = PAGES.map((p) => (p.file === 'ip-migration.md' ? { ...p, contentHash: 'changed' } : p));
    expect(buildTaxonomy(changed).taxonomy.version).not.toBe(taxonomy.version);
  });

  it('keeps each page history', () => {
    const withHistory = buildTaxonomy([page('x.md', 'Blocked', 'Legal/Regulatory', { history: [{ date: '2024-01-02', who: 'A', what: 'B' }] })]).taxonomy;
    expect(withHistory.histories).toEqual([{ file: 'x.md', code: 'blocked/legal-regulatory', history: [{ date: '2024-01-02', who: 'A', what: 'B' }] }]);
  });

  it('reports a name claimed by two codes and a code defined twice', () => {
    const clash = buildTaxonomy([
      page('a.md', 'Blocked', 'Legal/Regulatory', { aliases: ['Compliance'] }),
      page('b.md', 'Blocked', 'Security/Privacy (Non-Product/Feature)', { aliases: ['Compliance'] }),
      page('c.md', 'Blocked', 'Legal/Regulatory'),
    ]);
    expect(clash.problems.map((p) => [p.code, p.file])).toEqual(
      expect.arrayContaining([
        ['TAXONOMY_DUPLICATE_PAGE', 'c.md'],
        ['TAXONOMY_LABEL_CONFLICT', 'a.md'],
      ]),
    );
    expect(resolveLabel(clash.taxonomy, 'compliance')).toMatchObject({ ok: false, reason: 'ambiguous' });
  });
});

describe('resolveLabel', () => {
  it.each([
    ['Customer IT Infrastructure and Remediation', 'blocked/customer-it-infrastructure-and-remediation'],
    ['customer it infrastructure & remediation', 'blocked/customer-it-infrastructure-and-remediation'],
    ['Customer IT Infrastructure, Remediation', 'blocked/customer-it-infrastructure-and-remediation'],
    ['  CUSTOMER   IT INFRASTRUCTURE AND REMEDIATION.', 'blocked/customer-it-infrastructure-and-remediation'],
    ['Product / Feature Capability', 'blocked/product-feature-capability'],
    ['Product Feature / Capability', 'blocked/product-feature-capability'],
    ['Technical Onboarding', 'in-progress/technical-onboarding-and-deployment'],
    ['In Progress - Technical Onboarding', 'in-progress/technical-onboarding-and-deployment'],
    ['Blocked - Legal/Regulatory', 'blocked/legal-regulatory'],
    ['Blocked: Legal & Regulatory', 'blocked/legal-regulatory'],
    ['Bloqueado - Legal/Regulatory', 'blocked/legal-regulatory'],
    ['Security/Privacy', 'blocked/security-privacy-non-product-feature'],
    ['security concerns', 'blocked/security-privacy-non-product-feature'],
    ['IT-Änderungsmanagement und Ressourcen', 'blocked/it-change-management-and-resourcing'],
    ['it anderungsmanagement ressourcen', 'blocked/it-change-management-and-resourcing'],
    ['Migração', 'in-progress/migration'],
    ['Solution/User Adoption', 'in-progress/solution-or-user-adoption'],
    ['New Subscription / Workload', 'status-unknown/new-subscription-or-workload'],
    ['Duplicate/Invalid', 'duplicate-invalid'],
    ['Duplicate', 'duplicate-invalid'],
    ['\u200BBilling,\u00A0Licensing and Subscription', 'blocked/billing-licensing-and-subscription'],
  ])('%j -> %s', (label, id) => {
    const resolution = resolveLabel(taxonomy, label);
    expect(resolution.ok ? resolution.code.id : resolution).toBe(id);
  });

  it.each([
    ['Blocked', 'ambiguous', 6],
    ['Bloqueado', 'ambiguous', 6],
    ['Customer', 'ambiguous', 2],
    ['In Progress', 'ambiguous', 3],
    ['Something Else', 'unknown', 0],
    ['Technical Debt', 'unknown', 0],
    ['', 'unknown', 0],
    ['Infrastructure', 'unknown', 0],
  ])('%j is %s (%i candidates), never a guess', (label, reason, count) => {
    const resolution = resolveLabel(taxonomy, label);
    expect(resolution.ok).toBe(false);
    if (!resolution.ok) {
      expect(resolution.reason).toBe(reason);
      expect(resolution.candidates).toHaveLength(count);
    }
  });
});

describe('codes', () => {
  it('codeIdOf builds stable ids', () => {
    expect(codeIdOf('Blocked', 'Security/Privacy (Non-Product/Feature)')).toBe('blocked/security-privacy-non-product-feature');
    expect(codeIdOf('Duplicate/Invalid')).toBe('duplicate-invalid');
    expect(codeIdOf('Duplicate/Invalid', null)).toBe('duplicate-invalid');
  });

  it('getCode finds by id or name and throws UNKNOWN_CODE with suggestions otherwise', () => {
    expect(getCode(taxonomy, 'blocked/legal-regulatory').l2).toBe('Legal/Regulatory');
    expect(getCode(taxonomy, 'Legal').l2).toBe('Legal/Regulatory');
    let error: unknown;
    try {
      getCode(taxonomy, 'Migraton');
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('UNKNOWN_CODE');
    expect(isAppError(error) && error.message).toContain('In Progress - Migration');
  });

  it('suggestCodes ranks close spellings first', () => {
    expect(suggestCodes(taxonomy, 'Custmer Unresponsiv')[0]?.id).toBe('status-unknown/customer-unresponsive');
    expect(suggestCodes(taxonomy, 'zzzzzz')).toEqual([]);
  });
});

describe('resolveLabel on a hand-built taxonomy without labels', () => {
  it('still resolves code names', () => {
    const bare = { ...taxonomy, labels: {} };
    const resolution = resolveLabel(bare, 'Technical Onboarding');
    expect(resolution.ok && resolution.code.id).toBe('in-progress/technical-onboarding-and-deployment');
    expect(resolveLabel(bare, 'Migração').ok).toBe(false);
  });
});
