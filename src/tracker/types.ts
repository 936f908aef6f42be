import type { Db, Role } from '../db/index.js';
import type { Taxonomy } from '../taxonomy/types.js';

/** Source of the current time; injected so "future" checks are deterministic in tests. */
export interface Clock {
  now(): Date;
}

/** Who is acting. Admins (partnerId null) see every partner; everyone else only their own. */
export interface Actor {
  /** Null for the system (CLI, seed). */
  userId: number | null;
  name: string;
  role: Role;
  partnerId: number | null;
  /**
   * The API token the request came with, when it came with one: tokens issued with it are bound to it.
   * `parentId`: the token it was itself issued with (null when issued from a login session or by an admin).
   */
  token?: { id: number; expiresAt: string | null; parentId: number | null };
  /**
   * True while the user's password is one a manager or admin chose (absent otherwise): until they choose
   * their own, their login sessions may only read who they are, change the password and sign out.
   */
  mustChangePassword?: true;
}

/** The tenancy filter every repository function applies. */
export type Scope = { kind: 'all' } | { kind: 'partner'; partnerId: number };

/** A grade from the note coach, as the tracker stores it. */
export interface NoteGrade {
  grade: string;
  score: number;
  findings: { code: string; message: string }[];
}

/** The classifier's reading of a note, as the tracker stores it. */
export interface CodeSuggestion {
  code: string;
  l1: string;
  l2: string | null;
  confidence: number;
  abstained: boolean;
}

/**
 * Optional note advice (note coach and classifier). Either function may be absent; the tracker then
 * stores null grades and suggestions. Both must never throw for any text.
 */
export interface NoteAdvisor {
  grade?(note: string, code: { l1: string; l2: string | null }): Promise<NoteGrade> | NoteGrade;
  suggest?(note: string): Promise<CodeSuggestion | null> | CodeSuggestion | null;
  /**
   * Grades and reads many notes at once, answering in input order: one classification per note serves
   * both the grade and the suggestion, and the work is spread over the classifier's worker threads.
   * When present it is used instead of `grade` and `suggest`. Never rejects (nulls where advice failed).
   */
  adviseMany?(items: readonly NoteToAdvise[]): Promise<NoteAdvice[]>;
}

/** A note to advise on, with the code it is filed under. */
export interface NoteToAdvise {
  note: string;
  l1: string;
  l2: string | null;
}

/** The note coach's grade and the classifier's reading of one note; null where either is missing. */
export interface NoteAdvice {
  grade: NoteGrade | null;
  suggestion: CodeSuggestion | null;
}

/** Everything tracker functions need, built once by the composition root. */
export interface TrackerContext {
  db: Db;
  /** Current taxonomy; a function so a reloaded playbook is picked up. */
  taxonomy(): Taxonomy;
  clock: Clock;
  advisor: NoteAdvisor;
}

/** A non-blocking remark about a change (weak note, note that reads as another code). */
export interface Warning {
  code: 'WEAK_NOTE' | 'NOTE_READS_AS_OTHER_CODE';
  message: string;
  details?: unknown;
}

/** One broken rule, for RULE_VIOLATION details. */
export interface RuleViolation {
  rule: string;
  field: string;
  message: string;
}

/** Status fields a change may set. Omitted fields keep their current value; null clears. */
export interface StatusInput {
  /** Taxonomy code id (`blocked/legal-regulatory`); alternative to l1 + l2. */
  code?: string | undefined;
  l1?: string | undefined;
  l2?: string | null | undefined;
  l3?: string | null | undefined;
  note?: string | undefined;
  targetDate?: string | null | undefined;
  engagementStartDate?: string | null | undefined;
  businessReason?: string | null | undefined;
  owner?: string | null | undefined;
  nextAction?: string | null | undefined;
  nextActionDate?: string | null | undefined;
  projectedUnblockDate?: string | null | undefined;
}

/** The full status as stored and as history snapshots record it. */
export interface StatusSnapshot {
  code: string;
  l1: string;
  l2: string | null;
  l3: string | null;
  taxonomyVersion: string;
  note: string;
  targetDate: string | null;
  engagementStartDate: string | null;
  businessReason: string | null;
  owner: string | null;
  nextAction: string | null;
  nextActionDate: string | null;
  projectedUnblockDate: string | null;
}
