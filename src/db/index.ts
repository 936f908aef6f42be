export { onFirstConnection, openDatabase, redactUrl, type Db, type DatabaseOptions, type Engine } from './connect.js';
export { migrateToLatest, createMigrationProvider } from './migrations.js';
export { WORKLOAD_CATALOGUE, findCatalogueSlug } from './workloads.js';
export { countExpr, engineOf, foldCase, foldCaseOf, isUniqueViolation } from './sql-helpers.js';
export { bulkWriter, sqliteRows, ENTITLEMENT_STATUS_COLUMNS, type BulkWriter, type EntitlementStatusColumn, type EntitlementStatusUpdate, type EntitlementStatusValues } from './bulk.js';
export type * from './schema.js';
