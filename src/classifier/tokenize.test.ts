import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseText, isNumberLike, stripPossessive } from './tokenize.js';

const norms = (text: string) => analyseText(text).tokens.map((t) => t.norm);

describe('analyseText', () => {
  it.each([
    ['IT in capitals is the IT department, not the pronoun', 'IT lacks staff', ['it_dept', 'lack', 'staff']],
    ['negations are kept', 'no budget and not ready', ['no', 'budget', 'not', 'ready']],
    ['possessives fold to the word, whatever wink saw before', "the partner's team", ['partner', 'team']],
    ['curly possessives too', 'the customer\u2019s proxy', ['customer', 'proxy']],
    ['numbers and punctuation are dropped', 'Blocked since 4/30, 300 users!', ['block', 'user']],
  ])('%s', (_name, text, expected) => {
    expect(analyseText(text).tokens.map((t) => t.lemma)).toEqual(expected);
  });

  it('gives the same tokens before and after other texts were analysed', () => {
    const text = "The partner's consultants were moved to another client";
    const before = norms(text);
    for (const other of ["partner's", "the partner's scope", "customer's partner's SOW"]) analyseText(other);
    expect(norms(text)).toEqual(before);
  });
});

/** What `stripPossessive` replaced: the regular expression, run on every word. */
const stripWithRegex = (word: string) => word.replace(/(?<=\p{L})['\u2019]s?$/u, '');

describe('stripPossessive', () => {
  it.each([
    ["partner's", 'partner'],
    ['partners\'', 'partners'],
    ['customer\u2019s', 'customer'],
    ['licences\u2019', 'licences'],
    ["IT's", 'IT'],
    ["IT'S", "IT'S"],
    ["'s", "'s"],
    ['\u2019s', '\u2019s'],
    ["s'", 's'],
    ["3's", "3's"],
    ["O'Brien's", "O'Brien"],
    ["rock'n'roll", "rock'n'roll"],
    ['boss', 'boss'],
    ['s', 's'],
    ["'", "'"],
    ['', ''],
    ['\u03c0\u03cc\u03bb\u03b7\u2019s', '\u03c0\u03cc\u03bb\u03b7'],
    ['\u{1d4d0}\u2019', '\u{1d4d0}'],
    ['\ud83d\ude80\u2019s', '\ud83d\ude80\u2019s'],
  ])('%j -> %j, as the regular expression gives it', (word, expected) => {
    expect(stripPossessive(word)).toBe(expected);
    expect(stripPossessive(word)).toBe(stripWithRegex(word));
  });

  it('agrees with the regular expression on any word', () => {
    const pieces = fc.constantFrom('a', 'Z', 's', 'S', "'", '\u2019', '3', '-', '\u00e9', '\u03c0', '\ud83d\ude80', '\u{1d4d0}', ' ');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
      const word = parts.join('');
      expect(stripPossessive(word)).toBe(stripWithRegex(word));
    }), { numRuns: 2000 });
  });
});

describe('analyseText on tricky notes', () => {
  // Expected tokens as the tokenizer gave them before `stripPossessive` (norm, or norm/lemma), and the word count.
  it.each([
    ["IT can't staff it; the customer's IT team won't sign off. It's IT's call.", 'it_dept not staff customer it_dept team not sign off it_dept', 16],
    ['The partners\' admins haven\'t got the licences\u2019 keys; nobody\'s trained', 'partners/partner admins not got/get licences/license keys/key nobody trained/train', 11],
    ['See https://contoso.sharepoint.com/sites/it and mail it-ops@contoso.com #rollout', 'https://contoso.sharepoint.com/sites/it mail it-ops@contoso.com #rollout', 6],
    ['Blocked since 4/30, 300 users, 3.5% done, v2 on 2024-05-01', 'blocked/block users/user v2', 6],
    ['\u5ba2\u6237\u7684IT\u90e8\u95e8\u6ca1\u6709\u8db3\u591f\u7684\u4eba\u624b but the rollout is blocked', 'it_dept rollout blocked/block', 6],
    ['Blocked \ud83d\udea7 \u2014 IT\u2019s change board (CAB) won\u2019t approve \ud83d\udc4d\ud83c\udffd until Q3', 'blocked/block it_dept change board cab n\u2019t/not approve q3', 10],
    ['\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03ba\u03b5\u03af\u03bc\u03b5\u03bd\u03bf: the customer\'s proxy', 'customer proxy', 3],
    ["James' laptop and the bosses' desks; O'Brien's team; rock'n'roll", "james laptop bosses/boss desks/desk o'brien team rock'n'roll", 9],
    ["ITS IT Its it's 'quoted' s' 's \u2019s", 'it_dept quoted/quote s', 6],
  ])('%j', (text, expected, wordCount) => {
    const analysed = analyseText(text);
    expect(analysed.tokens.map((t) => (t.norm === t.lemma ? t.norm : `${t.norm}/${t.lemma}`)).join(' ')).toBe(expected);
    expect(analysed.wordCount).toBe(wordCount);
  });
});

describe('isNumberLike', () => {
  const NUMBER_LIKE = /^[\d.,:/%+-]+$/;
  it('says what the regular expression it replaced says', () => {
    for (const s of ['', '1', '12.5', '1,000', '10:30', '3/4', '50%', '+1', '-2', '1-2', '.', 'a1', '1a', 'IT', '٣', '1\n', '1 2', 'e5', '2fa', '\u2212' + '1']) {
      expect(isNumberLike(s), JSON.stringify(s)).toBe(NUMBER_LIKE.test(s));
    }
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.,:/%+-aZ _\u00e9\u0663'.split('')), maxLength: 8 }), (s) => isNumberLike(s) === NUMBER_LIKE.test(s)),
    );
  });
});
