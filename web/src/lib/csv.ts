/** Quotes one CSV field per RFC 4180 (quotes doubled; quoted when it holds a comma, quote or line break). */
export function quoteCsvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a header row from `columns`, CRLF line ends. */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  const lines = [columns.map(quoteCsvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quoteCsvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

