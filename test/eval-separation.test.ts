/**
 * The evaluation sets are kept apart from the training pages: no note of eval/ may appear in a built-in
 * page, whole or as a long run of the same words. (A page writer who pasted an eval note into a
 * scenario table would make every score on that set a score on training data.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPlaybook } from '../src/app/index.js';
import type { Question } from '../src/playbook/types.js';

const root = join(import.meta.dirname, '..');
/** Words in a run that two independent writers are very unlikely to share by chance. */
const RUN = 8;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function runs(text: string): string[] {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + RUN <= w.length; i++) out.push(w.slice(i, i + RUN).join(' '));
  return out;
}

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonlFiles(path);
    return name.endsWith('.jsonl') ? [path] : [];
  });
}

function flatten(questions: Question[]): string[] {
  return questions.flatMap((q) => [q.text, ...flatten(q.children)]);
}

describe('evaluation sets and training pages', () => {
  it('share no note and no run of eight words', async () => {
    const playbook = await loadBuiltinPlaybook();
    const pageTexts = playbook.pages.flatMap((p) => [p.definition ?? '', ...p.valid.map((s) => s.text), ...p.invalid.map((s) => s.text), ...flatten(p.questions)]);
    const pageWhole = new Set(pageTexts.map((t) => words(t).join(' ')));
    const pageRuns = new Set(pageTexts.flatMap(runs));
    expect(pageWhole.size).toBeGreaterThan(1000);

    const files = jsonlFiles(join(root, 'eval'));
    const notes = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => ({ file: f.slice(root.length + 1), text: String((JSON.parse(l) as { text?: unknown }).text ?? '') })),
    );
    expect(notes.length).toBeGreaterThan(500);
    const shared = notes.filter((n) => pageWhole.has(words(n.text).join(' ')) || runs(n.text).some((r) => pageRuns.has(r)));
    // Named by file only: the held-out notes are not printed.
    expect(shared.map((n) => n.file)).toEqual([]);
  });
});
