/**
 * Request and response schemas of the REST API; the web app imports these types. Every JSON request
 * body is a strict object (`z.strictObject`): a field it does not declare is refused (400
 * VALIDATION_FAILED naming it, validation.ts), so a field a client legitimately sends must be declared.
 * Query strings and responses are not strict.
 */
export * from './common.js';
export * from './accounts.js';
export * from './customers.js';
export * from './entitlements.js';
export * from './advice.js';
export * from './reports.js';
export * from './csv.js';
