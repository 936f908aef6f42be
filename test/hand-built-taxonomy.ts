/**
 * The playbook's L1/L2 tree as plain names, for tests that need a taxonomy without parsing pages.
 * Definitions live in the playbook pages, not here.
 */
import { slugify } from '../src/lib/index.js';
import type { Taxonomy, TaxonomyCode } from '../src/taxonomy/types.js';

export const STATUS_TREE: Readonly<Record<string, readonly string[]>> = {
  'Status Unknown': ['Customer Unresponsive', 'New Subscription or Workload'],
  'In Progress': ['Technical Onboarding and Deployment', 'Migration', 'Solution or User Adoption'],
  'No Intent': ['Using Competitive Solution', 'Using Microsoft On-Premises Solution', 'Executive Sponsorship'],
  Blocked: [
    'Customer IT Infrastructure and Remediation',
    'IT Change Management and Resourcing',
    'Legal/Regulatory',
    'Security/Privacy (Non-Product/Feature)',
    'Adoption Readiness',
    'Product Feature/Capability',
    'Service Reliability',
    'App Compatibility',
    'Partner Engagement',
    'Billing, Licensing and Subscription',
  ],
  'Duplicate/Invalid': [],
};

/** A taxonomy of {@link STATUS_TREE} with no definitions; `version` defaults to 'builtin-tree'. */
export function buildFallbackTaxonomy(version = 'builtin-tree'): Taxonomy {
  const codes: TaxonomyCode[] = [];
  const l1s = Object.entries(STATUS_TREE).map(([l1, l2s]) => {
    const ids = l2s.length === 0 ? [slugify(l1)] : l2s.map((l2) => `${slugify(l1)}/${slugify(l2)}`);
    if (l2s.length === 0) codes.push({ id: slugify(l1), l1, l2: null, l3: null, definition: null, file: null });
    for (const l2 of l2s) codes.push({ id: `${slugify(l1)}/${slugify(l2)}`, l1, l2, l3: null, definition: null, file: null });
    return { id: slugify(l1), name: l1, definition: null, file: null, codes: ids };
  });
  return { version, l1s, codes, labels: {}, histories: [] };
}
