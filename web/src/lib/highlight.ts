/** A piece of text, marked when it matched one of the terms. */
export interface Segment {
  text: string;
  marked: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits `text` into segments where whole-word, case-insensitive matches of `terms` are marked.
 * Longer terms win over their prefixes; empty terms are ignored. Joining the segments gives `text` back.
 */
export function splitHighlights(text: string, terms: string[]): Segment[] {
  const cleaned = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length > 1))].sort((a, b) => b.length - a.length);
  if (cleaned.length === 0 || !text) return text ? [{ text, marked: false }] : [];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${cleaned.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start > last) segments.push({ text: text.slice(last, start), marked: false });
    segments.push({ text: match[0], marked: true });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), marked: false });
  return segments;
}
