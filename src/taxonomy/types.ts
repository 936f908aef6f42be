/** The reason-code tree built from a page set. Plain data: JSON-serialisable. */
import type { KnownL1Name, L1Kind } from './known-l1.js';

/** A leaf code a status can carry: an L2 under its L1, or an L1 that has no L2s (Duplicate/Invalid). */
export interface TaxonomyCode {
  /** Stable id: `slug(l1)/slug(l2)`, or `slug(l1)` for an L1-only code. */
  id: string;
  l1: string;
  l2: string | null;
  /** Reserved by the playbook; the model allows it, none ship. */
  l3: string | null;
  definition: string | null;
  /** The file of the page that defines it, or null when only named by another page. */
  file: string | null;
}

export interface L1Node {
  id: string;
  name: string;
  definition: string | null;
  file: string | null;
  /** Leaf codes under this L1; for an L1 without L2s, the single L1-only code. */
  codes: string[];
  /**
   * The kind of status rules this L1 follows: one of the five L1s' own kinds (`blocked`, ...). Each of
   * the five follows its own; an L1 of the playbook's own follows the one its L1 page names in
   * `rules:`, or none (null). Always set by buildTaxonomy; absent only in a taxonomy built by hand, whose
   * L1s are then told by name (each of the five follows its own, any other none).
   */
  kind?: L1Kind | null;
}

export interface PageHistory {
  file: string;
  code: string | null;
  history: { date: string | null; who: string; what: string }[];
}

export interface Taxonomy {
  /** Content hash of the page set (hex, 12 chars): changes whenever any page's text changes. */
  version: string;
  l1s: L1Node[];
  codes: TaxonomyCode[];
  /** Normalised label -> code ids it names (more than one id means ambiguous). */
  labels: Record<string, string[]>;
  histories: PageHistory[];
}

export type Resolution =
  | { ok: true; code: TaxonomyCode }
  | { ok: false; reason: 'unknown' | 'ambiguous'; candidates: TaxonomyCode[] };

/** A problem found while building the taxonomy; same shape as a playbook page problem. */
export interface TaxonomyProblem {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** A 1-based line and column of a page's original text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Where a page writes the names the taxonomy reads, so that a problem about one of them is reported
 * there. Any part may be absent (a page built by hand, a name the page does not write); problems then
 * fall back to line 1, column 1.
 */
export interface PageNamePositions {
  /**
   * The name the page's code was read from: the `title:` value, or the heading when the code came from it
   * (on a page whose code could not be told on its own: the title, else the heading).
   */
  code?: SourcePosition;
  /** The page's heading (the first `#` heading, or the `##` one read in its place). */
  heading?: SourcePosition;
  /** Each front-matter alias, keyed by the alias as the page lists it. */
  aliases?: Record<string, SourcePosition>;
  /** The `rules:` value. */
  rules?: SourcePosition;
}

/**
 * What the taxonomy needs from a parsed page (a playbook `PlaybookPage` satisfies it).
 * `kind` 'l2' pages define `l1`/`l2`; 'l1' pages define `l1`; 'unknown' pages are ignored.
 */
export interface TaxonomyPageInput {
  file: string;
  kind: 'l1' | 'l2' | 'unknown';
  l1: string | null;
  l2: string | null;
  heading: string | null;
  /** Other names for the page's code (front-matter aliases, a translated heading). */
  aliases: string[];
  definition: string | null;
  history: { date: string | null; who: string; what: string }[];
  /** SHA-256 hex of the page text; the taxonomy version is derived from these. */
  contentHash?: string;
  /** On an L1 page: the L1 of the five whose status rules this L1 follows (front matter `rules:`), else null or absent. */
  rules?: KnownL1Name | null;
  /** Where the page writes its code, heading, aliases and `rules:` (for the positions of taxonomy problems). */
  positions?: PageNamePositions;
}
