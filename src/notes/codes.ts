/** The stable finding codes of the note coach; never rename one (clients and graded sets key on them). */
export const NOTE_FINDING_CODES = [
  'NOTE_EMPTY',
  'NOTE_BARE_STATUS',
  'NO_INTENT',
  'NO_REASON',
  'VAGUE_REASON',
  'HEDGING',
  'TOO_LONG',
  'NARRATIVE',
  'ENGAGEMENT_LOGISTICS',
  'UNRESPONSIVE_NO_ATTEMPTS',
  'UNRESPONSIVE_NO_MANAGED',
  'PASTED_ACROSS_WORKLOADS',
  'STATUS_MISMATCH',
  'NOT_ENGLISH',
  'MARKUP_OR_JUNK',
  'TRUNCATED',
] as const;
