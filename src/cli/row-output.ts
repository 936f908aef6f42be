/**
 * The JSONL records `classify --input` and `notes grade --input` write: the input row's own fields,
 * then the result. An input field named like a result field is kept as `input_<name>` rather than
 * silently replaced, so that labels a user runs through the classifier to compare are not lost.
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

/**
 * `fields` followed by `result`; a field of `fields` whose name `result` also uses (other than those in
 * `keep`, which the result restates) is written as `input_<name>` (prefixed again while that is taken too).
 */
export function mergeRow(fields: Record<string, unknown>, result: Record<string, unknown>, renamed: RenamedFields, keep: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!(name in result) || keep.includes(name)) {
      out[name] = value;
      continue;
    }
    let kept = `${RENAMED_PREFIX}${name}`;
    while (kept in result || kept in fields) kept = `${RENAMED_PREFIX}${kept}`;
    out[kept] = value;
    renamed.add(name);
  }
  return Object.assign(out, result);
}

/** The record of a row that could not be used: its fields (when it has any), the row's line and the error. */
export function badRowRecord(fields: Record<string, unknown> | undefined, row: number, error: { code: string; message: string }, renamed: RenamedFields): Record<string, unknown> {
  return mergeRow(fields ?? {}, { row, error }, renamed);
}
