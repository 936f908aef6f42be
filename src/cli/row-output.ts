/**
 * The JSONL records `classify --input` and `notes grade --input` write: the input row's own fields,
 * then the result. An input field named like a result field is kept as `input_<name>` rather than
 * silently replaced, so that labels a user runs through the classifier to compare are not lost. The
 * names are those of the command's results (and `row` and `error`, which a bad row has), the same on
 * every row: `l1` is the prediction's field in every record of `classify`, also on a bad row, which has none.
 */
import type { InputFormat } from './input-rows.js';

export const RENAMED_PREFIX = 'input_';

/** Collects the input fields renamed over a run, to name them once at the end. */
export class RenamedFields {
  private readonly names = new Set<string>();

  add(name: string): void {
    this.names.add(name);
  }

  /** One line for stderr naming the renamed fields (CSV: columns), or '' when none was renamed. */
  warning(format: InputFormat): string {
    if (this.names.size === 0) return '';
    const names = [...this.names];
    const what = format === 'csv' ? 'column(s)' : 'field(s)';
    return `unblock: warning: input ${what} ${names.join(', ')} share a name with result fields; kept as ${names.map((n) => `${RENAMED_PREFIX}${n}`).join(', ')}.\n`;
  }
}

/** The fields a bad row's record adds to the row's own. */
export const BAD_ROW_FIELDS = ['row', 'error'] as const;

/** The names a command's records use for themselves: an input field so named is renamed on every row. */
export interface ResultNames {
  /** Every field of a good row's result and of a bad row's record. */
  reserved: readonly string[];
  /** Fields the result restates from the input (`text`): left as they are. */
  keep: readonly string[];
}

/** The result names of a command whose good rows hold the fields `result` (a bad row holds `row` and `error`). */
export function resultNames(result: readonly string[], keep: readonly string[] = []): ResultNames {
  return { reserved: [...new Set([...result, ...BAD_ROW_FIELDS])], keep };
}

/**
 * `fields` followed by `result`; a field of `fields` whose name `result` or `names.reserved` also uses
 * (other than those in `names.keep`, which the result restates) is written as `input_<name>` (prefixed
 * again while that is taken too). Good and bad rows share `names`, so a field is renamed on both or neither.
 */
export function mergeRow(fields: Record<string, unknown>, result: Record<string, unknown>, renamed: RenamedFields, names: ResultNames): Record<string, unknown> {
  const taken = (name: string) => name in result || names.reserved.includes(name);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!taken(name) || names.keep.includes(name)) {
      out[name] = value;
      continue;
    }
    let kept = `${RENAMED_PREFIX}${name}`;
    while (taken(kept) || kept in fields) kept = `${RENAMED_PREFIX}${kept}`;
    out[kept] = value;
    renamed.add(name);
  }
  return Object.assign(out, result);
}

/**
 * The record of a row that could not be used: its fields (when it has any, named as on a good row of
 * the same command), the row's line and the error.
 */
export function badRowRecord(fields: Record<string, unknown> | undefined, row: number, error: { code: string; message: string }, renamed: RenamedFields, names: ResultNames): Record<string, unknown> {
  return mergeRow(fields ?? {}, { row, error }, renamed, names);
}
