/** Request and response schemas of the REST API; the web app imports these types. */
export * from './common.js';
export * from './accounts.js';
export * from './customers.js';
export * from './entitlements.js';
export * from './advice.js';
export * from './reports.js';
export * from './csv.js';
