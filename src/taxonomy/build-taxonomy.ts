import { createHash } from 'node:crypto';
import { collapseWhitespace, normalizeLabel } from '../lib/text.js';
import { codeIdOf } from './code-id.js';
import { findKnownL1, kindOfL1Node, KNOWN_L1_KINDS, rankL1, type KnownL1Name, type L1Kind } from './known-l1.js';
import type { L1Node, PageHistory, SourcePosition, Taxonomy, TaxonomyCode, TaxonomyPageInput, TaxonomyProblem } from './types.js';

interface L1Draft {
  name: string;
  definition: string | null;
  file: string | null;
  /** Where the L1's first page names it. */
  at?: SourcePosition;
  aliases: CodeAlias[];
  /** The L1 of the five whose rules this one follows, from its first L1 page that names one (with that page's file). */
  rules: { name: KnownL1Name; file: string } | null;
}

/** The kind of status rules an L1 follows: a known L1's own, else the one its page names, else none. */
function kindOfL1(l1: L1Draft): L1Kind | null {
  return kindOfL1Node({ name: l1.name, ...(l1.rules === null ? {} : { kind: KNOWN_L1_KINDS[l1.rules.name] }) });
}

interface LabelSource {
  file: string;
  label: string;
  /** True when the name is an alias of the code, not its own L1 or L2 name. */
  alias: boolean;
  /** Where the page writes the name (its alias, its heading or its title), when known. */
  at?: SourcePosition;
  /** True when the name is the page's heading, not an alias of its front matter. */
  heading?: boolean;
}

/** A name of a code other than its own: an alias or a heading, with the page that writes it. */
interface CodeAlias {
  name: string;
  file: string;
  at?: SourcePosition;
  heading: boolean;
}

/**
 * The aliases and heading of `page` as names of its code, each where the page writes it: a front-matter
 * alias at its place in the `aliases:` list, a heading (listed among the aliases when it differs from the
 * title) at the heading.
 */
