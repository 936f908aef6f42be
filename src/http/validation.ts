/**
 * How a request that fails its schema is answered: the one place zod's issues become the words of a
 * 400 VALIDATION_FAILED. Every route's body, query and path parameters are parsed by
 * {@link validatorCompiler} (set on the app in build-app.ts), so each refusal reads the same way on
 * every endpoint:
 * - `details` lists `{where, path, message}`: `path` a JSON pointer (`/items/0/note`), `message` what is
 *   wrong with the field, without its name ("is 400 characters long; at most 200 are allowed: shorten
 *   it by 200"), as the web pages show it under the field;
 * - the error's `message` is those as sentences naming each field ("owner is 400 characters long; ...").
 * A message a schema states itself (`.min(8, 'must be at least 8 characters')`, a refine) is kept as
 * written; only zod's own wording ("Too big: expected string to have <=200 characters") is replaced.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { tooLongProblem } from '../tracker/limits.js';
import { joinWords } from '../lib/index.js';

export type Where = 'body' | 'querystring' | 'params';

/** One field that failed: the shape of every VALIDATION_FAILED `details` entry. */
export interface FieldProblem {
  where: Where;
  /** JSON pointer of the field, e.g. `/items/0/note`; `/` for the whole value. */
  path: string;
  /** What is wrong, without the field's name: `is required`, `must be text, not a number`. */
  message: string;
}

/** The facts an unknown field's `details` entry adds to its {@link FieldProblem}. */
export interface UnknownFieldFacts {
  reason: 'UNKNOWN_FIELD';
  /** The field as sent (`ownr`); absent on the entry that counts the fields past the first {@link MAX_UNKNOWN_FIELDS}. */
  field?: string;
  /** The known field it probably meant (`owner`), or null when none is close. */
  suggestion?: string | null;
  /** How many more unknown fields the object holds (the counting entry only). */
  count?: number;
}

/** At most this many fields are told in the error's message (`details` lists them all). */
const MAX_SENTENCES = 5;

/** At most this many unknown fields of one object get an entry of their own; one more entry counts the rest. */
export const MAX_UNKNOWN_FIELDS = 20;

/** Marks the entries this module's validator returns, so the error handler can tell them apart. */
const FIELD_ISSUE = Symbol.for('unblock.fieldIssue');

/** An entry of a Fastify validation error raised by {@link validatorCompiler}. */
export interface FieldIssue {
  [FIELD_ISSUE]: true;
  instancePath: string;
  message: string;
  keyword: string;
  /** Facts the `details` entry carries besides where, path and message (an unknown field's). */
  params: Partial<UnknownFieldFacts>;
}

/** True when every entry of `validation` came from {@link validatorCompiler}. Never throws. */
export function isFieldIssueList(validation: unknown): validation is FieldIssue[] {
  return Array.isArray(validation) && validation.length > 0 && validation.every((v) => typeof v === 'object' && v !== null && (v as Partial<FieldIssue>)[FIELD_ISSUE] === true);
}

/** `path` plus one key, escaped as a JSON pointer segment (`~` as `~0`, `/` as `~1`). */
export function pointer(path: string, key: PropertyKey): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function toPointer(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => pointer(out, key), '') || '/';
}

/** The segments of a JSON pointer, unescaped; `/` and `` are the whole value (no segments). */
function segments(path: string): string[] {
  return path === '' || path === '/' ? [] : path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * How a sentence names the field at `path` of `where`: `owner`, `items[2].note`, `query parameter
 * pageSize`, `path parameter id`; the whole value is `the request body`, `the query string` or `the
 * path`. Never throws.
 */
export function fieldLabel(where: Where, path: string): string {
  const parts = segments(path);
  if (parts.length === 0) return where === 'body' ? 'the request body' : where === 'querystring' ? 'the query string' : 'the path';
  let name = '';
  for (const part of parts) {
    if (/^\d+$/.test(part) && name !== '') name += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) name += name === '' ? part : `.${part}`;
    else name += name === '' ? JSON.stringify(part) : `[${JSON.stringify(part)}]`;
  }
  return where === 'body' ? name : `${where === 'querystring' ? 'query parameter' : 'path parameter'} ${name}`;
}

