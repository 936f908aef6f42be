export { looksLikeDate, normalizeDate } from './dates.js';
export { codeIdOfFileName, hasErrors, lintCodeNames, lintPlaybook, MIN_INVALID_SCENARIOS, MIN_VALID_SCENARIOS, type LintOptions } from './lint.js';
export { parsePage } from './parse-page.js';
export { assemblePlaybook, parsePlaybook, type ParsePlaybookOptions } from './parse-playbook.js';
export { PROBLEM_CODES, sortProblems } from './problems.js';
export { countQuestions } from './questions.js';
export { MAX_PAGE_CHARS } from './source-text.js';
export type {
  EntitlementScenarioTable,
  HistoryEntry,
  PageKind,
  PagePositions,
  Playbook,
  PlaybookPage,
  Problem,
  Question,
  Scenario,
  Severity,
  WorkloadQuestions,
} from './types.js';
