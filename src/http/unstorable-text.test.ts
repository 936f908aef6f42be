import { describe, expect, it } from 'vitest';
import { packagesLoadedBy } from '../../test/module-imports.js';
import * as input from './input.js';
import { controlCharacterProblem, describeUnstorable, hasUnstorableText } from './unstorable-text.js';

describe('unstorable text', () => {
  it('the CSV reader/writer (CLI import and export) loads neither zod nor fastify', () => {
    const packages = packagesLoadedBy('http/csv.ts');
    expect(packages.has('zod')).toBe(false);
    expect(packages.has('fastify')).toBe(false);
    // The walker does see zod where it is: the JSON input guards still use the schema validation.
    expect(packagesLoadedBy('http/input.ts').has('zod')).toBe(true);
  });

  it('keeps controlCharacterProblem exported from input.ts', () => {
    expect(input.controlCharacterProblem).toBe(controlCharacterProblem);
  });

  it('names the first control character or lone surrogate, and lets tabs and line breaks through', () => {
    expect(controlCharacterProblem('tab\tline\r\nbreak')).toBeNull();
    expect(controlCharacterProblem('ok \u{1F600}')).toBeNull();
    expect(controlCharacterProblem('a\u0001b\u0002')).toMatch(/control character U\+0001;/);
    expect(controlCharacterProblem('a\ud800b')).toMatch(/unpaired surrogate U\+D800,/);
    expect(hasUnstorableText('\u000b')).toBe(true);
    expect(describeUnstorable('x\u001fy')).toMatch(/U\+001F/);
    expect(input.findControlCharacters({ 'k\u0000': 'v', n: ['\udc00'] }, 'body')).toEqual([
      { where: 'body', path: '/k\u0000', message: expect.stringMatching(/^the field name contains the control character U\+0000;/) },
      { where: 'body', path: '/n/0', message: expect.stringMatching(/unpaired surrogate U\+DC00/) },
    ]);
  });
});
