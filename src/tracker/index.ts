export type { Actor, Clock, CodeSuggestion, NoteAdvice, NoteAdvisor, NoteGrade, NoteToAdvise, RuleViolation, Scope, StatusInput, StatusSnapshot, TrackerContext, Warning } from './types.js';
export { scopeOf, requireRole, hasRole, SYSTEM_ACTOR } from './scope.js';
export { checkStatusRules, resolveStatusCode, isIsoDate, isExplainingNote, toIsoDate, L1_KIND, NEW_ENTITLEMENT_CODE, kindOf, l1KindsOf, type L1Kinds } from './rules.js';
export { hashPassword, verifyPassword, hashSecret } from './secrets.js';
export {
  createPartner, listPartners, findPartnerByName, createUser, updateUser, listUsers, findUserByEmail, authenticatePassword, findActorByUserId, findOwnEmail, generatePassword, setUserPassword, changeOwnPassword,
  createToken, listTokens, revokeToken, resolveToken, createSession, resolveSession, deleteSession,
  tokenNameKey, type PartnerView, type UserView, type TokenView, type NewUserInput, type UserChanges, type NewTokenInput,
} from './accounts.js';
export {
  listEntitlements, iterateEntitlements, getEntitlement, updateStatus, bulkUpdateStatus, listHistory, initialStatus, selectEntitlements, workloadSlug, SORT_FIELDS,
  type EntitlementFilter, type ListOptions, type SortField, type Page, type ChangeResult, type BulkItem, type BulkOptions, type RestoredCustomer,
} from './entitlements.js';
export { createCustomer, getCustomer, updateCustomer, deleteCustomer, listCustomers, addEntitlement, markCustomerDuplicateInvalid, listWorkloads, resolveWorkloads, type CustomerView, type NewCustomerInput, type CustomerChanges, type DeletedCustomer } from './customers.js';
export { adviseOnNote, adviseOnNotes, type StatusAdvice } from './status-change.js';
export type { EntitlementView, HistoryView } from './views.js';
export { addToRollup, rebuildRollup, RollupBatch } from './rollup.js';
export { importEntitlements, IMPORT_COLUMNS, IGNORED_COLUMNS, type ImportRecord, type ImportSummary, type ImportWarning, type RowError, type ImportColumn } from './import.js';
export { parseSearch, MAX_SEARCH_WORDS, type ParsedSearch } from './search.js';
export { TEXT_LIMITS, lengthProblem, type LimitedField } from './limits.js';
