/** Text a spreadsheet would run as a formula (OWASP's list of first characters), as the server's export. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Quotes one CSV field per RFC 4180 (quotes doubled; quoted when it holds a comma, quote or line break).
 * Text that a spreadsheet would run as a formula (an owner named "=cmd|...") gets a leading `'`, as the
 * server's export does; numbers are written as they are, negative ones included.
 */
export function quoteCsvField(value: unknown): string {
  const raw = value === null || value === undefined ? '' : String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a header row from `columns`, CRLF line ends. */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  const lines = [columns.map(quoteCsvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quoteCsvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

