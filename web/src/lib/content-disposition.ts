/**
 * The file name a `Content-Disposition` header gives (`attachment; filename="a.csv"`), or `fallback`
 * when it gives none. `filename*` (RFC 6266/5987: `UTF-8''%C3%BCber.csv`) wins over `filename`, as in
 * browsers; any folder part is dropped, so the name is a file name only.
 */
export function filenameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^';]*)'[^']*'([^;]*)/i.exec(header);
  if (extended) {
    const [, charset = '', encoded = ''] = extended;
    try {
      // UTF-8 (what servers send); ISO-8859-1, the other charset RFC 5987 names, byte by byte.
      const name = /^iso-8859-1$/i.test(charset.trim())
        ? encoded.trim().replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        : decodeURIComponent(encoded.trim());
      const clean = baseName(name);
      if (clean) return clean;
    } catch {
      // A malformed escape: fall back to the plain filename parameter.
    }
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
  const name = plain ? (plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : (plain[2] ?? '').trim()) : '';
  return baseName(name) || fallback;
}

/** The last part of a path (a name with `/` or `\` in it), without control characters. */
function baseName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return (name.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
}
