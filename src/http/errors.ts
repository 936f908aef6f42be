/** The one error renderer: every failure becomes `{"error": {"code", "message", "details"}}` with a stable code. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_CATALOGUE, isAppError, type ErrorCode } from '../lib/index.js';
import { formatSize } from './csv.js';
import { describeProblems, isFieldIssueList, type FieldIssue, type FieldProblem, type Where } from './validation.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_ARGUMENTS',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

const BY_STATUS: Record<number, ErrorCode> = { 400: 'BAD_ARGUMENTS', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

/** The body limit of a request's route and the setting that sets it, for the words of a 413. */
export interface BodyLimit {
  bytes: number;
  /** The environment variable that sets it: BODY_LIMIT_BYTES, or IMPORT_LIMIT_BYTES for the import. */
  setting: string;
}

/** The body limit that refused `request`: its route's, named by the route's `bodyLimitSetting` config (default BODY_LIMIT_BYTES). */
export function bodyLimitOf(request: FastifyRequest): BodyLimit | undefined {
  const bytes = request.routeOptions?.bodyLimit;
  if (typeof bytes !== 'number') return undefined;
  return { bytes, setting: request.routeOptions.config?.bodyLimitSetting ?? 'BODY_LIMIT_BYTES' };
}

/** The 413 of a body over `limit` (the route's, named with its setting), as Fastify's refusal of a JSON body is answered. */
export function payloadTooLarge(limit?: BodyLimit): AppError {
  return limit
    ? new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${formatSize(limit.bytes)}, the limit (${limit.setting}).`, { limitBytes: limit.bytes })
    : new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than the server takes.');
}

/**
 * The 413 that `request`'s route answers to a body over its limit: the route's own
 * (`config.bodyTooLarge`, the CSV import's), else {@link payloadTooLarge}. Never throws.
 */
export function routePayloadTooLarge(request: FastifyRequest): AppError {
  const limit = bodyLimitOf(request);
  const own = request.routeOptions?.config?.bodyTooLarge;
  return own && limit ? own(limit.bytes) : payloadTooLarge(limit);
}

/**
 * Maps any thrown value to an AppError; unknown failures become INTERNAL with a generic message.
 * `limit` (the route's body limit) is named in the 413 of a body over it.
 */
export function toAppError(error: unknown, limit?: BodyLimit): AppError {
  if (isAppError(error)) return error;
  const fe = error as Partial<FastifyError> & { type?: string };
  if (hasZodFastifySchemaValidationErrors(error) || isFieldIssueList(fe.validation)) {
    const validation = (fe.validation ?? []) as { instancePath?: string; message?: string }[];
    const where = (fe.validationContext ?? 'body') as Where;
    // Our validator's entries may carry facts of their own (an unknown field's `reason`, `field`, `suggestion`; never where, path or message).
    const facts = (v: object) => (isFieldIssueList(fe.validation) ? (v as FieldIssue).params : {});
    const details: FieldProblem[] = validation.map((v) => ({ where, path: v.instancePath || '/', message: v.message ?? 'is not valid', ...facts(v) }));
    return new AppError('VALIDATION_FAILED', describeProblems(details), details);
  }
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const code = FASTIFY_CODES[fe.code]!;
    // The JSON parser of input.ts says where a body goes wrong; these are for a parser that does not (never Fastify's words).
    const json = fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The body is empty; this request takes a JSON body.' : 'The body is not valid JSON.';
    if (code === 'PAYLOAD_TOO_LARGE') return payloadTooLarge(limit);
    return new AppError(code, code === 'INVALID_JSON' ? json : (fe.message ?? code));
  }
  if (fe.validation) return new AppError('VALIDATION_FAILED', fe.message ?? 'Invalid request.', fe.validation);
  if (error instanceof SyntaxError && fe.statusCode === 400) return new AppError('INVALID_JSON', 'The body is not valid JSON.');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(BY_STATUS[fe.statusCode] ?? 'BAD_ARGUMENTS', fe.message ?? 'Bad request.');
  }
  return new AppError('INTERNAL', 'Something went wrong on the server; it has been logged.');
}

/** Sends an AppError as JSON with its catalogue status; `details` is always there (null when the error has none). */
export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .status(ERROR_CATALOGUE[error.code])
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message, details: error.details ?? null } });
}

/**
 * Logger settings for a server at LOG_LEVEL `level`: JSON lines on `stream` (default stderr). At
 * `info` and above the per-request lines are left out, so a quiet server still logs every 5xx with
 * its stack; `debug` and `trace` add a line per request; `silent` logs nothing.
 */
export function serverLogging(level: string, stream: { write(line: string): void } = process.stderr): { logger: { level: string; stream: { write(line: string): void } }; disableRequestLogging: boolean } {
  return { logger: { level, stream }, disableRequestLogging: level !== 'debug' && level !== 'trace' };
}

/** Levels at which Fastify's own "Server listening at ..." line (info) would be written. */
const LISTENING_LINE_LEVELS = new Set(['info', 'debug', 'trace']);

/**
 * `app.listen(options)` without Fastify's "Server listening at ..." JSON line: `unblock serve` says where
 * the server is in its start-up lines, for people, and the JSON log (for machines) keeps to requests and
 * errors. Fastify has no switch for that line, so the log is kept at `warn` for the moment the server
 * takes to start listening (before any request is served) and set back after.
 */
export async function listenQuietly(app: FastifyInstance, options: { port: number; host: string }): Promise<string> {
  const level = app.log.level;
  const quieten = LISTENING_LINE_LEVELS.has(level);
  if (quieten) app.log.level = 'warn';
  try {
    return await app.listen(options);
  } finally {
    if (quieten) app.log.level = level;
  }
}

/**
 * The 415 of a body whose media type no parser of the route reads (Fastify's own words were only
 * "Unsupported Media Type"): what to send, by the route's `config.bodyMediaType` (the CSV import's
 * text/csv) or its body schema (JSON), and the type it got in `details.contentType`, as the JSON
 * routes' refusal in input.ts says it. Never throws.
 */
export function unsupportedMediaType(request: FastifyRequest): AppError {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const not = type === '' ? '' : ` (not ${type})`;
  const wanted = request.routeOptions?.config?.bodyMediaType;
  const message = wanted === 'text/csv'
    ? `Send the file as the request body with \`Content-Type: text/csv\`${not}.`
    : request.routeOptions?.schema?.body
      ? `Send the body as JSON with \`Content-Type: application/json\`${not}.`
      : `This request takes no body: send none, or an empty one${not}.`;
  return new AppError('UNSUPPORTED_MEDIA_TYPE', message, { contentType: type || null });
}

/** Installs the error handler; every 5xx is logged with its stack (never sent to the client). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = (error as Partial<FastifyError> | null)?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? unsupportedMediaType(request) : toAppError(error, bodyLimitOf(request));
    if (ERROR_CATALOGUE[appError.code] >= 500 || isResponseSerializationError(error)) request.log.error({ err: error }, 'request failed');
    // Refused before its body was read to the end (a file over the limit, say): a browser that is
    // still uploading reads no answer until its upload ends, and the upload waits on a server that
    // stopped reading. Read and drop the rest, and close the connection after this answer.
    if (!request.raw.complete && !request.raw.destroyed) {
      reply.header('connection', 'close');
      request.raw.resume();
    }
    return sendError(reply, appError);
  });
}