/**
 * True for the entry of a field or parameter without a name (`?=x`, `{"": 1}`): its pointer is `/`,
 * as the whole value's is, so the entry's `field` (`""`) tells it apart.
 */
function isNameless(problem: FieldProblem): boolean {
  return segments(problem.path).length === 0 && (problem as Partial<UnknownFieldFacts>).field === '';
}

/** How a sentence names a field without a name at the top of `where`. */
function namelessLabel(where: Where): string {
  return where === 'querystring' ? 'a query parameter without a name' : where === 'params' ? 'a path parameter without a name' : 'a field without a name';
}

/** A message that goes on from the field's name ("is ...", "must ..."); others follow a colon. */
const PREDICATE = /^(is|are|was|must|may|has|have|holds|contains|needs|cannot|can't|should|does|lists)\b/;

/** One sentence for one problem: its field's name, then what is wrong, ending in a full stop. Never throws. */
export function problemSentence(problem: FieldProblem): string {
  const label = isNameless(problem) ? namelessLabel(problem.where) : fieldLabel(problem.where, problem.path);
  const text = problem.message.trim().replace(/[.;:,\s]+$/, '');
  const sentence = PREDICATE.test(text) ? `${label} ${text}` : `${label}: ${text}`;
  // A body field keeps its name as written (`owner`, `items[2].note`); the other labels are words.
  const named = problem.where === 'body' && segments(problem.path).length > 0 && !isNameless(problem);
  // A question ("did you mean owner?") ends the sentence itself.
  return `${named ? sentence : sentence.charAt(0).toUpperCase() + sentence.slice(1)}${/[?!]$/.test(sentence) ? '' : '.'}`;
}

/** How many fields a problem is about: one, or the `count` of an entry that counts unknown fields ({@link unknownFieldProblems}). */
function fieldsCounted(problem: FieldProblem): number {
  const count = (problem as Partial<UnknownFieldFacts>).count;
  return typeof count === 'number' && count > 0 ? count : 1;
}

/** The message of a VALIDATION_FAILED answer for `problems`: one sentence each, the first few of many. Never throws. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  if (problems.length === 0) return 'The request is not valid.';
  const told = problems.slice(0, MAX_SENTENCES).map(problemSentence).join(' ');
  // The entry that counts the unknown fields past the first few stands for `count` fields, not one.
  const more = problems.slice(MAX_SENTENCES).reduce((sum, problem) => sum + fieldsCounted(problem), 0);
  return more > 0 ? `${told} And ${more} more field${more === 1 ? '' : 's'}: see details.` : told;
}

/** How a JSON value is named after "not": `the number 5`, `text`, `null`, `a list`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return 'text';
    case 'number': return Number.isFinite(value) ? `the number ${value}` : Number.isNaN(value) ? 'something else' : value > 0 ? 'a number too large' : 'a negative number too large';
    case 'boolean': return value ? 'true' : 'false';
    case 'object': return 'an object';
    default: return 'something else';
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list (a JSON array)',
  null: 'null',
  date: 'a date',
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function listValues(values: readonly unknown[]): string {
  return joinWords(values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), 'or');
}

/** The value at `path` in `data`, or undefined. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

type RawIssue = z.core.$ZodRawIssue;

/**
 * How a number out of range is named after its bound: `, not 0` as sent (text read as a number keeps
 * its writing), or `; it is empty` for empty text, never a sentence ending in "not.". Never throws.
 */
function notValue(raw: unknown, input: unknown): string {
  if (typeof raw === 'string') return raw.trim() === '' ? '; it is empty' : `, not ${raw}`;
  return `, not ${String(input)}`;
}

/**
 * What is wrong with a field, in words a user can act on, for zod's own issues (`raw` is the request
 * value as sent, before trimming or coercion). Undefined leaves zod's message. Never throws.
 */
export function describeIssue(issue: RawIssue, raw: unknown, where?: Where): string | undefined {
  const input: unknown = issue.input;
  // A query parameter written twice (`page=1&page=2`) reaches the schema as a list of its values.
  if (where === 'querystring' && Array.isArray(raw)) return 'is given more than once; give it once';
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return 'is required';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      // Text read as a number (a query parameter): named as written, `not 1.5`, `not "abc"`.
      if (typeof raw === 'string' && typeof input === 'number') {
        if (raw.trim() === '') return `must be ${expected}; it is empty`;
        if (Number.isNaN(input)) return `must be ${expected}, not ${JSON.stringify(raw)}`;
        return `must be ${expected}, not ${raw}${Number.isFinite(input) ? '' : ` (${kindOf(input)})`}`;
      }
      return `must be ${expected}, not ${kindOf(input)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string' && typeof input === 'string') return `${tooLongProblem(input.length, max)}: shorten it by ${input.length - max}`;
      if (issue.origin === 'array' && Array.isArray(input)) return `has ${plural(input.length, 'entry', 'entries')}; at most ${max} are allowed in one request`;
      if (issue.origin === 'number' || issue.origin === 'bigint') return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${notValue(raw, input)}`;
      return undefined;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && typeof input === 'string') {
        if (input === '') return typeof raw === 'string' && raw !== '' ? 'must not be only spaces' : 'must not be empty';
        return `is ${plural(input.length, 'character', 'characters')} long; at least ${min} are needed`;
      }
      if (issue.origin === 'array' && Array.isArray(input)) return `must have at least ${plural(min, 'entry', 'entries')}`;
      if (issue.origin === 'number' || issue.origin === 'bigint') return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}${notValue(raw, input)}`;
      return undefined;
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'must be an email address, such as name@example.com';
      return issue.format === 'regex' ? 'is not written in the expected form' : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0]) ?? String(issue.values[0])}` : `must be one of ${listValues(issue.values)}`;
    case 'unrecognized_keys':
      // The validator gives each unknown field an entry of its own ({@link unknownFieldProblems}); this is for other callers.
      return `holds ${issue.keys.length === 1 ? 'a field' : 'fields'} this request does not take: ${issue.keys.join(', ')}; leave ${issue.keys.length === 1 ? 'it' : 'them'} out`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'is not in any of the accepted forms';
    case 'invalid_key':
      return 'holds a field name that is not accepted';
    case 'invalid_element':
      return 'holds an entry that is not accepted';
    case 'custom':
      return 'is not valid';
    default:
      return undefined;
  }
}

