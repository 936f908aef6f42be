import type { Problem, Severity } from './types.js';

/** Stable problem codes the parser and the linter report. */
export const PROBLEM_CODES = {
  EMPTY: 'PLAYBOOK_EMPTY',
  NOT_TEXT: 'PLAYBOOK_NOT_TEXT',
  NOT_UTF8: 'PLAYBOOK_NOT_UTF8',
  TOO_LARGE: 'PLAYBOOK_PAGE_TOO_LARGE',
  INTERNAL: 'PLAYBOOK_INTERNAL',
  FRONT_MATTER_UNCLOSED: 'PLAYBOOK_FRONT_MATTER_UNCLOSED',
  FRONT_MATTER_INVALID: 'PLAYBOOK_FRONT_MATTER_INVALID',
  FRONT_MATTER_MISSING: 'PLAYBOOK_FRONT_MATTER_MISSING',
  NO_TITLE: 'PLAYBOOK_NO_TITLE',
  UNKNOWN_L1: 'PLAYBOOK_UNKNOWN_L1',
  KIND_UNKNOWN: 'PLAYBOOK_KIND_UNKNOWN',
  TABLE_MALFORMED: 'PLAYBOOK_TABLE_MALFORMED',
  TABLE_UNCLASSIFIED: 'PLAYBOOK_TABLE_UNCLASSIFIED',
  ROW_EXTRA_CELLS: 'PLAYBOOK_ROW_EXTRA_CELLS',
  SCENARIO_EMPTY: 'PLAYBOOK_SCENARIO_EMPTY',
  SCENARIO_NO_LABEL: 'PLAYBOOK_SCENARIO_NO_LABEL',
  DATE_UNREADABLE: 'PLAYBOOK_DATE_UNREADABLE',
  DEFINITION_NOT_CALLOUT: 'PLAYBOOK_DEFINITION_NOT_CALLOUT',
  CALLOUT_UNKNOWN: 'PLAYBOOK_CALLOUT_UNKNOWN',
  DUPLICATE_SECTION: 'PLAYBOOK_DUPLICATE_SECTION',
  LABEL_UNKNOWN: 'PLAYBOOK_LABEL_UNKNOWN',
  LABEL_AMBIGUOUS: 'PLAYBOOK_LABEL_AMBIGUOUS',
  NO_DEFINITION: 'PLAYBOOK_NO_DEFINITION',
  NO_VALID_SCENARIOS: 'PLAYBOOK_NO_VALID_SCENARIOS',
  FEW_VALID_SCENARIOS: 'PLAYBOOK_FEW_VALID_SCENARIOS',
  FEW_INVALID_SCENARIOS: 'PLAYBOOK_FEW_INVALID_SCENARIOS',
  NO_QUESTIONS: 'PLAYBOOK_NO_QUESTIONS',
  INVALID_NAMES_OWN_CODE: 'PLAYBOOK_INVALID_NAMES_OWN_CODE',
  VALID_NAMES_OTHER_CODE: 'PLAYBOOK_VALID_NAMES_OTHER_CODE',
  DUPLICATE_SCENARIO: 'PLAYBOOK_DUPLICATE_SCENARIO',
  NO_HISTORY: 'PLAYBOOK_NO_HISTORY',
  CODE_FILE_MISMATCH: 'PLAYBOOK_CODE_FILE_MISMATCH',
  CODE_NOT_KNOWN: 'PLAYBOOK_CODE_NOT_KNOWN',
  RULES_UNKNOWN: 'PLAYBOOK_RULES_UNKNOWN',
  RULES_MISPLACED: 'PLAYBOOK_RULES_MISPLACED',
} as const;

/** Builds a problem; `line`/`column` are clamped to at least 1. */
export function problemOf(file: string, severity: Severity, code: string, message: string, line = 1, column = 1): Problem {
  return { severity, code, message, file, line: Math.max(1, Math.trunc(line) || 1), column: Math.max(1, Math.trunc(column) || 1) };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Sorts problems by file, line, column, severity, code (stable, pure). */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
