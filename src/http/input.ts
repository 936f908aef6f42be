/** Input guards for every route: JSON bodies come as JSON, and no text holds control characters. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/index.js';
import { describeProblems, pointer, type FieldProblem, type Where } from './validation.js';
import { describeUnstorable, hasUnstorableText } from './unstorable-text.js';

/* The text checks live in unstorable-text.ts (no zod, no Fastify) for the CSV reader; re-exported for existing imports. */
export { controlCharacterProblem } from './unstorable-text.js';

/** At most this many fields are named in one answer. */
const MAX_PROBLEMS = 20;

/** One field with a control character, in the shape the schema validation errors use. */
export type ControlProblem = FieldProblem;

/** Parsed JSON and query objects (the query parser's have no Object prototype); not streams or buffers. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  return typeof (value as { pipe?: unknown }).pipe !== 'function';
}

/**
 * The strings (values and keys) in `value` that hold a control character, walked without recursion
 * (a deeply nested body cannot overflow the stack). A streamed body (the CSV import) is not walked:
 * its reader checks it. Never throws.
 */
export function findControlCharacters(value: unknown, where: Where): ControlProblem[] {
  const problems: ControlProblem[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (hasUnstorableText(current)) problems.push({ where, path: path || '/', message: describeUnstorable(current) });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], pointer(path, i)]);
    } else if (isRecord(current)) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (hasUnstorableText(key)) problems.push({ where, path: pointer(path, key), message: `the field name ${describeUnstorable(key)}` });
        else stack.push([child, pointer(path, key)]);
      }
    }
  }
  return problems;
}

/** Where index `at` of `text` is, for people: `character 12`, or `line 3, column 8` past a body's first line. */
function placeOf(text: string, at: number): string {
  const before = text.slice(0, at);
  if (!before.includes('\n')) return `character ${at + 1}`;
  const line = before.split('\n').length;
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

/** The token starting at `at` as a message shows it: a word or number whole, else one character. */
function tokenAt(text: string, at: number): string {
  const word = /^[\w.+-]{1,20}/.exec(text.slice(at, at + 20))?.[0];
  const shown = word ?? text.charAt(at);
  return shown === '"' ? 'a double quote' : `"${shown}"`;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const CONTAINER = { '{': 'an object', '[': 'a list' } as const;

/**
 * What is wrong with the JSON `text`, as words that go after "The body is not valid JSON: " (`it ends
 * inside an object (after character 13)`, `it has "}" at character 6 where a value should be`), or
 * null when it is valid JSON. Fastify's parser says only that a body is not JSON; this says where, so
 * that a hand-written `curl -d` can be fixed. Walks the text once, without recursion (a deeply nested
 * body cannot overflow the stack). Never throws. Written here rather than taken from a library: JSON.parse
 * gives V8's wording, which changes between Node versions, and jsonc-parser, which reports an error code
 * and offset, recurses once per nesting level, so a 1 MB body of `[` would overflow the stack in it.
 */
export function describeJsonSyntax(text: string): string | null {
  const open: ('{' | '[')[] = [];
  // What may come next: a value, an object's field name (or its end), the colon, or a comma / the end of a container.
  // `key` and `next-value` follow a comma (where a closing bracket means a comma too many).
  let expect: 'value' | 'first-value' | 'next-value' | 'key' | 'first-key' | 'colon' | 'after' = 'value';
  let i = 0;
  const ends = (inside: string) => `it ends inside ${inside} (after ${placeOf(text, text.trimEnd().length - 1)})`;
  const found = (what: string) => `it has ${tokenAt(text, i)} at ${placeOf(text, i)} where ${what} should be`;
  while (true) {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
    if (i >= text.length) {
      if (open.length === 0 && expect === 'after') return null;
      return open.length === 0 ? 'it holds no value' : ends(CONTAINER[open[open.length - 1]!]);
    }
    const c = text.charAt(i);
    if (expect === 'after') {
      const top = open[open.length - 1];
      if (top === undefined) return `it goes on after the JSON value, at ${placeOf(text, i)}`;
      const close = top === '{' ? '}' : ']';
      if (c === close) {
        open.pop();
        i++;
      } else if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'next-value';
      } else return found(`a comma or "${close}"`);
      continue;
    }
    if (expect === 'colon') {
      if (c !== ':') return found('a colon');
      i++;
      expect = 'value';
      continue;
    }
    if ((c === '}' && expect === 'key') || (c === ']' && expect === 'next-value')) {
      return `it has a comma before "${c}" at ${placeOf(text, i)}: leave the comma out`;
    }
    if ((expect === 'first-key' && c === '}') || (expect === 'first-value' && c === ']')) {
      open.pop();
      i++;
      expect = 'after';
      continue;
    }
    if (expect === 'key' || expect === 'first-key') {
      if (c !== '"') return `${found('a field name in double quotes')}${c === "'" ? ' (JSON writes text in double quotes)' : ''}`;
    } else if (c === '{' || c === '[') {
      open.push(c);
      i++;
      expect = c === '{' ? 'first-key' : 'first-value';
      continue;
    }
    const isKey: boolean = expect === 'key' || expect === 'first-key';
    if (c === '"') {
      i++;
      while (i < text.length && text.charAt(i) !== '"') {
        const ch = text.charAt(i);
        if (ch < ' ') return `it has a line break or other control character inside a text value at ${placeOf(text, i)}: write it escaped, such as \\n`;
        if (ch === '\\') {
          const escaped = text.charAt(i + 1);
          if (escaped === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : escaped !== '' && !JSON_ESCAPES.has(escaped)) {
            return `it has the unknown escape "${text.slice(i, escaped === 'u' ? i + 6 : i + 2)}" at ${placeOf(text, i)}`;
          }
          i += escaped === 'u' ? 6 : 2;
        } else i++;
      }
      if (i >= text.length) return ends('a text value');
      i++;
      expect = isKey ? 'colon' : 'after';
      continue;
    }
    const word = /^[\w.+-]+/.exec(text.slice(i, i + 400))?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      i += word.length;
      expect = 'after';
      continue;
    }
    if (word !== undefined && /^-?\d/.test(word)) {
      if (!JSON_NUMBER.test(word)) return `it has ${tokenAt(text, i)} at ${placeOf(text, i)}, which is not a number as JSON writes them`;
      i += word.length;
      expect = 'after';
      continue;
    }
    return found('a value');
  }
}