/** A field name compared loosely: lower case, without `_`, `-` and spaces (`tenant_id`, `TenantID` and `tenantId` alike). */
function looseName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The edit distance of `a` and `b` (insertions, deletions, substitutions and swaps of neighbours), or Infinity past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return Infinity;
    [before, previous] = [previous, current];
  }
  return previous[b.length]! <= max ? previous[b.length]! : Infinity;
}

/**
 * The known field that `key` most likely misspells, or undefined when none is close or two are as
 * close: the same name in another case or spelling (`tenant_id`, `Owner`), else one a typing slip or
 * two away (`ownr`, `workload`), else the one field whose name starts with it (`expiresIn`). Never throws.
 */
export function closestField(key: string, known: readonly string[]): string | undefined {
  const loose = looseName(key);
  if (loose === '' || loose.length > 200) return undefined;
  const same = known.find((name) => looseName(name) === loose);
  if (same !== undefined) return same;
  let best: string[] = [];
  let bestDistance = Infinity;
  for (const name of known) {
    const target = looseName(name);
    // Short names allow one slip (`l1` is not `l4`'s), longer ones two, long ones three.
    const allowed = target.length <= 3 ? 1 : target.length <= 8 ? 2 : 3;
    const distance = editDistance(loose, target, Math.min(allowed, loose.length - 1));
    if (distance < bestDistance) [best, bestDistance] = [[name], distance];
    else if (distance === bestDistance && distance !== Infinity) best.push(name);
  }
  if (best.length === 1) return best[0];
  if (best.length > 1) return undefined;
  const prefixed = loose.length >= 4 ? known.filter((name) => looseName(name).startsWith(loose)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * The `details` entries for the unknown fields `keys` of the object at `path` whose known fields are
 * `known` (empty when unknown): one per field, up to {@link MAX_UNKNOWN_FIELDS}, each naming the
 * field it probably meant or else the known ones; then one entry at the object counting the rest.
 * Never throws.
 */
export function unknownFieldProblems(where: Where, path: readonly PropertyKey[], keys: readonly string[], known: readonly string[]): (FieldProblem & UnknownFieldFacts)[] {
  const problems: (FieldProblem & UnknownFieldFacts)[] = keys.slice(0, MAX_UNKNOWN_FIELDS).map((field) => {
    const suggestion = closestField(field, known) ?? null;
    const hint = suggestion !== null ? `did you mean ${suggestion}?` : known.length > 0 ? `the known fields are ${joinWords(known)}` : 'leave it out';
    return { where, path: toPointer([...path, field]), message: `is an unknown field; ${hint}`, reason: 'UNKNOWN_FIELD', field, suggestion };
  });
  const more = keys.length - MAX_UNKNOWN_FIELDS;
  if (more > 0) problems.push({ where, path: toPointer(path), message: `holds ${more} more unknown field${more === 1 ? '' : 's'}; leave ${more === 1 ? 'it' : 'them'} out`, reason: 'UNKNOWN_FIELD', count: more });
  return problems;
}

/** The field names of a zod object schema (in the order it declares them); empty for anything else. */
function objectFields(schema: unknown): string[] {
  const def = (schema as { _zod?: { def?: { type?: unknown; shape?: unknown } } } | undefined)?._zod?.def;
  return def?.type === 'object' && typeof def.shape === 'object' && def.shape !== null ? Object.keys(def.shape) : [];
}

/**
 * A query string without its blank parameters: `?owner=&l1=` is the same request as no `owner` and no
 * `l1`, for every parameter of every route but those that keep them ({@link ValidatorOptions}) (a blank
 * filter filters nothing, a blank number takes its default). Other values, repeated ones included, are
 * kept as sent. Never throws.
 */
export function withoutBlankParameters(query: unknown): unknown {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return query;
  const entries = Object.entries(query as Record<string, unknown>);
  if (!entries.some(([, value]) => value === '')) return query;
  return Object.fromEntries(entries.filter(([, value]) => value !== ''));
}

/** Options of {@link validatorFor}, for a route whose parameters need other handling than the usual. */
export interface ValidatorOptions {
  /**
   * Keep the query string's blank parameters (`?dryRun`, `?dryRun=`, `?dryrun`) for the schema to
   * judge, instead of dropping them ({@link withoutBlankParameters}): for a route whose parameters
   * decide what it does, where a flag written without a value must not pass for one left out (the
   * CSV import's `dryRun`). The schema then receives `""` for each (its strict object names a blank
   * unknown one too).
   */
  keepBlankParameters?: boolean;
}

/** How many characters of a nameless parameter's value its message quotes. */
const QUOTED_VALUE = 40;

/** True for a query parameter's name that is no name: empty, or only spaces (`?=x`, `?%20=x`, `?+=x`). */
function isBlankName(name: string): boolean {
  return name.trim() === '';
}

/**
 * The `details` entry of the query string's parameters without a name (`?=x`, key `""`, and names of
 * only spaces, `?%20=x`, which no route's parameter has either), or undefined when it has none (or only
 * blank ones, dropped as any blank parameter is, by {@link withoutNameless}, on every route, those that
 * keep blank parameters too). Such a parameter can mean nothing on any route, so every route with query
 * parameters refuses it, naming it as what it is rather than as "the query string" (its pointer, `/`,
 * is also the whole query string's). Never throws.
 */
function namelessParameter(query: unknown): FieldIssue | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  const given = Object.entries(query as Record<string, unknown>).filter(([name]) => isBlankName(name)).flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
  const values = given.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (values.length === 0) return undefined;
  const quoted = values.map((v) => JSON.stringify(v.length > QUOTED_VALUE ? `${v.slice(0, QUOTED_VALUE)}…` : v));
  const told = ` (its value${quoted.length === 1 ? ' is' : 's are'} ${joinWords(quoted)})`;
  return {
    [FIELD_ISSUE]: true,
    instancePath: '/',
    message: `is not accepted${told}; write name=value, or leave it out`,
    keyword: 'unrecognized_keys',
    params: { reason: 'UNKNOWN_FIELD', field: '', suggestion: null },
  };
}

/** `query` without its parameters whose name is blank (told by {@link namelessParameter} instead, or dropped when blank too). */
function withoutNameless(query: unknown): unknown {
  if (query === null || typeof query !== 'object' || !Object.keys(query).some(isBlankName)) return query;
  return Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([name]) => !isBlankName(name)));
}

