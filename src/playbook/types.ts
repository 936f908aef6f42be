/** Types of a parsed playbook page. Plain data: JSON-serialisable, no methods. */

import type { KnownL1Name } from '../taxonomy/known-l1.js';
import type { PageNamePositions, SourcePosition, Taxonomy } from '../taxonomy/types.js';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a page; `line` and `column` are 1-based positions in the original text. */
export interface Problem {
  severity: Severity;
  /** Stable code, e.g. `PLAYBOOK_TABLE_MALFORMED`. */
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** One row of a valid or invalid example-scenario table. */
export interface Scenario {
  text: string;
  /** The status label exactly as written in the page (cleaned of markup). */
  label: string;
  /** Resolved L1 name, or null when the label resolved to nothing (a problem is reported). */
  l1: string | null;
  /** Resolved L2 name, or null for an L1-only code or an unresolved label. */
  l2: string | null;
  line: number;
  /** 1-based column where the row starts (original text). */
  column?: number;
  /** 1-based column where the scenario cell's text starts (original text), for problems about the scenario. */
  textColumn?: number;
  /** 1-based column where the status cell's text starts (original text), for problems about the label. */
  labelColumn?: number;
}

export interface Question {
  text: string;
  children: Question[];
}

export interface WorkloadQuestions {
  workload: string;
  questions: Question[];
}

export interface HistoryEntry {
  /** ISO date (YYYY-MM-DD), or null when the written date could not be read (a problem is reported). */
  date: string | null;
  dateAsWritten: string;
  who: string;
  what: string;
}

export interface EntitlementScenarioTable {
  headers: string[];
  /** Rows as written; a row may have more cells than `headers` (reported as a warning). */
  rows: string[][];
  /** 1-based line of each row, parallel to `rows`. */
  rowLines?: number[];
  /** 1-based column (original text) where each cell of each row starts its text, parallel to `rows`. */
  cellColumns?: number[][];
}

export type PageKind = 'l1' | 'l2' | 'unknown';

/**
 * Where a page writes its names (see `PageNamePositions`) and its sections, in the original text, for
 * problems about them: a section that holds nothing is reported where it is written.
 */
export interface PagePositions extends PageNamePositions {
  /** The table read as the valid examples, else the first heading that names valid examples. */
  valid?: SourcePosition;
  /**
   * On a page with no invalid example: the table read as the invalid examples (none of whose rows could be
   * read), else the first heading that names invalid examples. Absent when the page has invalid examples.
   */
  invalid?: SourcePosition;
  /** The first `> [!TIP]` callout (the confirmation questions). */
  questions?: SourcePosition;
  /** The refresh-history table, else the first heading that names it ("Refresh Summary", "History"). */
  history?: SourcePosition;
}

export interface PlaybookPage {
  file: string;
  title: string | null;
  /** The first top-level heading's text. */
  heading: string | null;
  frontMatter: Record<string, unknown>;
  kind: PageKind;
  /** The L1 / L2 the page defines, canonical names (from the title, falling back to the heading). */
  l1: string | null;
  l2: string | null;
  /** Other names for the page's code: front-matter `aliases` and a heading that differs from the title. */
  aliases: string[];
  /**
   * On the L1 page of an L1 of the playbook's own: the L1 of the five whose status rules it follows
   * (front matter `rules:`). Null (or absent) when the page names none or names one it may not.
   */
  rules?: KnownL1Name | null;
  definition: string | null;
  valid: Scenario[];
  invalid: Scenario[];
  questions: Question[];
  workloadQuestions: WorkloadQuestions[];
  history: HistoryEntry[];
  entitlementScenarios: EntitlementScenarioTable | null;
  problems: Problem[];
  /** SHA-256 (hex) of the page's text as given: changes whenever the text changes. */
  contentHash?: string;
  /** Where the page writes its code, heading, aliases, `rules:` and sections (original text), for problems about them. */
  positions?: PagePositions;
}

/** A parsed page set: pages with resolved scenario labels, the taxonomy they define, every problem found while parsing. */
export interface Playbook {
  pages: PlaybookPage[];
  taxonomy: Taxonomy;
  /** Page problems, label-resolution problems and taxonomy problems, sorted by file, line, column. */
  problems: Problem[];
}
