import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countCharacters } from './input-check.js';

/** The counts written the obvious way, with regular expressions. */
function reference(text: string) {
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 8 || (c >= 14 && c <= 31) || c === 127 || c === 0xfffd) control++;
  }
  const compact = text.replace(/\s+/g, '');
  return {
    nonSpace: compact.length,
    control,
    letters: (compact.match(/\p{L}/gu) ?? []).length,
    latin: (compact.match(/[A-Za-z\u00C0-\u024F]/g) ?? []).length,
  };
}

describe('countCharacters', () => {
  // Well-formed text: a lone surrogate pair split by a space is the one case where removing spaces first (the
  // regular expressions) would join two halves into a letter that the text does not contain.
  it('agrees with the regular-expression counts on any well-formed text', () => {
    const chars = fc.oneof(
      fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', '\u0000', '\u0007', '\u007f', '\ufffd', '×', '÷', 'é', 'Ω', 'ж', '日', '𝒜', '😀', 'a', 'Z', '1', '-'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(fc.property(fc.array(chars, { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
      expect(countCharacters(text)).toEqual(reference(text));
    }), { numRuns: 2000 });
  });
});
