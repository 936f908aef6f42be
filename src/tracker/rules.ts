/** The playbook's status rules, as pure functions over a taxonomy and a candidate status. */
import { AppError, normalizeLabel, slugify } from '../lib/index.js';
import { KNOWN_L1_BY_KIND, KNOWN_L1_KINDS, kindOfL1Node } from '../taxonomy/known-l1.js';
import type { Taxonomy, TaxonomyCode } from '../taxonomy/types.js';
import { unknownL1Error } from './label-errors.js';
import type { RuleViolation, StatusSnapshot } from './types.js';

/** The L1 kinds the rules know: the slugs of the five L1 names (an L1 of a playbook's own may follow one, see {@link l1KindsOf}). */
export const L1_KIND = {
  unknown: KNOWN_L1_KINDS['Status Unknown'],
  inProgress: KNOWN_L1_KINDS['In Progress'],
  noIntent: KNOWN_L1_KINDS['No Intent'],
  blocked: KNOWN_L1_KINDS.Blocked,
  duplicateInvalid: KNOWN_L1_KINDS['Duplicate/Invalid'],
} as const;

/** Code every new entitlement starts with. */
export const NEW_ENTITLEMENT_CODE = { l1: 'Status Unknown', l2: 'New Subscription or Workload' } as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Answers of isIsoDate and kindOf by input: imports check the same few values on every row. */
const MEMO_LIMIT = 10_000;
const isoDateMemo = new Map<string, boolean>();
const kindMemo = new Map<string, string>();

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** True for a real calendar date written `YYYY-MM-DD`; never throws. */
export function isIsoDate(value: string): boolean {
  const known = isoDateMemo.get(value);
  if (known !== undefined) return known;
  const m = ISO_DATE.exec(value);
  if (!m) return remember(isoDateMemo, value, false);
  const d = new Date(`${value}T00:00:00Z`);
  return remember(isoDateMemo, value, !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value);
}

/** The UTC calendar date of `now` as `YYYY-MM-DD`. */
export function toIsoDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The kind of status rules each L1 of a taxonomy follows, by L1 name (see {@link l1KindsOf}). Plain
 * lookup data: pass it along with a status wherever its rules are judged.
 */
export type L1Kinds = ReadonlyMap<string, string>;

/** Normalised names are kept apart from the names as spelt, so neither shadows the other. */
const NORMAL_KEY = '\u0000';
const kindsByTaxonomy = new WeakMap<object, L1Kinds>();

/**
 * The kind of status rules each L1 of `taxonomy` follows: one of {@link L1_KIND}'s values for the five
 * L1s and for an L1 of the playbook's own whose page says `rules:`; the slug of its name (a kind no rule
 * checks) for one that follows none. Built once per taxonomy. Never throws.
 */
export function l1KindsOf(taxonomy: Pick<Taxonomy, 'l1s'>): L1Kinds {
  const known = kindsByTaxonomy.get(taxonomy.l1s);
  if (known) return known;
  const kinds = new Map<string, string>();
  for (const node of taxonomy.l1s) {
    // A taxonomy built by hand may leave `kind` out: its L1s are then told by name.
    const kind = kindOfL1Node(node) ?? slugify(node.name);
    kinds.set(node.name, kind);
    kinds.set(NORMAL_KEY + normalizeLabel(node.name), kind);
  }
  kindsByTaxonomy.set(taxonomy.l1s, kinds);
  return kinds;
}

/** True when `code` is under an L1 of the Duplicate/Invalid kind (Duplicate/Invalid, or an L1 that follows its rules in `kinds`). */
export function isDuplicateInvalid(code: { l1: string }, kinds?: L1Kinds): boolean {
  return kindOf(code, kinds) === L1_KIND.duplicateInvalid;
}

/**
 * The L1 kind of a code: the kind `kinds` (from the taxonomy) gives its L1, else the slug of the L1 name
 * (one of {@link L1_KIND}'s values for the five L1s, a kind no rule checks for any other).
 */
