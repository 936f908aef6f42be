/** Input guards for every route: JSON bodies come as JSON, and no text holds control characters. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, describeJsonSyntax } from '../lib/index.js';
import { describeProblems, pointer, type FieldProblem, type Where } from './validation.js';
import { describeUnstorable, hasUnstorableText } from './unstorable-text.js';
import { unsupportedMediaType } from './errors.js';

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
    // A route that reads another type (the CSV import) is told so, not that its file is bad JSON.
    if (request.routeOptions.config?.bodyMediaType !== undefined) {
      done(unsupportedMediaType(request), undefined);
      return;
    }
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
 * The 400 VALIDATION_FAILED for the control characters (other than tab, line feed, carriage return) in
 * `request`'s path parameters, query string and, with `parts.body`, body, naming each field; undefined
 * when there are none. The input guard's check (below), shared with expect-continue.ts, which runs it
 * on the path and query before a body is sent, so that a request with `Expect: 100-continue` is told
 * what the same request without it is told. Never throws.
 */
export function controlCharactersRefused(request: FastifyRequest, parts: { body: boolean }): AppError | undefined {
  const problems = [
    ...findControlCharacters(request.params, 'params'),
    ...findControlCharacters(request.query, 'querystring'),
    ...(parts.body ? findControlCharacters(request.body, 'body') : []),
  ].slice(0, MAX_PROBLEMS);
  return problems.length === 0 ? undefined : new AppError('VALIDATION_FAILED', describeProblems(problems), problems);
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
    const refused = controlCharactersRefused(request, { body: true });
    if (refused) throw refused;
  });
}
