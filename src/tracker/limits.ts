/**
 * Length limits of stored text, in characters: the one place the JSON API's schemas and the CSV
 * import take them from, so every write path accepts the same values (and the web form can edit
 * anything that was stored).
 */
export const TEXT_LIMITS = {
  tenantId: 200,
  customerName: 300,
  partnerName: 200,
  region: 100,
  workload: 100,
  part: 200,
  code: 200,
  l1: 200,
  l2: 200,
  l3: 200,
  note: 4000,
  businessReason: 500,
  owner: 200,
  nextAction: 1000,
} as const;

export type LimitedField = keyof typeof TEXT_LIMITS;

/**
 * What is wrong with text of `length` characters where at most `max` are allowed, without the field's
 * name: `is 400 characters long; at most 200 are allowed`. The JSON API (src/http/validation.ts) and
 * the CSV import say it in these words. Never throws.
 */
export function tooLongProblem(length: number, max: number): string {
  return `is ${length} characters long; at most ${max} are allowed`;
}

/** A message naming the limit when `value` is longer than `field` allows, else null. Never throws. */
export function lengthProblem(field: LimitedField, value: string): string | null {
  const max = TEXT_LIMITS[field];
  return value.length > max ? tooLongProblem(value.length, max) : null;
}
