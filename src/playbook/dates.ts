function isoOf(year: number, month: number, day: number): string | null {
  if (year < 100) year += 2000;
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a written date as ISO `YYYY-MM-DD`: M/D/YYYY and MM/DD/YYYY (US order, as the
 * playbook writes them; a first number above 12 is read as the day), M/D/YY, M-D-YYYY,
 * YYYY-MM-DD, YYYY/MM/DD, D.M.YYYY and YYYY年M月D日. Null when it is not a real calendar date. Never throws.
 */
export function normalizeDate(text: string): string | null {
  const t = String(text ?? '')
    .normalize('NFKC')
    .replace(/[*_`\u200B-\u200D\uFEFF]/g, '')
    .trim();
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4}|\d{2})$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = Number(m[3]);
    return a > 12 && b <= 12 ? isoOf(y, b, a) : isoOf(y, a, b);
  }
  m = /^(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4}|\d{2})$/.exec(t);
  if (m) return isoOf(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

/** True when `text` has the shape of a numeric date (even an impossible one such as 13/45/2020). */
export function looksLikeDate(text: string): boolean {
  return /^\s*\d{1,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,4}\s*日?\s*$/.test(String(text ?? '').normalize('NFKC').replace(/[*_`]/g, ''));
}
