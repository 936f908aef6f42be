/** A taxonomy with L1s of a customer playbook's own that follow the rules of one of the five (front matter `rules:`). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePlaybook } from '../src/playbook/index.js';
import type { Taxonomy } from '../src/taxonomy/types.js';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The built-in pages plus the own-L1 fixture set: Stalled (its L1 page says `rules: Blocked`) and
 * Active (an L1 page added here, `rules: In Progress`).
 */
export function ownL1Taxonomy(): Taxonomy {
  const read = (dir: string, prefix: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => ({ file: `${prefix}${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
  const own = read(path.join(root, 'test', 'fixtures', 'own-l1'), 'own/').map((s) =>
    s.file === 'own/stalled.md' ? { ...s, text: s.text.replace('title: Stalled\n', 'title: Stalled\nrules: Blocked\n') } : s,
  );
  const active = { file: 'own/active.md', text: '---\ntitle: Active\nrules: In Progress\n---\n# Active\n\n> [!IMPORTANT]\n> The rollout is moving under the partner\'s own plan.\n' };
  return parsePlaybook([...read(path.join(root, 'playbooks'), ''), ...own, active]).taxonomy;
}