export function kindOf(code: { l1: string }, kinds?: L1Kinds): string {
  if (kinds !== undefined) {
    const found = kinds.get(code.l1) ?? kinds.get(NORMAL_KEY + normalizeLabel(code.l1));
    if (found !== undefined) return found;
  }
  return kindMemo.get(code.l1) ?? remember(kindMemo, code.l1, slugify(code.l1));
}

/** How a rule message names the status's L1: the L1 itself, or "Stalled (which follows the Blocked rules)". */
function ruleSubject(l1: string, kind: string): string {
  const name = KNOWN_L1_BY_KIND.get(kind) ?? l1;
  return kindOf({ l1 }) === kind ? name : `${l1} (which follows the ${name} rules)`;
}

function sameLabel(a: string, b: string): boolean {
  return normalizeLabel(a) === normalizeLabel(b);
}

function findCodesByL2(taxonomy: Taxonomy, l2: string): TaxonomyCode[] {
  const direct = taxonomy.codes.filter((c) => c.l2 !== null && (sameLabel(c.l2, l2) || c.id.endsWith(`/${slugify(l2)}`)));
  if (direct.length > 0) return direct;
  const ids = taxonomy.labels[normalizeLabel(l2)] ?? [];
  return taxonomy.codes.filter((c) => ids.includes(c.id) && c.l2 !== null);
}

/**
 * Resolves a code id, or an L1 label with an optional L2 label, to a taxonomy code.
 * Throws UNKNOWN_CODE (with the valid choices) for a label the playbook does not define, and
 * RULE_VIOLATION (rule L2_BELONGS_TO_L1 / L2_REQUIRED) when the L2 is not one of the L1's reasons.
 */
export function resolveStatusCode(taxonomy: Taxonomy, input: { code?: string | undefined; l1?: string | undefined; l2?: string | null | undefined }): TaxonomyCode {
  if (input.code !== undefined) {
    const code = taxonomy.codes.find((c) => c.id === input.code);
    if (!code) throw new AppError('UNKNOWN_CODE', `Unknown status code "${input.code}". Use one of the ids from GET /api/taxonomy.`, { code: input.code, valid: taxonomy.codes.map((c) => c.id) });
    if (input.l1 !== undefined || input.l2 !== undefined) assertSameCode(taxonomy, code, input);
    return code;
  }
  if (input.l1 === undefined) throw new AppError('VALIDATION_FAILED', 'Give the status as `code`, or as `l1` with `l2`.', [{ where: 'body', path: '/code', message: 'is required, unless the status is given as l1 with l2' }]);
  const l1Label = input.l1;
  const l1 = taxonomy.l1s.find((n) => sameLabel(n.name, l1Label) || n.id === slugify(l1Label));
  if (!l1) throw unknownL1Error(l1Label, taxonomy.l1s.map((n) => n.name));
  const underL1 = taxonomy.codes.filter((c) => l1.codes.includes(c.id));
  const l2Label = input.l2 ?? null;
  if (l2Label === null || l2Label.trim() === '') {
    const only = underL1.find((c) => c.l2 === null);
    if (only) return only;
    throw new AppError('RULE_VIOLATION', `${l1.name} needs an L2 reason.`, {
      violations: [{ rule: 'L2_REQUIRED', field: 'l2', message: `Choose one of: ${underL1.map((c) => c.l2).join('; ')}.` }],
    });
  }
  const match = underL1.find((c) => c.l2 !== null && (sameLabel(c.l2, l2Label) || c.id === `${l1.id}/${slugify(l2Label)}`));
  if (match) return match;
  // Another name (alias, translation) of one of this L1's reasons.
  const aliasIds = taxonomy.labels[normalizeLabel(l2Label)] ?? [];
  const aliased = underL1.filter((c) => c.l2 !== null && aliasIds.includes(c.id));
  if (aliased.length === 1) return aliased[0]!;
  const elsewhere = findCodesByL2(taxonomy, l2Label).filter((c) => c.l1 !== l1.name);
  if (elsewhere.length > 0) {
    throw new AppError('RULE_VIOLATION', `"${l2Label}" is not a reason under ${l1.name}.`, {
      violations: [
        {
          rule: 'L2_BELONGS_TO_L1',
          field: 'l2',
          message: `"${l2Label}" is a reason under ${[...new Set(elsewhere.map((c) => c.l1))].join(' / ')}, not ${l1.name}; under ${l1.name} choose one of: ${underL1.map((c) => c.l2 ?? c.l1).join('; ')}.`,
        },
      ],
    });
  }
  throw new AppError('UNKNOWN_CODE', `Unknown L2 "${l2Label}" under ${l1.name}. Valid: ${underL1.map((c) => c.l2 ?? c.l1).join('; ')}.`, {
    l1: l1.name,
    l2: l2Label,
    valid: underL1.map((c) => c.l2),
  });
}

