/**
 * What a file is when it is a compressed or packed format people choose by mistake instead of a CSV
 * text file, from its first bytes. Pure; shared by the import (src/http/csv.ts) and the web app's
 * import preview, so both name such a file the same way.
 */

const XLS_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The kind of a file starting with `head`, worded to follow "The file is ..."; undefined for anything else. */
export function packedFileKind(head: Uint8Array): string | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed';
  // ZIP: .zip, and the Office formats (.xlsx, .docx), which are ZIP archives.
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'a ZIP archive (an Excel .xlsx workbook is one)';
  // The old Excel .xls (an OLE compound file).
  if (head.length >= XLS_SIGNATURE.length && XLS_SIGNATURE.every((b, i) => head[i] === b)) return 'an Excel .xls workbook';
  return undefined;
}
