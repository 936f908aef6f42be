import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as input from './input.js';
import { controlCharacterProblem, describeUnstorable, hasUnstorableText } from './unstorable-text.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The packages a module loads at start-up: its static value imports, followed through src/ (type-only and dynamic imports are skipped). */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [resolve(SRC, entry)];
  const specifier = /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(specifier)) {
      if (spec!.startsWith('.')) queue.push(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
      else if (!spec!.startsWith('node:')) packages.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
    }
  }
  return packages;
}

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
