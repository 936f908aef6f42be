import type { Paragraph, Table } from 'mdast';
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

/** Splits one pipe-delimited line into cells, honouring `\|`; leading/trailing pipes are optional. */
export function splitPipeRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '|') {
      current += '|';
      i++;
    } else if (ch === '|') {
      cells.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  cells.push(current);
  return cells.map((c) => collapseWhitespace(c.replace(/\*\*|__|[*_`]/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')));
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
