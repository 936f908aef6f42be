/**
 * PostgreSQL introspection limited to the schemas on the connection's search path.
 *
 * Kysely's own introspector lists every table of the database and looks each schema up by name
 * (`has_schema_privilege(name, ...)`, `pg_get_serial_sequence(name, ...)`). Its snapshot can still
 * hold a schema that another session has just dropped, and the lookup by name then fails with
 * `schema "..." does not exist`: the migrator checks for its own tables this way, so a migration
 * failed whenever anyone dropped a schema in the same database at that moment (test runs drop one
 * per test file; a shared server may hold other applications). Here only the schemas on the search
 * path are read, and schemas are joined by oid, never looked up by name.
 */
import {
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

interface ColumnRow {
  table: string;
  schema: string;
  kind: string;
  column: string;
  not_null: boolean;
  has_default: boolean;
  identity: string;
  default_expression: string | null;
  type: string;
  type_schema: string;
  comment: string | null;
}

/** Kysely's bookkeeping tables, hidden unless `withInternalKyselyTables`. */
const KYSELY_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export class SearchPathPostgresIntrospector implements DatabaseIntrospector {
  // Introspection reads the catalog, which no application table type describes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly #db: Kysely<any>;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace order by nspname`.execute(this.#db);
    return rows.map((row) => ({ name: row.name }));
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.relname as "table", ns.nspname as "schema", c.relkind as kind,
             a.attname as "column", a.attnotnull as not_null, a.atthasdef as has_default, a.attidentity as identity,
             pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_expression,
             typ.typname as "type", tns.nspname as type_schema,
             pg_catalog.col_description(a.attrelid, a.attnum) as "comment"
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid
        join pg_catalog.pg_type typ on typ.oid = a.atttypid
        join pg_catalog.pg_namespace tns on tns.oid = typ.typnamespace
        left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where ns.nspname = any (pg_catalog.current_schemas(false))
         and c.relkind in ('r', 'v', 'p')
         and a.attnum > 0 and not a.attisdropped
       order by ns.nspname, c.relname, a.attnum`.execute(this.#db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && KYSELY_TABLES.includes(row.table)) continue;
      const key = `${row.schema}.${row.table}`;
      let table = tables.get(key);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.kind === 'v', columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
        isAutoIncrementing: row.identity !== '' || /^nextval\(/.test(row.default_expression ?? ''),
        ...(row.comment === null ? {} : { comment: row.comment }),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** Kysely's PostgreSQL dialect with {@link SearchPathPostgresIntrospector}. */
export class SearchPathPostgresDialect extends PostgresDialect {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SearchPathPostgresIntrospector(db);
  }
}
