/** Zero-width characters that real pages carry invisibly (ZWSP, ZWNJ, ZWJ, word joiner, BOM). */
const ZERO_WIDTH_PATTERN = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Words that join two parts of a label and carry no meaning for matching ("and"/"or" in the playbook's languages). */
const JOINING_WORDS = new Set(['and', 'or', 'y', 'o', 'und', 'oder', 'e', 'ou', 'et']);

/** Removes accents from Latin letters; other scripts (including Japanese voicing marks) are kept intact. */
function stripLatinAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

/**
 * Lower-case slug: accents removed, every run of characters that are not letters or
 * digits (of any script) becomes one hyphen, trimmed. Latin text gives `[a-z0-9-]`. Never throws.
 */
export function slugify(text: string): string {
  return stripLatinAccents(String(text).normalize('NFKC').replace(ZERO_WIDTH_PATTERN, ''))
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Canonical form of a reason-code label for matching: case, accents, spacing,
 * punctuation, zero-width characters and the `and`/`&`/`or`/comma/slash difference
 * folded away. Non-Latin scripts are kept (letters, marks and digits of any script
 * survive). Words are separated by single spaces. Never throws.
 */
export function normalizeLabel(label: string): string {
  return stripLatinAccents(String(label).normalize('NFKC').replace(ZERO_WIDTH_PATTERN, ''))
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w !== '' && !JOINING_WORDS.has(w))
    .join(' ');
}

/** Collapses every run of white space (including NBSP and ideographic space) to one space and trims. Never throws. */
export function collapseWhitespace(text: string): string {
  return String(text).replace(ZERO_WIDTH_PATTERN, '').replace(/[\s\u00A0\u3000]+/g, ' ').trim();
}

/** A probability as a whole percentage, with ">99%" and "<1%" for the ends that would round to 100% and 0%. */
export function formatPercent(value: number): string {
  if (value > 0.99 && value < 1) return '>99%';
  if (value > 0 && value < 0.01) return '<1%';
  return `${(value * 100).toFixed(0)}%`;
}