function namesOf(page: TaxonomyPageInput): CodeAlias[] {
  const positions = page.positions ?? {};
  const listed = new Map(Object.entries(positions.aliases ?? {}).map(([name, at]) => [normalizeLabel(name), at]));
  const heading = page.heading === null ? '' : normalizeLabel(page.heading);
  return [...page.aliases, ...(page.heading ? [page.heading] : [])].map((name) => {
    const key = normalizeLabel(name);
    const alias = listed.get(key);
    if (alias !== undefined) return { name, file: page.file, at: alias, heading: false };
    const isHeading = key !== '' && key === heading;
    const at = isHeading ? positions.heading : undefined;
    return { name, file: page.file, ...(at === undefined ? {} : { at }), heading: isHeading };
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function fingerprintOf(page: TaxonomyPageInput): string {
  return page.contentHash ?? sha256(JSON.stringify([page.file, page.kind, page.l1, page.l2, page.heading, page.aliases, page.definition, page.history, page.rules ?? null]));
}

/** Content hash of a page set: 12 hex chars of SHA-256 over the sorted page hashes. */
export function versionOf(pages: readonly TaxonomyPageInput[]): string {
  return sha256(pages.map(fingerprintOf).sort().join('\n')).slice(0, 12);
}

/** A problem of `file` at `at` (line 1, column 1 when the page did not say where). */
function problemAt(file: string, severity: TaxonomyProblem['severity'], code: string, message: string, at?: SourcePosition): TaxonomyProblem {
  const line = Math.max(1, Math.trunc(at?.line ?? 1) || 1);
  const column = Math.max(1, Math.trunc(at?.column ?? 1) || 1);
  return { severity, code, message, file, line, column };
}

/**
 * Builds the L1 -> L2 tree of a page set. Codes are every L2 defined by an 'l2' page plus every
 * L1 that has no L2 page (an L1-only code such as Duplicate/Invalid). Labels map each code's L2
 * name, "L1 - L2", aliases and headings (normalised) to code ids; an L1 name maps to all its
 * codes. Duplicate pages and names claimed by two codes are reported. Never throws.
 */
export function buildTaxonomy(pages: readonly TaxonomyPageInput[]): { taxonomy: Taxonomy; problems: TaxonomyProblem[] } {
  const problems: TaxonomyProblem[] = [];
  const l1s = new Map<string, L1Draft>();
  const codes = new Map<string, TaxonomyCode & { aliases: CodeAlias[]; at?: SourcePosition }>();

  const ensureL1 = (name: string): L1Draft => {
    const canonical = findKnownL1(name) ?? collapseWhitespace(name);
    const key = normalizeLabel(canonical);
    let draft = l1s.get(key);
    if (!draft) {
      draft = { name: canonical, definition: null, file: null, aliases: [], rules: null };
      l1s.set(key, draft);
    }
    return draft;
  };

  const ordered = [...pages].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const page of ordered) {
    if (page.kind === 'unknown' || !page.l1) continue;
    const l1 = ensureL1(page.l1);
    if (page.kind === 'l1') {
      if (l1.file !== null) {
        problems.push(problemAt(page.file, 'warning', 'TAXONOMY_DUPLICATE_PAGE', `L1 "${l1.name}" is also defined by ${l1.file}; the first page's definition is used, this page's names are added as aliases.`, page.positions?.code));
      } else {
        l1.file = page.file;
        if (page.positions?.code) l1.at = page.positions.code;
      }
      l1.definition ??= page.definition;
      l1.aliases.push(...namesOf(page));
      const rules = page.rules ?? null;
      if (rules !== null && findKnownL1(l1.name) === undefined) {
        if (l1.rules === null) l1.rules = { name: rules, file: page.file };
        else if (l1.rules.name !== rules)
          problems.push(problemAt(page.file, 'warning', 'TAXONOMY_RULES_CONFLICT', `L1 "${l1.name}" follows the rules of ${l1.rules.name} by ${l1.rules.file}, but this page says \`rules: ${rules}\`; the first page's choice is used. Make the pages agree.`, page.positions?.rules));
      }
      continue;
    }
    if (!page.l2) continue;
    const l2 = collapseWhitespace(page.l2);
    const id = codeIdOf(l1.name, l2);
    const existing = codes.get(id);
    const names = namesOf(page);
    if (existing) {
      const spelled = existing.l2 !== null && existing.l2 !== l2 ? ` (written "${l2}" here)` : '';
      problems.push(problemAt(page.file, 'warning', 'TAXONOMY_DUPLICATE_PAGE', `Code "${l1.name} - ${existing.l2 ?? l2}"${spelled} is also defined by ${existing.file ?? 'another page'}; the first page's definition is used, this page's names are added as aliases.`, page.positions?.code));
      existing.definition ??= page.definition;
      existing.aliases.push(...names);
      continue;
    }
    const at = page.positions?.code;
    codes.set(id, { id, l1: l1.name, l2, l3: null, definition: page.definition, file: page.file, aliases: names, ...(at === undefined ? {} : { at }) });
  }

  for (const l1 of l1s.values()) {
    const hasL2 = [...codes.values()].some((c) => c.l1 === l1.name);
    if (!hasL2) {
      const id = codeIdOf(l1.name);
      codes.set(id, { id, l1: l1.name, l2: null, l3: null, definition: l1.definition, file: l1.file, aliases: [...l1.aliases], ...(l1.at === undefined ? {} : { at: l1.at }) });
    }
  }

  const sortedCodes = [...codes.values()].sort(
    (a, b) => rankL1(a.l1) - rankL1(b.l1) || a.l1.localeCompare(b.l1) || (a.l2 ?? '').localeCompare(b.l2 ?? ''),
  );
  const sortedL1s = [...l1s.values()].sort((a, b) => rankL1(a.name) - rankL1(b.name) || a.name.localeCompare(b.name));

  const labels = new Map<string, Set<string>>();
  const specific = new Map<string, LabelSource[]>();
  const addLabel = (label: string, id: string, source?: LabelSource): void => {
    const key = normalizeLabel(label);
    if (key === '') return;
    let ids = labels.get(key);
    if (!ids) labels.set(key, (ids = new Set()));
    ids.add(id);
    if (source) specific.set(key, [...(specific.get(key) ?? []), source]);
  };
  for (const code of sortedCodes) {
    const file = code.file ?? '';
    const at = code.at === undefined ? {} : { at: code.at };
    if (code.l2 !== null) {
      addLabel(code.l2, code.id, { file, label: code.l2, alias: false, ...at });
      addLabel(`${code.l1} ${code.l2}`, code.id, { file, label: `${code.l1} - ${code.l2}`, alias: false, ...at });
    } else {
      addLabel(code.l1, code.id, { file, label: code.l1, alias: false, ...at });
    }
    // A heading that repeats the code's own name is listed with the aliases; it is no alias of its own.
    const own = new Set([code.l2 ?? code.l1, `${code.l1} ${code.l2 ?? ''}`].map(normalizeLabel));
    for (const alias of code.aliases) {
      const isAlias = !own.has(normalizeLabel(alias.name));
      addLabel(alias.name, code.id, { file: alias.file, label: alias.name, alias: isAlias, ...(alias.at === undefined ? {} : { at: alias.at }), heading: alias.heading });
    }
  }
  for (const l1 of sortedL1s) {
    const ids = sortedCodes.filter((c) => c.l1 === l1.name).map((c) => c.id);
    for (const id of ids) {
      addLabel(l1.name, id);
      for (const alias of l1.aliases) addLabel(alias.name, id);
    }
  }
  for (const [key, sources] of specific) {
    const ids = labels.get(key);
    const first = sources[0];
    if (!first || !ids || ids.size < 2) continue;
    // The page to change is the one whose alias claims the name (not the page the name belongs to);
    // when only codes' own names clash (one L2 name under two L1s), the later of them.
    // A heading that repeats the code's own name is not what names it: the title is (where it is reported).
    const blamed = sources.find((s) => s.alias) ?? [...sources].reverse().find((s) => !s.heading) ?? sources[sources.length - 1] ?? first;
    const fix = !blamed.alias
      ? 'Rename one of the codes, or write such statuses in full ("L1 - L2").'
      : blamed.heading
        ? `This page's heading "${blamed.label}" is read as another name of its code: make the heading the code's own name, or rename it.`
        : `Remove the alias "${blamed.label}" from this page's \`aliases:\`, or rename it.`;
    problems.push(problemAt(blamed.file, 'warning', 'TAXONOMY_LABEL_CONFLICT', `The name "${blamed.label}" is claimed by ${[...ids].join(', ')}; a status written this way cannot be resolved. ${fix}`, blamed.at));
  }

  const l1Nodes: L1Node[] = sortedL1s.map((l1) => ({
    id: codeIdOf(l1.name),
    name: l1.name,
    definition: l1.definition,
    file: l1.file,
    codes: sortedCodes.filter((c) => c.l1 === l1.name).map((c) => c.id),
    kind: kindOfL1(l1),
  }));

  const histories: PageHistory[] = ordered
    .filter((p) => p.kind !== 'unknown')
    .map((p) => ({
      file: p.file,
      code: p.l1 ? (p.kind === 'l2' && p.l2 ? codeIdOf(findKnownL1(p.l1) ?? collapseWhitespace(p.l1), collapseWhitespace(p.l2)) : codeIdOf(findKnownL1(p.l1) ?? collapseWhitespace(p.l1))) : null,
      history: p.history.map((h) => ({ date: h.date, who: h.who, what: h.what })),
    }));

  const labelRecord: Record<string, string[]> = {};
  for (const key of [...labels.keys()].sort()) labelRecord[key] = [...(labels.get(key) ?? [])];

  return {
    taxonomy: {
      version: versionOf(pages),
      l1s: l1Nodes,
      codes: sortedCodes.map(({ aliases: _aliases, at: _at, ...code }) => code),
      labels: labelRecord,
      histories,
    },
    problems,
  };
}
