/** Lower-case slug: every run of non-alphanumerics becomes one hyphen, trimmed. Never throws. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Canonical form of a reason-code label for matching: case, accents, spacing,
 * punctuation and the `and`/`&`/comma difference folded away. Non-Latin scripts
 * are kept (letters and digits of any script survive). Never throws.
 */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w !== '' && w !== 'and' && w !== 'y' && w !== 'und' && w !== 'e' && w !== 'et')
    .join(' ');
}
