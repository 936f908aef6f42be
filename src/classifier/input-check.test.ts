import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countCharacters, findLetterWords } from './input-check.js';

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

describe('findLetterWords', () => {
  it('finds the runs of letters the regular expression it replaced finds, on ASCII text and on any other', () => {
    for (const s of ['', 'a', 'no update since monday', "haven't heard back; IT's busy", 'e5 licences x2', 'caf\u00e9 au lait', 'stra\u00dfe', '\u212a kelvin', '\ud835\udc00 math', 'end.']) {
      expect(findLetterWords(s.toLowerCase())).toEqual(s.toLowerCase().match(/\p{L}+/gu) ?? []);
    }
    for (const unit of ['grapheme-ascii', 'binary'] as const) {
      fc.assert(
        fc.property(fc.string({ unit }), (s) => {
          expect(findLetterWords(s.toLowerCase())).toEqual(s.toLowerCase().match(/\p{L}+/gu) ?? []);
        }),
      );
    }
  });
});
