import { collapseWhitespace, normalizeLabel } from '../lib/text.js';
import { findKnownL1, KNOWN_L1_NAMES } from '../taxonomy/index.js';
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