/**
 * Fastify's validator for the routes' zod schemas, in place of fastify-type-provider-zod's: the same
 * parse, with the issues worded by {@link describeIssue} and their paths written as JSON pointers. A
 * query string is parsed without its blank parameters ({@link withoutBlankParameters}) unless the
 * route's `options` keep them, and a parameter without a name is refused ({@link namelessParameter}).
 * Set on the app as {@link validatorCompiler}; a route with other needs sets its own
 * (`validatorCompiler: validatorFor({ keepBlankParameters: true })`).
 */
export function validatorFor(options: ValidatorOptions = {}): FastifySchemaCompiler<z.ZodType> {
  return ({ schema, httpPart }) => (data) => {
    const where = httpPart === 'querystring' || httpPart === 'params' ? httpPart : httpPart === 'body' ? 'body' : undefined;
    const query = where === 'querystring' && options.keepBlankParameters !== true ? withoutBlankParameters(data) : data;
    const nameless = where === 'querystring' ? namelessParameter(query) : undefined;
    const input = where === 'querystring' ? withoutNameless(query) : query;
    // The known fields of each strict object that met unknown ones, by the issue's list of them (the
    // finished issue keeps that list but no longer the schema that raised it).
    const knownFields = new WeakMap<readonly string[], string[]>();
    const result = z.safeParse(schema, input, {
      error: (issue) => {
        if (issue.code === 'unrecognized_keys') knownFields.set(issue.keys, objectFields(issue.inst));
        return describeIssue(issue, valueAt(input, issue.path ?? []), where);
      },
    });
    if (result.success && !nameless) return { value: result.data };
    const issues = result.success ? [] : result.error.issues;
    const error: FieldIssue[] = issues.flatMap((issue): FieldIssue[] => {
      if (issue.code === 'unrecognized_keys') {
        return unknownFieldProblems(where ?? 'body', issue.path, issue.keys, knownFields.get(issue.keys) ?? []).map(({ where: _where, path, message, ...facts }) => ({
          [FIELD_ISSUE]: true,
          instancePath: path,
          message,
          keyword: issue.code,
          params: facts,
        }));
      }
      return [{ [FIELD_ISSUE]: true, instancePath: toPointer(issue.path), message: issue.message, keyword: issue.code, params: {} }];
    });
    if (nameless) error.push(nameless);
    // Fastify's types want Ajv-shaped errors; these carry the same instancePath and message.
    return { error: error as unknown as Error };
  };
}

/** The app's validator ({@link validatorFor} with the usual options): blank query parameters are dropped. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = validatorFor();
