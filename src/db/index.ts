export { openDatabase, redactUrl, type Db, type DatabaseOptions, type Engine } from './connect.js';
export { migrateToLatest, createMigrationProvider } from './migrations.js';
export { WORKLOAD_CATALOGUE } from './workloads.js';
export { countExpr, isUniqueViolation } from './sql-helpers.js';
export type * from './schema.js';