/**
 * Throws RULE_VIOLATION (rule CODE_MATCHES_LABELS) when `l1`/`l2` given next to `code` name another
 * status; an L1 or L2 left out is taken from `code`. Labels that name no status throw as in
 * {@link resolveStatusCode}.
 */
function assertSameCode(taxonomy: Taxonomy, code: TaxonomyCode, input: { l1?: string | undefined; l2?: string | null | undefined }): void {
  const l1 = input.l1 ?? code.l1;
  const l2 = input.l2 === undefined ? code.l2 : input.l2;
  let named: TaxonomyCode | undefined;
  try {
    named = resolveStatusCode(taxonomy, { l1, l2 });
  } catch (error) {
    // One label sent with the code, which the code's other label does not fit (code in-progress/migration
    // with l1 Blocked): the code and the labels disagree, rather than an L2 under the wrong L1.
    if (!(error instanceof AppError) || error.code !== 'RULE_VIOLATION') throw error;
  }
  if (named?.id === code.id) return;
  const labels = named ? `${named.l1}${named.l2 ? ` / ${named.l2}` : ''}` : [input.l1, input.l2].filter((x) => typeof x === 'string' && x !== '').join(' / ');
  throw new AppError('RULE_VIOLATION', `The code "${code.id}" and the labels ${labels} name different statuses; give one of them, or make them agree.`, {
    violations: [{ rule: 'CODE_MATCHES_LABELS', field: 'code', message: `"${code.id}" is ${code.l1}${code.l2 ? ` / ${code.l2}` : ''}, but l1/l2 say ${labels}.` }],
  });
}

/** Minimum words for a note that must explain something (a blocker, a reason for no intent). */
const MIN_EXPLAINING_WORDS = 5;

/** True when `note` says more than the status label itself: enough words beyond the L1/L2 names. */
export function isExplainingNote(note: string, code: { l1: string; l2: string | null }): boolean {
  const labelWords = new Set(normalizeLabel(`${code.l1} ${code.l2 ?? ''}`).split(' '));
  const words = normalizeLabel(note)
    .split(' ')
    .filter((w) => w.length > 0 && !labelWords.has(w));
  return words.length >= MIN_EXPLAINING_WORDS;
}

const DATE_FIELDS = ['targetDate', 'engagementStartDate', 'nextActionDate', 'projectedUnblockDate'] as const;

export interface RuleOptions {
  /** Today's date, `YYYY-MM-DD`, from the injected clock. */
  today: string;
  /**
   * True when the caller makes sure Duplicate/Invalid covers the whole customer (the whole-customer
   * operation, an import). Without it a status may be Duplicate/Invalid only when `before` already
   * was, with the same code.
   */
  wholeCustomer?: boolean;
  /** The status before the change, so unchanged past dates are not re-judged and an entitlement may stay Duplicate/Invalid. */
  before?: StatusSnapshot | null;
  /**
   * The kind of rules each L1 follows ({@link l1KindsOf} of the taxonomy). Without it an L1 is judged by
   * its name alone, so an L1 of the playbook's own that follows the rules of one of the five is not.
   */
  kinds?: L1Kinds;
}

