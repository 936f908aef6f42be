/**
 * The import file's header: the columns it may name, the other ways people write them, and the
 * hint for a file saved with semicolons or tabs between its cells. Pure, so that the web app's
 * preview (web/src/lib/import-report.ts) and the server's reader (src/http/csv.ts) tell the same
 * files apart.
 */

/**
 * Columns the import reads (snake_case, as in the export). `id` is only checked: a row that has one must
 * name the entitlement its tenant_id, workload and part name (src/tracker/import.ts).
 */
export const IMPORT_COLUMNS = [
  'tenant_id', 'customer', 'partner', 'managed', 'region', 'workload', 'part', 'code', 'l1', 'l2', 'l3', 'note', 'target_date', 'engagement_start_date',
  'business_reason', 'owner', 'next_action', 'next_action_date', 'projected_unblock_date', 'version', 'id',
] as const;
/** Export-only columns the import accepts and ignores, so an export can be edited and re-imported. */
export const IGNORED_COLUMNS = ['customer_id', 'partner_id', 'workload_name', 'taxonomy_version', 'note_grade', 'updated_at', 'updated_by', 'since', 'days_in_status'] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** The export's columns, in order (GET /api/export/entitlements.csv and `unblock export`). */
export const EXPORT_COLUMNS = [
  'id', 'tenant_id', 'customer', 'partner_id', 'workload', 'workload_name', 'part', 'code', 'l1', 'l2', 'l3', 'note', 'target_date', 'engagement_start_date',
  'business_reason', 'owner', 'next_action', 'next_action_date', 'projected_unblock_date', 'note_grade', 'version', 'updated_at', 'since', 'days_in_status',
] as const;

const HEADER_ALIASES: Record<string, ImportColumn> = { tenant: 'tenant_id', tenantid: 'tenant_id', customer_name: 'customer', name: 'customer', projected_unblock: 'projected_unblock_date', unblock_date: 'projected_unblock_date', target: 'target_date' };

/** The column a header cell names: `Tenant ID`, `tenantId` and `tenant` are all `tenant_id`. */
export function normalizeHeader(raw: string): string {
  const h = raw.trim().replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/[\s-]+/g, '_');
  return HEADER_ALIASES[h] ?? h;
}

/** True for a column the import reads or knowingly ignores (a normalised name). */
export function isKnownColumn(name: string): boolean {
  return (IMPORT_COLUMNS as readonly string[]).includes(name) || (IGNORED_COLUMNS as readonly string[]).includes(name);
}

/** Cell separators people save "CSV" files with instead of commas, and how to name them. */
const OTHER_SEPARATORS: [string, string][] = [[';', 'semicolons'], ['\t', 'tabs']];

/**
 * The name of the separator a header row uses instead of commas (`semicolons`, `tabs`), else null.
 * A header the comma reader reads as one cell without commas, holding the separator, is such a row
 * whatever it names (`text;id`: a file of other columns still gets the hint, not "Unknown column(s):
 * text;id"). A header of several cells is one when, split on the separator too, it names known
 * columns (at least two, and most of its names): a comma file with a `;` in one column name is not.
 * Never throws.
 */
export function otherSeparator(header: readonly string[]): string | null {
  for (const [separator, name] of OTHER_SEPARATORS) {
    if (!header.some((cell) => cell.includes(separator))) continue;
    if (header.length === 1 && !header[0]!.includes(',')) return name;
    const names = header.flatMap((cell) => cell.split(separator)).map((n) => n.trim()).filter((n) => n !== '');
    const known = names.filter((n) => isKnownColumn(normalizeHeader(n))).length;
    if (known >= 2 && known * 2 > names.length) return name;
  }
  return null;
}

/**
 * The separator to name when the import refuses `header` for it: the header names a column the import
 * does not know and {@link otherSeparator} finds one (as src/http/csv.ts decides). Null for a header
 * the import reads, such as `tenant_id,workload<TAB>` (cells are trimmed).
 */
export function refusedSeparator(header: readonly string[]): string | null {
  return header.some((cell) => !isKnownColumn(normalizeHeader(cell))) ? otherSeparator(header) : null;
}

/**
 * True when a header names every column of the export's (in any order, in any spelling
 * {@link normalizeHeader} reads): the file is an export, and with no rows under it, the export of a
 * filter that matched nothing, which the import takes as a change of nothing.
 */
export function isExportHeader(header: readonly string[]): boolean {
  const names = header.map(normalizeHeader);
  return EXPORT_COLUMNS.every((column) => names.includes(column));
}
