import type { Html, Paragraph, RootContent, Table } from 'mdast';
import { collapseWhitespace } from '../lib/text.js';
import { plainText } from './markdown.js';

export interface TableRow {
  cells: string[];
  line: number;
  column: number;
}

/** A table read from the page: header cells and data rows with their page positions. */
export interface ReadTable {
  headers: string[];
  rows: TableRow[];
  line: number;
  column: number;
  /** True when rebuilt from pipe-delimited lines that Markdown did not accept as a table. */
  recovered: boolean;
}

/** Reads a GFM table node; rows keep every cell, including cells beyond the header's count. */
export function readTable(node: Table): ReadTable {
  const [head, ...body] = node.children;
  return {
    headers: head ? head.children.map((cell) => plainText(cell)) : [],
    rows: body.map((row) => ({
      cells: row.children.map((cell) => plainText(cell)),
      line: row.position?.start.line ?? 1,
      column: row.position?.start.column ?? 1,
    })),
    line: node.position?.start.line ?? 1,
    column: node.position?.start.column ?? 1,
    recovered: false,
  };
}

/** One cell of a pipe-table row as written: its text between the pipes, and where that starts in the line (0-based). */
interface RawCell {
  text: string;
  start: number;
}

/**
 * The cells of one pipe-table row as Markdown (GFM) splits them, the one rule both the cell texts
 * (`splitPipeRow`) and their columns (`cellColumnsOf`) follow: leading white space and block-quote
 * markers are skipped, a leading `|` is optional, a backslash takes the character after it into the
 * cell when that is a `|` or another backslash (so `\|` stays inside its cell while `C:\\|` is a
 * backslash written as `\\` followed by the cell's end), a `|` inside a code span ends its cell as
 * anywhere else (escape it as `\|`), and the empty rest after a closing `|` is no cell.
 */
function rawCellsOf(line: string): RawCell[] {
  const lead = /^\s*(?:>\s*)*/.exec(line)?.[0].length ?? 0;
  let i = line[lead] === '|' ? lead + 1 : lead;
  const cells: RawCell[] = [];
  while (i <= line.length) {
    let end = i;
    while (end < line.length && line[end] !== '|') end += line[end] === '\\' && (line[end + 1] === '|' || line[end + 1] === '\\') ? 2 : 1;
    const text = line.slice(i, end);
    if (end >= line.length && text.trim() === '' && cells.length > 0) break;
    cells.push({ text, start: i });
    i = end + 1;
  }
  return cells;
}

/** A cell's text as read: `\|` and `\\` unescaped, emphasis and code markers and link targets dropped, white space collapsed. */
function cellText(raw: string): string {
  const unescaped = raw.replace(/\\([|\\])/g, '$1');
  return collapseWhitespace(unescaped.replace(/\*\*|__|[*_`]/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
}

/** Splits one pipe-delimited line into cells (see `rawCellsOf` for the rule); leading/trailing pipes are optional. */
export function splitPipeRow(line: string): string[] {
  return rawCellsOf(line).map((cell) => cellText(cell.text));
}

/**
 * The 1-based column where each cell of a pipe-table row starts its text (its first character that is not
 * white space; the cell's start when it is empty), in `line` as written: one per cell of `splitPipeRow`,
 * split by the same rule (`rawCellsOf`).
 */
export function cellColumnsOf(line: string): number[] {
  return rawCellsOf(line).map((cell) => {
    const first = cell.text.search(/\S/);
    return cell.start + (first < 0 ? 0 : first) + 1;
  });
}

const DELIMITER_ROW = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const PIPE_LINE = /^\s*(>\s*)*\|.*\|\s*$|^\s*(>\s*)*\|.*\|.*$/;

/**
 * Rebuilds a table from a paragraph whose lines are pipe rows (a table Markdown rejected:
 * no delimiter row, or a delimiter row with the wrong number of cells). Null when the paragraph is not such a table.
 */
export function recoverTable(node: Paragraph, lines: readonly string[]): ReadTable | null {
  const start = node.position?.start.line;
  const end = node.position?.end.line;
  if (start === undefined || end === undefined || end - start < 1) return null;
  const source = lines.slice(start - 1, end);
  const pipeLines = source.filter((l) => PIPE_LINE.test(l));
  if (pipeLines.length < 2 || pipeLines.length < source.length * 0.8) return null;
  const rows: TableRow[] = [];
  let headers: string[] | null = null;
  source.forEach((raw, i) => {
    const text = raw.replace(/^\s*(>\s*)*/, '');
    if (!text.includes('|') || DELIMITER_ROW.test(text)) return;
    const cells = splitPipeRow(text);
    if (headers === null) headers = cells;
    else rows.push({ cells, line: start + i, column: raw.length - text.length + 1 });
  });
  if (headers === null) return null;
  return { headers, rows, line: start, column: node.position?.start.column ?? 1, recovered: true };
}

/** The rows of a paragraph whose every line is a pipe row (the rest of a table cut short), or null. */
export function pipeRowsOf(node: Paragraph, lines: readonly string[]): TableRow[] | null {
  const start = node.position?.start.line;
  const end = node.position?.end.line;
  if (start === undefined || end === undefined) return null;
  const source = lines.slice(start - 1, end);
  if (source.length === 0 || !source.every((l) => PIPE_LINE.test(l))) return null;
  const rows: TableRow[] = [];
  source.forEach((raw, i) => {
    const text = raw.replace(/^\s*(>\s*)*/, '');
    if (DELIMITER_ROW.test(text)) return;
    rows.push({ cells: splitPipeRow(text), line: start + i, column: raw.length - text.length + 1 });
  });
  return rows;
}

const isComment = (node: RootContent | undefined): node is Html => node?.type === 'html' && /^\s*<!--/.test(node.value) && /-->\s*$/.test(node.value);
const startLine = (node: RootContent | undefined): number => node?.position?.start.line ?? -1;
const endLine = (node: RootContent | undefined): number => node?.position?.end.line ?? -2;

/**
 * A table that Markdown cut short at an HTML comment (a row commented out: `<!-- | ... | -->`), with the
 * rows written under the comment added back: `blocks[at]` is the table, and each comment that follows on
 * the next line, with pipe rows on the line after it, is taken in. Returns the table with every row, where
 * the first such comment starts (null when there is none), and the index of the last block taken.
 */
export function tableAcrossComments(blocks: readonly RootContent[], at: number, lines: readonly string[]): { table: ReadTable; comment: { line: number; column: number } | null; last: number } {
  const node = blocks[at] as Table;
  const table = readTable(node);
  let comment: { line: number; column: number } | null = null;
  let last = at;
  for (;;) {
    const html = blocks[last + 1];
    const rest = blocks[last + 2];
    if (!isComment(html) || startLine(html) !== endLine(blocks[last]) + 1) break;
    if (rest?.type !== 'paragraph' || startLine(rest) !== endLine(html) + 1) break;
    const rows = pipeRowsOf(rest, lines);
    if (rows === null) break;
    comment ??= { line: startLine(html), column: html.position?.start.column ?? 1 };
    table.rows.push(...rows);
    last += 2;
  }
  return { table, comment, last };
}
