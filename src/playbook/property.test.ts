import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintPlaybook } from './lint.js';
import { parsePage } from './parse-page.js';
import { parsePlaybook } from './parse-playbook.js';

/** Pieces of real page syntax, so random pages reach deep into the parser and not only its first branch. */
const FRAGMENTS = [
  '---\n', 'title: Blocked - App Compatibility\n', 'title: Blocked\n', 'aliases:\n  - X\n', '# ', '## ', '### ', '> [!IMPORTANT]\n', '> [!TIP]\n', '> ', '>    1. ', '    ',
  '| a | b |\n', '| :--: | :--: |\n', '|---|---|\n', '| x \\| y | *z* |\n', '|3/26/2020| Who| What|\n', '1. ', '   1. ', '- ', '**Definition:** ', '[link](u)', '`c`',
  '\uFEFF', '\u200B', '\u00A0', '\r\n', '\n', '\n\n', '\t', '\\', '|', '*', '_', '[!', ']', '<br>', '\u0000', '\uFFFD', 'é', '日本語', '中文',
];

const pageText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 60 }).map((parts) => parts.join('')),
);

describe('parser properties', () => {
  it('parsePage never throws and returns well-formed problems', () => {
    fc.assert(
      fc.property(pageText, (text) => {
        const page = parsePage(text, 'random.md');
        expect(page.file).toBe('random.md');
        expect(['l1', 'l2', 'unknown']).toContain(page.kind);
        for (const p of page.problems) {
          expect(['error', 'warning', 'info']).toContain(p.severity);
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeGreaterThanOrEqual(1);
          expect(p.code).toMatch(/^PLAYBOOK_[A-Z0-9_]+$/);
          expect(p.code).not.toBe('PLAYBOOK_INTERNAL');
        }
        expect(() => JSON.stringify(page)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('parsePlaybook and lintPlaybook never throw on random page sets', () => {
    fc.assert(
      fc.property(fc.array(pageText, { maxLength: 4 }), (texts) => {
        const playbook = parsePlaybook(texts.map((text, i) => ({ file: `p${i}.md`, text })));
        const problems = lintPlaybook(playbook);
        expect(problems.length).toBeGreaterThanOrEqual(playbook.problems.length);
        expect(playbook.taxonomy.version).toMatch(/^[0-9a-f]{12}$/);
      }),
      { numRuns: 100 },
    );
  });
});
