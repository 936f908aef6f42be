import { slugify } from '../lib/text.js';

/** Stable id of a code: `slug(l1)/slug(l2)`, or `slug(l1)` for an L1-only code. Never throws. */
export function codeIdOf(l1: string, l2?: string | null): string {
  const l1Slug = slugify(l1) || 'l1';
  if (l2 === undefined || l2 === null || l2.trim() === '') return l1Slug;
  return `${l1Slug}/${slugify(l2) || 'l2'}`;
}
