/**
 * Pages and a taxonomy with an L1 of the playbook's own that follows the Duplicate/Invalid rules:
 * Excluded (its L1 page says `rules: Duplicate/Invalid`), with two reasons, beside the built-in pages
 * and the own-L1 fixture set's Stalled (`rules: Blocked`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePlaybook } from '../src/playbook/index.js';
import type { Taxonomy } from '../src/taxonomy/types.js';

const root = path.resolve(import.meta.dirname, '..');

function l2Page(name: string, definition: string, example: string): { file: string; text: string } {
  const slug = name.toLowerCase().replace(/\s+/g, '-');
  return {
    file: `excluded--${slug}.md`,
    text: `---\ntitle: Excluded - ${name}\n---\n# ${name}\n\n> [!IMPORTANT]\n> **Definition:** ${definition}\n\n## Valid Example Scenarios\n\n| Valid Example Scenario | Scenario Status |\n| :--: | :--: |\n| ${example} | ${name} |\n`,
  };
}

/** Excluded's pages (file name, text): its L1 page (`rules: Duplicate/Invalid`) and two L2 pages. */
export const EXCLUDED_PAGES: readonly { file: string; text: string }[] = [
  {
    file: 'excluded.md',
    text: '---\ntitle: Excluded\nrules: Duplicate/Invalid\n---\n# Excluded\n\n> [!IMPORTANT]\n> **Definition:** The tenant is no customer rollout: a test tenant, or a second copy of a customer tracked elsewhere.\n',
  },
  l2Page('Test Tenant', 'A tenant made for tests or demos, with no real customer behind it.', 'Tenant set up by the partner to try the admin centre.'),
  l2Page('Second Copy', 'The same customer tracked twice, under a second tenant record.', 'Same customer as the contoso.com tenant, entered again by mistake.'),
];

/** Every page: the built-in pages, the own-L1 fixtures with Stalled following Blocked, and Excluded's pages. */
export function ownInvalidPages(): { file: string; text: string }[] {
  const read = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => ({ file: f, text: readFileSync(path.join(dir, f), 'utf8') }));
  const own = read(path.join(root, 'test', 'fixtures', 'own-l1')).map((s) =>
    s.file === 'stalled.md' ? { ...s, text: s.text.replace('title: Stalled\n', 'title: Stalled\nrules: Blocked\n') } : s,
  );
  return [...read(path.join(root, 'playbooks')), ...own, ...EXCLUDED_PAGES];
}

/** The taxonomy of {@link ownInvalidPages}. */
export function ownInvalidTaxonomy(): Taxonomy {
  return parsePlaybook(ownInvalidPages()).taxonomy;
}
