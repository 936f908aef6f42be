import type { Candidate, ConfirmationQuestion } from '../api/types.js';

export type Answer = 'yes' | 'no';

const YES_FACTOR = 2.5;
const NO_FACTOR = 0.4;

/** The key that ties a question to a candidate: its L1 and L2. */
export function toCodeKey(code: { l1: string; l2: string | null }): string {
  return `${code.l1}\u0000${code.l2 ?? ''}`;
}

/**
 * Re-weights candidates by the user's answers to confirmation questions: a "yes" multiplies the score
 * of the question's code by 2.5, a "no" by 0.4; scores are then rescaled to keep their original sum
 * and sorted best first. Candidates are unique by code in the output.
 */
export function rerankCandidates(candidates: Candidate[], questions: ConfirmationQuestion[], answers: Record<number, Answer | undefined>): Candidate[] {
  const unique = new Map<string, Candidate>();
  for (const c of candidates) if (!unique.has(c.code)) unique.set(c.code, c);
  const factors = new Map<string, number>();
  questions.forEach((q, index) => {
    const answer = answers[index];
    if (!answer) return;
    const key = toCodeKey(q);
    factors.set(key, (factors.get(key) ?? 1) * (answer === 'yes' ? YES_FACTOR : NO_FACTOR));
  });
  const list = [...unique.values()];
  const mass = list.reduce((sum, c) => sum + c.confidence, 0);
  const weighted = list.map((c) => ({ ...c, confidence: c.confidence * (factors.get(toCodeKey(c)) ?? 1) }));
  const weightedMass = weighted.reduce((sum, c) => sum + c.confidence, 0);
  const scale = weightedMass > 0 ? mass / weightedMass : 0;
  return weighted.map((c) => ({ ...c, confidence: Math.min(1, c.confidence * scale) })).sort((a, b) => b.confidence - a.confidence);
}

/** Candidates of a classification: the best one (when it named a code) followed by the alternatives. */
export function listCandidates(result: { l1: string | null; l2: string | null; code: string | null; confidence: number; alternatives: Candidate[] }): Candidate[] {
  const best = result.code !== null && result.l1 !== null ? [{ l1: result.l1, l2: result.l2, code: result.code, confidence: result.confidence }] : [];
  return [...best, ...result.alternatives];
}