/** Every rule the candidate status breaks; an empty list means it may be saved. Never throws. */
export function checkStatusRules(status: StatusSnapshot, options: RuleOptions): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const kind = kindOf(status, options.kinds);
  const subject = ruleSubject(status.l1, kind);
  const note = status.note.trim();
  for (const field of DATE_FIELDS) {
    const value = status[field];
    if (value !== null && !isIsoDate(value)) violations.push({ rule: 'DATE_FORMAT', field, message: `${field} must be a date written YYYY-MM-DD; got "${value}".` });
  }
  if (kind === L1_KIND.inProgress) {
    if (status.targetDate === null) violations.push({ rule: 'IN_PROGRESS_TARGET_DATE', field: 'targetDate', message: `${subject} needs a target date: when the customer means to finish.` });
    else if (isIsoDate(status.targetDate) && status.targetDate <= options.today)
      violations.push({ rule: 'IN_PROGRESS_TARGET_DATE', field: 'targetDate', message: `${subject} needs a target date in the future; ${status.targetDate} is not after today (${options.today}).` });
  }
  if (kind === L1_KIND.blocked) {
    if (!isExplainingNote(note, status))
      violations.push({ rule: 'BLOCKED_NOTE', field: 'note', message: `${subject} needs a note that explains the blocker: what stops the customer and what help is needed (at least ${MIN_EXPLAINING_WORDS} words beyond the status name).` });
    if (status.projectedUnblockDate === null) violations.push({ rule: 'BLOCKED_UNBLOCK_DATE', field: 'projectedUnblockDate', message: `${subject} needs a projected unblock date: when the blocker is expected to clear.` });
    else if (isIsoDate(status.projectedUnblockDate) && status.projectedUnblockDate < options.today && status.projectedUnblockDate !== options.before?.projectedUnblockDate)
      violations.push({ rule: 'BLOCKED_UNBLOCK_DATE', field: 'projectedUnblockDate', message: `The projected unblock date ${status.projectedUnblockDate} is in the past; give today (${options.today}) or later.` });
  }
  if (kind === L1_KIND.noIntent && !isExplainingNote(note, status))
    violations.push({ rule: 'NO_INTENT_NOTE', field: 'note', message: `${subject} needs a note giving the reason the customer does not mean to use the service (at least ${MIN_EXPLAINING_WORDS} words beyond the status name).` });
  // Entering Duplicate/Invalid, or moving to another Duplicate/Invalid code, takes the whole customer;
  // an entitlement that stays on its Duplicate/Invalid code (a new note, owner or date) changes alone.
  const staysDuplicateInvalid = options.before?.code === status.code && isDuplicateInvalid(options.before, options.kinds);
  if (kind === L1_KIND.duplicateInvalid && !options.wholeCustomer && !staysDuplicateInvalid)
    violations.push({ rule: 'DUPLICATE_INVALID_WHOLE_CUSTOMER', field: 'code', message: `${subject} applies to every entitlement of the customer at once: use POST /api/customers/{id}/duplicate-invalid.` });
  if (status.nextActionDate !== null && isIsoDate(status.nextActionDate) && status.nextActionDate < options.today && status.nextActionDate !== options.before?.nextActionDate)
    violations.push({ rule: 'DATE_NOT_PAST', field: 'nextActionDate', message: `The next action date ${status.nextActionDate} is in the past; give today (${options.today}) or later.` });
  return violations;
}

/** Throws RULE_VIOLATION listing `violations` when there are any. */
export function assertNoViolations(violations: RuleViolation[], subject = 'This status change'): void {
  if (violations.length === 0) return;
  throw new AppError('RULE_VIOLATION', `${subject} breaks ${violations.length === 1 ? 'a playbook rule' : `${violations.length} playbook rules`}: ${violations.map((v) => v.message).join(' ')}`, { violations });
}
