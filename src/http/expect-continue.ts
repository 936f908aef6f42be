/**
 * `Expect: 100-continue` (curl sends it for bodies over 1 MiB): the client sends its headers and waits
 * for `100 Continue` before the body. Node answers 100 at once by default, so a body over the route's
 * limit was refused only once it had started to arrive, and the client, still sending, often saw
 * "broken pipe" instead of the 413. Here the server's `checkContinue` event hands the request to
 * Fastify without the 100; once the route is known and its hooks up to the body have passed
 * (authentication, role, media type), a `Content-Length` over the route's body limit is answered with
 * the route's usual 413 (same code, message and details; `Connection: close`) and no 100; so are path
 * parameters and a query string the route's schema refuses, with the usual 400 VALIDATION_FAILED (a
 * misspelt `?dryrun` on the import: the file is refused whatever it holds, so the client need not send
 * it), after the input guard's control-character check of the path and query (input.ts), which comes
 * first without `Expect` too, so `?dryRun=%01` is told about its control character either way). Any other request gets its 100 and goes on as usual. A request refused before that point (401,
 * 403, 404, 415) is answered without a 100 too, which Node answers with `Connection: close`.
 * (Without `Expect`, Fastify checks the path, then the body, then the query string: a request wrong in
 * both its body and its query string is told about the body then, and about the query string here.)
 *
 * Only the server Fastify creates (`app.server`) is covered, as for its `clientError` handler: when a
 * host name resolves to several addresses (`HOST=localhost`), the servers Fastify adds for the other
 * addresses keep Node's default (an immediate 100).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routePayloadTooLarge } from './errors.js';
import { controlCharactersRefused } from './input.js';

/** Requests whose client waits for a 100 Continue that has not been sent yet. */
const awaitingContinue = new WeakMap<IncomingMessage, ServerResponse>();

/** Methods whose body Fastify never reads (so never refuses for its size). */
const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

/** The parts of a request checked before its body is asked for, in the order Fastify checks them. */
const BEFORE_BODY = [['params', 'params'], ['querystring', 'query']] as const;

/**
 * The validation error Fastify would raise for `request`'s path parameters or query string, checked
 * with the route's own compiled validators (src/http/validation.ts), or undefined when both pass (or
 * the route has no schema for them). Shaped as Fastify's, so the error handler answers it as usual.
 */
function partRefused(request: FastifyRequest): Error | undefined {
  for (const [part, property] of BEFORE_BODY) {
    const validate = request.getValidationFunction(part) as ((data: unknown) => unknown) | undefined;
    if (typeof validate !== 'function') continue;
    const result = validate(request[property] ?? null) as { error?: unknown } | boolean | undefined;
    const issues = typeof result === 'object' && result !== null ? result.error : undefined;
    if (issues === undefined) continue;
    return Object.assign(new Error('The request is not valid.'), { statusCode: 400, code: 'FST_ERR_VALIDATION', validation: issues, validationContext: part });
  }
  return undefined;
}

/** The request's `Content-Length` as a number, or undefined when it has none (or an unreadable one). */
function contentLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

/**
 * Installs the `checkContinue` handling on `app` (call it before the routes are registered, after the
 * other `preParsing` hooks, so that the 100 is the last thing said before the body is read).
 */
export function installExpectContinue(app: FastifyInstance): void {
  // Fastify has one listener for 'request' (its handler); emitting the event runs it as for any request.
  app.server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    awaitingContinue.set(request, response);
    app.server.emit('request', request, response);
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    const response = awaitingContinue.get(request.raw);
    if (response === undefined) return payload;
    awaitingContinue.delete(request.raw);
    const length = contentLength(request.raw);
    const limit = request.routeOptions.bodyLimit;
    // The error handler answers it, with `Connection: close` as the body was not read.
    if (!BODYLESS.has(request.method) && length !== undefined && typeof limit === 'number' && length > limit) throw routePayloadTooLarge(request);
    // As the input guard would, before the schemas (input.ts runs it in preValidation, after the body).
    const refused = controlCharactersRefused(request, { body: false }) ?? partRefused(request);
    if (refused) throw refused;
    response.writeContinue();
    return payload;
  });
}