/** The message of a 400 INVALID_JSON for the body `text` that the JSON parser refused. Never throws. */
export function invalidJsonMessage(text: string): string {
  if (text.trim() === '') return 'The body is empty; this request takes a JSON body.';
  const problem = describeJsonSyntax(text);
  // Valid JSON that the parser still refused: a "__proto__" key, or "constructor" holding "prototype" (they could change every object of the server).
  return `The body is not valid JSON: ${problem ?? 'it holds a "__proto__" field, or a "constructor" field with a "prototype" inside, which are refused'}.`;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Replaces Fastify's JSON body parser with one that lets an empty body (nothing, or only whitespace)
 * through as no body on routes that take none (DELETE, POST /api/auth/logout, ...): many clients send
 * `Content-Type: application/json` on every request. Routes with a body schema still answer an empty
 * body 400 INVALID_JSON, and every other body is parsed as before (prototype poisoning refused).
 */
function acceptEmptyJsonWithoutBodySchema(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (!request.routeOptions.schema?.body && text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      // Fastify's error says only that the body is not JSON, in its own words; ours says where.
      if (error) done(new AppError('INVALID_JSON', invalidJsonMessage(text)), undefined);
      else done(null, value);
    });
  });
}

/**
 * Adds two hooks to every route registered after it, and the JSON parser above:
 * - routes with a JSON body schema answer 415 UNSUPPORTED_MEDIA_TYPE to a body sent as anything but
 *   `application/json` (before parsing: Fastify would read `text/plain` as a string);
 * - a control character (other than tab, line feed, carriage return) in any string of the body, the
 *   query or the path parameters answers 400 VALIDATION_FAILED, `details` naming each field;
 * - an empty body sent as JSON is no body on routes that take none.
 */
export function installInputGuards(app: FastifyInstance): void {
  acceptEmptyJsonWithoutBodySchema(app);
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.routeOptions.schema?.body || !hasBody(request)) return payload;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the body as JSON with \`Content-Type: application/json\`${type === '' ? '' : ` (not ${type})`}.`, { contentType: type || null });
    }
    return payload;
  });
  app.addHook('preValidation', async (request) => {
    const problems = [...findControlCharacters(request.params, 'params'), ...findControlCharacters(request.query, 'querystring'), ...findControlCharacters(request.body, 'body')].slice(0, MAX_PROBLEMS);
    if (problems.length === 0) return;
    throw new AppError('VALIDATION_FAILED', describeProblems(problems), problems);
  });
}
