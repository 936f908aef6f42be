/** Turns a page set into training evidence: codes and weighted examples. Pure. */
import { normalizeLabel } from '../lib/index.js';
import type { Question } from '../playbook/types.js';
import { codeIdOf } from '../taxonomy/code-id.js';
import type { ModelCode, ModelOptions, TrainingExample, TrainingPlaybook } from './types.js';

export interface TrainingData {
  codes: ModelCode[];
  l1s: { name: string; codes: number[] }[];
  examples: TrainingExample[];
  warnings: string[];
}

function flattenQuestions(questions: Question[], out: string[] = []): string[] {
  for (const q of questions) {
    if (q.text.trim() !== '') out.push(q.text.trim());
    flattenQuestions(q.children, out);
  }
  return out;
}

/** Splits prose into sentences (on . ! ? ; followed by space and a capital or the end). */
export function splitSentences(text: string): string[] {
  return text
    .replace(/\*\*[^*]*:\*\*\s*/g, '')
    .split(/(?<=[.!?])\s+(?=[A-Z(])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** True when `text` names any of `names` (normalised labels) as whole words. */
export function mentionsAny(text: string, names: string[]): boolean {
  return mentionsAnyPadded(padLabel(text), names);
}

/** `text` normalised as a label, with a space on each side (the form `mentionsAnyPadded` takes). */
export function padLabel(text: string): string {
  return ` ${normalizeLabel(text)} `;
}

/** `mentionsAny` for a text already passed through `padLabel`. */
export function mentionsAnyPadded(padded: string, names: string[]): boolean {
  return names.some((name) => name.length > 0 && padded.includes(` ${name} `));
}

/** The training warning for a code of the page set that has no example scenarios, before and after the code's name. */
const NO_EXAMPLES = { before: 'Code "', after: '" has no example scenarios; the model cannot predict it.' } as const;

/** The training warning for a code of the page set that has no example scenarios, and is left out of the model. */
export function noExamplesWarning(name: string): string {
  return `${NO_EXAMPLES.before}${name}${NO_EXAMPLES.after}`;
}

/**
 * How many codes of the page set a model left out for lack of examples, read from its training
 * warnings ({@link noExamplesWarning}): the model keeps only the codes it can predict, and a cached
 * model carries its warnings, so this needs no other record of the page set.
 */
export function countCodesWithoutExamples(warnings: readonly string[]): number {
  const { before, after } = NO_EXAMPLES;
  return warnings.filter((w) => w.length > before.length + after.length && w.startsWith(before) && w.endsWith(after)).length;
}

/** Collects the model's codes and evidence from a page set. Codes without any evidence are left out, with a warning. */
export function collectTrainingData(playbook: TrainingPlaybook, options: ModelOptions): TrainingData {
  const { taxonomy, pages } = playbook;
  const all: ModelCode[] = taxonomy.codes.map((code) => ({
    id: code.id,
    l1: code.l1,
    l2: code.l2,
    definition: code.definition,
    file: code.file,
    questions: [],
    names: [],
  }));
  const byId = new Map(all.map((c, i) => [c.id, i]));
  for (const [label, ids] of Object.entries(taxonomy.labels)) {
    if (ids.length !== 1) continue;
    const at = byId.get(ids[0] as string);
    if (at !== undefined && label.split(' ').length >= 1 && label.length >= 4) all[at]?.names.push(label);
  }
  // A page names its code as its title spells it; the taxonomy keeps the first page's spelling of a code
  // defined twice ("Legal/Regulatory", "legal/regulatory"), so a name in another letter case is found by its id.
  const findCode = (l1: string | null, l2: string | null): number => {
    if (!l1) return -1;
    const exact = all.findIndex((c) => c.l1 === l1 && c.l2 === l2);
    return exact >= 0 ? exact : (byId.get(codeIdOf(l1, l2)) ?? -1);
  };
  const examples: TrainingExample[] = [];
  for (const page of pages) {
    const pageCode = page.kind === 'unknown' ? -1 : findCode(page.l1, page.kind === 'l1' ? null : page.l2);
    const code = all[pageCode];
    const otherNames = all.filter((_, i) => i !== pageCode).flatMap((c) => c.names);
    for (const s of page.valid) {
      const target = s.l1 ? findCode(s.l1, s.l2) : pageCode;
      if (target >= 0 && s.text.trim()) examples.push({ text: s.text, code: target, negative: -1, kind: 'valid', file: page.file, weight: 1 });
    }
    for (const s of page.invalid) {
      const target = findCode(s.l1, s.l2);
      const negative = pageCode >= 0 && pageCode !== target ? pageCode : -1;
      if ((target >= 0 && target !== pageCode) || negative >= 0) {
        if (s.text.trim()) examples.push({ text: s.text, code: target === pageCode ? -1 : target, negative, kind: 'invalid', file: page.file, weight: options.invalidWeight });
      }
    }
    if (!code) continue;
    if (page.definition) {
      code.definition ??= page.definition;
      for (const sentence of splitSentences(page.definition)) {
        if (!mentionsAny(sentence, otherNames)) examples.push({ text: sentence, code: pageCode, negative: -1, kind: 'definition', file: page.file, weight: options.definitionWeight });
      }
    }
    const questions = flattenQuestions(page.questions);
    // What the user is told to ask the customer: the items that ask something. A follow-up that only
    // advises the partner ("If it is IT staff, use IT Change Management ... instead.") stays evidence
    // for the model but is no question to put to a customer.
    const asked = questions.filter((q) => q.includes('?'));
    code.questions.push(...(asked.length > 0 ? asked : questions));
    for (const q of questions) {
      if (!mentionsAny(q, otherNames)) examples.push({ text: q, code: pageCode, negative: -1, kind: 'question', file: page.file, weight: options.questionWeight });
    }
  }
  const warnings: string[] = [];
  const evidence = new Set(examples.filter((e) => e.kind === 'valid' || e.kind === 'invalid').map((e) => e.code));
  const keep = all.map((_, i) => evidence.has(i));
  all.forEach((c, i) => {
    if (!keep[i]) warnings.push(noExamplesWarning(c.l2 ?? c.l1));
  });
  const remap = new Map<number, number>();
  const codes: ModelCode[] = [];
  all.forEach((c, i) => {
    if (keep[i]) {
      remap.set(i, codes.length);
      codes.push(c);
    }
  });
  const kept = examples
    .map((e) => ({ ...e, code: remap.get(e.code) ?? -1, negative: remap.get(e.negative) ?? -1 }))
    .filter((e) => e.code >= 0 || e.negative >= 0);
  const l1s: { name: string; codes: number[] }[] = [];
  codes.forEach((c, i) => {
    const node = l1s.find((n) => n.name === c.l1);
    if (node) node.codes.push(i);
    else l1s.push({ name: c.l1, codes: [i] });
  });
  return { codes, l1s, examples: kept, warnings };
}
