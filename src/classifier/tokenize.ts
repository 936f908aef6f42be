/**
 * Tokenisation and lemmas with wink-nlp's English model. Pure: text in, tokens out.
 * The wink instance is created once on first use (loading its model reads no file of ours).
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

function getNlp(): Nlp {
  nlp ??= winkNLP(model, ['pos']);
  return nlp;
}

/** Words kept although wink marks them as stop words: they carry the meaning of a note. */
const KEPT_STOP_WORDS = new Set(['no', 'not', 'never', 'nobody', 'none', 'nothing', 'without', 'cannot', 'off', 'down', 'against', 'own', 'only']);

export interface Token {
  /** Lower-case surface form (`it_dept` for the acronym IT). */
  norm: string;
  /** Lower-case lemma (`it_dept` for the acronym IT). */
  lemma: string;
}

export interface AnalysedText {
  /** Content tokens (no punctuation, numbers or ordinary stop words), in order. */
  tokens: Token[];
  /** Count of word-like tokens before stop-word removal. */
  wordCount: number;
}

/** Whether `value` is made of digits and `.,:/%+-` only (what /^[\d.,:/%+-]+$/ tests), without the regular expression (it ran for every token). */
export function isNumberLike(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // 0-9 . , : / % + -
    if (!((c >= 48 && c <= 57) || c === 46 || c === 44 || c === 58 || c === 47 || c === 37 || c === 43 || c === 45)) return false;
  }
  return true;
}
const POSSESSIVE = /(?<=\p{L})['\u2019]s?$/u;

/**
 * `word` without a possessive ending (`'s`, `'`, or the same with \u2019) after a letter. Most words
 * do not end in an apostrophe or `s` after one: those are returned as they are, without running the
 * regular expression (it ran twice per token and cost more than the rest of the loop).
 */
export function stripPossessive(word: string): string {
  const n = word.length;
  const last = word.charCodeAt(n - 1);
  if (last === 115 /* s */) {
    const before = word.charCodeAt(n - 2);
    if (before !== 39 && before !== 0x2019) return word;
  } else if (last !== 39 && last !== 0x2019) return word;
  return word.replace(POSSESSIVE, '');
}

/** Splits `text` into content tokens with lemmas. Never throws. */
export function analyseText(text: string): AnalysedText {
  const nlp = getNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens();
  const read = tokens.out.bind(tokens) as (fn: unknown) => unknown;
  const values = read(its.value) as string[];
  const types = read(its.type) as string[];
  const lemmas = read(its.lemma) as string[];
  const stops = read(its.stopWordFlag) as boolean[];
  const out: Token[] = [];
  let wordCount = 0;
  for (let i = 0; i < values.length; i++) {
    const type = types[i];
    if (type !== 'word' && type !== 'number' && type !== 'hashtag' && type !== 'email' && type !== 'url') continue;
    // wink's tokenizer may or may not split a possessive depending on what it has seen before: fold it here.
    const value = stripPossessive(values[i] ?? '');
    if (type === 'number' || isNumberLike(value) || value === "'s" || value === '\u2019s') continue;
    wordCount++;
    if (value === 'IT') {
      out.push({ norm: 'it_dept', lemma: 'it_dept' });
      continue;
    }
    const norm = value.toLowerCase();
    if (stops[i] && !KEPT_STOP_WORDS.has(norm) && !KEPT_STOP_WORDS.has(lemmas[i] ?? '')) continue;
    if (norm.length < 2 && !/\p{L}/u.test(norm)) continue;
    if (norm === "'s" || norm === "n't") {
      if (norm === "n't") out.push({ norm: 'not', lemma: 'not' });
      continue;
    }
    out.push({ norm, lemma: stripPossessive((lemmas[i] ?? norm).toLowerCase()) });
  }
  return { tokens: out, wordCount };
}
