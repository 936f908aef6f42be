/** The finding list of one grading, and span helpers. */
import type { FindingSeverity, NoteFinding, NoteFindingCode, NoteSpan } from './types.js';

/** Findings of one note; each code at most once. */
export class Findings {
  readonly list: NoteFinding[] = [];
  add(code: NoteFindingCode, severity: FindingSeverity, message: string, span: NoteSpan | null, fix: string): void {
    if (!this.list.some((f) => f.code === code)) this.list.push({ code, severity, message, span, fix });
  }
  has(code: NoteFindingCode): boolean {
    return this.list.some((f) => f.code === code);
  }
}

/** The span of the first match of `re` in `text`, or null. */
export function findSpan(text: string, re: RegExp): NoteSpan | null {
  const m = re.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

/** The spanned text in double quotes, or '' without a span. */
export function quote(text: string, span: NoteSpan | null): string {
  return span ? `"${text.slice(span.start, span.end).trim()}"` : '';
}
