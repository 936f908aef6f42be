import { describe, expect, it } from 'vitest';
import { analyseText } from './tokenize.js';

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
