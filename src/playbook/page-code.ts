import { collapseWhitespace, normalizeLabel } from '../lib/text.js';
import { findKnownL1, KNOWN_L1_NAMES } from '../taxonomy/index.js';
import { aliasesOf } from './front-matter.js';
import type { PageKind } from './types.js';

export interface PageCode {
  kind: PageKind;
  l1: string | null;
  l2: string | null;
  /** True when an "L1 - L2" title names an L1 that is not one of the domain's five. */
  unknownL1: boolean;
}

/** Drops emphasis markers around a name ("**Blocked**"). */
const unwrap = (name: string): string => name.replace(/^[*_`~]+|[*_`~]+$/g, '').trim();

const SEPARATOR = /\s+[-\u2013\u2014\u2212]+\s+|\s*[:：|]\s+|\s+[-\u2013\u2014]\s*|[\u2013\u2014]\s*/;

/** Which code a title (or heading) names: "L1 - L2" -> l2 page, a known L1 name -> l1 page. Never throws. */
export function readPageCode(text: string | null): PageCode {
  const none: PageCode = { kind: 'unknown', l1: null, l2: null, unknownL1: false };
  if (text === null) return none;
  const title = collapseWhitespace(text.normalize('NFKC'));
  if (title === '') return none;
  const wholeL1 = findKnownL1(title);
  if (wholeL1) return { kind: 'l1', l1: wholeL1, l2: null, unknownL1: false };
  const split = SEPARATOR.exec(title);
  if (split && split.index > 0) {
    const left = unwrap(title.slice(0, split.index));
    const right = unwrap(title.slice(split.index + split[0].length));
    const l1 = findKnownL1(left);
    if (l1 && right !== '') return { kind: 'l2', l1, l2: right, unknownL1: false };
  }
  const normal = normalizeLabel(title);
  for (const name of KNOWN_L1_NAMES) {
    const key = normalizeLabel(name);
    if (normal.startsWith(`${key} `)) {
      const words = name.split(/[\s/]+/).length;
      const rest = unwrap(title.replace(new RegExp(`^(?:[^\\p{L}\\p{N}]*[\\p{L}\\p{N}]+){${words}}[^\\p{L}\\p{N}(]*`, 'u'), ''));
      if (rest !== '') return { kind: 'l2', l1: name, l2: rest, unknownL1: false };
    }
  }
  if (split && split.index > 0) {
    const left = unwrap(title.slice(0, split.index));
    const right = unwrap(title.slice(split.index + split[0].length));
    if (right !== '' && left !== '') return { kind: 'l2', l1: left, l2: right, unknownL1: true };
  }
  return none;
}

const FIVE_L1S = KNOWN_L1_NAMES.join(', ');

/** The warning an "L1 - L2" page (or an L1 page) gets when its L1 is not one of the domain's five. */
export function unknownL1Message(l1: string): string {
  return `"${l1}" is not one of the five L1 states (${FIVE_L1S}); check the title.`;
}

/**
 * Why a page's code cannot be told, and exactly which titles are accepted. `setL1s` are the L1s of
 * their own that the page set's "L1 - L2" titles use, when the whole set is known (null for one page).
 */
export function kindUnknownMessage(title: string | null, heading: string | null, setL1s: readonly string[] | null): string {
  const what = title !== null ? `its title "${title}" names none` : heading !== null ? `it has no title, and its heading "${heading}" names none` : 'it has neither a title nor a `#` heading';
  const own =
    setL1s === null
      ? 'or an L1 that other pages of the same set use in their "L1 - L2" titles'
      : setL1s.length === 0
        ? 'or an L1 that other pages of this set use in their "L1 - L2" titles (no page read with this one does; when it belongs to a folder of pages, check the whole folder)'
        : `or an L1 that other pages of this set use in their "L1 - L2" titles (${setL1s.map((l) => `"${l}"`).join(', ')})`;
  return `Cannot tell which code this page defines (${what}), so it adds no code to the taxonomy. Title a reason-code page "L1 - L2" (such as "Blocked - App Compatibility"); title an L1 overview page with the L1 alone: one of the five L1s (${FIVE_L1S}), ${own}.`;
}

/** A page's other names: front-matter aliases, plus its heading when that differs from the code's own names. */
export function pageAliases(frontMatter: Record<string, unknown>, heading: string | null, title: string | null, code: Pick<PageCode, 'kind' | 'l1' | 'l2'>): string[] {
  const aliases = aliasesOf(frontMatter);
  if (heading !== null && code.kind !== 'unknown') {
    const own = new Set([code.l2, code.l1, `${code.l1} ${code.l2}`, title].filter((x): x is string => x !== null).map(normalizeLabel));
    const hn = normalizeLabel(heading);
    if (hn !== '' && !own.has(hn)) aliases.push(heading);
  }
  const seen = new Set<string>();
  return aliases.filter((a) => {
    const key = normalizeLabel(a);
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
