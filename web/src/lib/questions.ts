/**
 * How a confirmation question can be answered:
 * - `yes-no`: a closed question ("Is the proxy in the way?"); a yes or no re-ranks the candidates;
 * - `open`: asks for a fact or a choice ("Which vendor?", "Why…?", "Is it X, or Y?"); answered in words;
 * - `guidance`: a sentence that is not a question ("If no, use Migration."); shown as advice only.
 */
export type QuestionKind = 'yes-no' | 'open' | 'guidance';

/** Words that open a closed (yes/no) question in English. */
const AUXILIARIES = new Set([
  'is', 'are', 'was', 'were', 'am', 'do', 'does', 'did', 'has', 'have', 'had',
  'can', 'could', 'will', 'would', 'should', 'shall', 'may', 'might', 'must',
  "isn't", "aren't", "doesn't", "don't", "hasn't", "haven't", "can't",
]);
/** A leading condition or scope ("If yes, …", "For calling, …") before the question itself. */
const LEADING_CLAUSE = /^(?:if|for)\b[^,?]*,\s+/i;
/** "…, or does it …", "… or still in use": alternatives to pick from, not a yes or no. */
const ALTERNATIVES = /,\s*or\b|(?<!\()\bor\s+(?:is|are|was|were|do|does|did|has|have|would|will|can|could|should|about|only|still|just)\b/i;
/** "Is it a cloud service or an on-premises server?": the either/or frame, without a comma. */
const EITHER_OR = /^(?:is|was) (?:it|this|that)\b[^,]*\bor\s+an?\b/i;
/** "…, and when does it end?": a closed question that also asks for a fact. */
const TRAILING_OPEN = /,\s*and\s+(?:by\s+)?(?:what|which|who|whom|whose|when|where|why|how)\b/i;

/**
 * Tells how a confirmation question is answered, from its wording (English). Only its first question
 * counts ("Does it still intend to use it? If not, use No Intent." is a yes/no question). Never throws.
 */
export function classifyQuestion(text: string): QuestionKind {
  const trimmed = text.trim();
  const end = trimmed.indexOf('?');
  if (end < 0) return 'guidance';
  const question = trimmed.slice(0, end + 1).replace(LEADING_CLAUSE, '');
  const first = /^[\p{L}']+/u.exec(question)?.[0]?.toLowerCase() ?? '';
  if (!AUXILIARIES.has(first)) return 'open';
  if (ALTERNATIVES.test(question) || EITHER_OR.test(question) || TRAILING_OPEN.test(question)) return 'open';
  return 'yes-no';
}

/**
 * The note with `answer` added as a sentence of its own: trimmed, first letter capitalised, ending
 * with a full stop unless it already ends a sentence. The note is returned unchanged for an empty answer.
 */
export function appendAnswer(note: string, answer: string): string {
  const words = answer.trim().replace(/\s+/g, ' ');
  if (!words) return note;
  const sentence = `${words.charAt(0).toUpperCase()}${words.slice(1)}${/[.!?]$/.test(words) ? '' : '.'}`;
  const base = note.trimEnd();
  if (!base) return sentence;
  return `${base}${/[.!?;:]$/.test(base) ? '' : '.'} ${sentence}`;
}
