/** Types of the API as the web app sees them: imported from the server's schemas and domain types, never retyped. */
import type {
  ChangeResultBody,
  Customer,
  Entitlement,
  History,
  Me,
  NewUser,
  Partner,
  StatusInputBody,
  User,
  Workload,
} from '../../../src/http/schemas/index.js';
export type { AgeingReport, CountsReport, FlowReport, ForecastReport, NoteQualityReport } from '../../../src/http/schemas/reports.js';
import type { createdToken, ImportConflictDetails, ImportSummary, NewToken, Token } from '../../../src/http/schemas/index.js';
import type { CustomerChanges, DeletedCustomer, NewCustomer } from '../../../src/http/schemas/index.js';
export type { CustomerChanges, DeletedCustomer, NewCustomer };
import type { z } from 'zod';
export type { ImportConflictDetails, ImportSummary, NewToken, Token };
/** A token just issued: `token` is the secret, returned only this once. */
export type CreatedToken = z.infer<typeof createdToken>;

export type { ChangeResultBody, Customer, Entitlement, History, History as HistoryEntry, Me, NewUser, Partner, User, Workload };
/** A user just created: `password` is the generated one when none was sent, shown only this once. */
export type CreatedUser = User & { password?: string };
export type Role = Me['role'];
export type Id = number;

/** The status form's fields: every field the status form edits, always present (null clears). */
export interface StatusFields {
  l1: string;
  l2: string | null;
  note: string;
  targetDate: string | null;
  engagementStartDate: string | null;
  businessReason: string | null;
  owner: string | null;
  nextAction: string | null;
  nextActionDate: string | null;
  projectedUnblockDate: string | null;
}
/** Compile-time check that the form's fields are a valid status change body. */
type AssertTrue<T extends true> = T;
export type StatusFieldsFitTheSchema = AssertTrue<[StatusFields] extends [StatusInputBody] ? true : false>;

export interface Paged<T> {
  items: T[];
  total: number;
}

/** A broken rule (RULE_VIOLATION details) or a warning (`code` instead of `rule`). */
export interface RuleIssue {
  rule?: string;
  code?: string;
  field?: string;
  message: string;
}

export type StatusUpdateResult = ChangeResultBody;

export type { Candidate, Classification, ConfirmationQuestion, NearestExample } from '../../../src/classifier/types.js';
export type { NoteFinding as Finding, NoteGrade } from '../../../src/notes/types.js';
export type { Taxonomy, TaxonomyCode } from '../../../src/taxonomy/types.js';
export type { PlaybookPage, Question as PlaybookQuestion } from '../../../src/playbook/types.js';



