/** Authentication: bearer API tokens, or the login session cookie. Resolves `request.actor`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { AppError } from '../lib/index.js';
import { requireRole, resolveSession, resolveToken, type Actor } from '../tracker/index.js';
import type { Role } from '../db/index.js';
import type { Services } from '../app/index.js';

export const SESSION_COOKIE = 'unblock_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated actor; null only on public routes. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** True for routes that need no authentication. */
    public?: boolean;
    /**
     * The least role the route needs whatever the request says (viewer < editor < manager < admin).
     * Checked right after authentication, before the body is read or validated, so a caller who may
     * not use the route gets 403 FORBIDDEN rather than a list of problems with a body they may not
     * send. The tracker checks the same role (and anything that depends on the request) again.
     */
    minRole?: Role;
    /** What the OpenAPI document says of the route's error answers, by status, beyond the shared sentences (openapi.ts). */
    errorsSay?: Record<number, string>;
    /** The setting that sets the route's body limit, named in its 413 (errors.ts); default BODY_LIMIT_BYTES. */
    bodyLimitSetting?: string;
    /**
     * The route's own 413 for a body over its limit of `limitBytes`, when it reads the body itself (the
     * CSV import): a request announcing a larger body with `Expect: 100-continue` gets it before sending
     * the body (expect-continue.ts). Default: the 413 Fastify's JSON parser gives.
     */
    bodyTooLarge?: (limitBytes: number) => AppError;
    /** The media type of the body the route reads itself (the CSV import's `text/csv`), named in its 415 (errors.ts); default JSON. */
    bodyMediaType?: string;
    /**
     * The query parameter in which the route also reads the user the request believes it acts as, checked
     * as {@link SESSION_USER_HEADER} is: for a file a browser may fetch by its address alone ("Save link
     * as", a new tab), which carries the cookie but no header of the app (the export's `user`).
     */
    sessionUserParameter?: string;
  }
}

/** The actor of an authenticated request; throws UNAUTHENTICATED on public routes without one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as `Authorization: Bearer <token>`.');
  return request.actor;
}

/** Whether the session cookie should carry `Secure`. */
export function isSecureRequest(services: Services, request: FastifyRequest): boolean {
  const setting = services.config?.secureCookies ?? 'auto';
  return setting === 'auto' ? request.protocol === 'https' : setting;
}

/** Reads the session secret from the signed cookie; undefined when absent or tampered with. */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

/**
 * What a login session may still do while its user must change a password a manager or admin chose
 * (besides the public routes, signing out among them): read who they are, and change the password.
 */
export const OPEN_WHILE_PASSWORD_CHANGE_REQUIRED: readonly string[] = ['GET /api/me', 'PUT /api/me/password'];

/**
 * What an API token of such a user may not do: issue themselves tokens. A new credential would outlast
 * the password someone else knows; tokens issued before keep working (see docs/API.md, Passwords).
 */
export const CLOSED_TO_TOKENS_WHILE_PASSWORD_CHANGE_REQUIRED: readonly string[] = ['POST /api/tokens'];

const PASSWORD_CHANGE_REQUIRED_MESSAGE =
  'Your password was chosen by a manager or an admin, so choose your own before going on: send PUT /api/me/password with ' +
  'currentPassword (the one you were given) and newPassword. Until then only that, GET /api/me and signing out are open.';

/** The same for an API token, which is refused only a new token: the rest stays open to it. */
const PASSWORD_CHANGE_REQUIRED_TOKEN_MESSAGE =
  'Your password was chosen by a manager or an admin, so choose your own before issuing yourself a token: send PUT /api/me/password with ' +
  'currentPassword (the one you were given) and newPassword.';

/** PASSWORD_CHANGE_REQUIRED (403) for a request that `actor` may not make before changing their password. */
function checkPasswordChange(actor: Actor, route: string, viaToken: boolean): void {
  if (!actor.mustChangePassword) return;
  const refused = viaToken ? CLOSED_TO_TOKENS_WHILE_PASSWORD_CHANGE_REQUIRED.includes(route) : !OPEN_WHILE_PASSWORD_CHANGE_REQUIRED.includes(route);
  if (refused) throw new AppError('PASSWORD_CHANGE_REQUIRED', viaToken ? PASSWORD_CHANGE_REQUIRED_TOKEN_MESSAGE : PASSWORD_CHANGE_REQUIRED_MESSAGE, { changeWith: 'PUT /api/me/password' });
}

/**
 * The header in which a client names the user it believes it acts as (the web app sends it on every
 * call). The tabs of a browser share one session cookie: a request sent in the instant after another
 * tab signed in as someone else would carry that user's cookie, and act as them. Optional: requests
 * without it (curl, the CLI, API tokens) are answered as they always were.
 */
export const SESSION_USER_HEADER = 'x-unblock-user';

/**
 * Why `named` (a header's or query parameter's value, repeated or not) does not name `actor`, as the end
 * of SESSION_CHANGED's message after where it was named (`namedIn`); undefined when it names them or is
 * not given. Only an id of another user (or a credential of no user) is said to be another user's: an
 * empty, repeated or malformed value names nobody, and the message says which.
 */
function sessionUserMismatch(actor: Actor, named: string | string[] | undefined, namedIn: string): string | undefined {
  if (named === undefined) return undefined;
  const malformed = (problem: string) =>
    `This was not done: ${namedIn} ${problem}; it must be the id of the user signed in, or be left out.`;
  if (Array.isArray(named) && named.length > 1) return malformed('is given more than once');
  const value = (Array.isArray(named) ? (named[0] ?? '') : named).trim();
  if (value === '') return malformed('is empty');
  if (!/^\d+$/.test(value)) return malformed('is not a user id');
  if (actor.userId !== null && value === String(actor.userId)) return undefined;
  return (
    `This was not done: the session this request came with is now another user's than the one named in ${namedIn} ` +
    '(someone signed in as another user in another tab or window of this browser). Sign in again as yourself, then do it once more.'
  );
}

/**
 * SESSION_CHANGED (401) when the request names, in {@link SESSION_USER_HEADER} or in the query parameter
 * its route reads the same name from (`sessionUserParameter`), another user than `actor`. Either is
 * optional; both are checked when both are given, the header first. The message names the one that did
 * not match (the parameter only on a route that reads one).
 */
export function checkSessionUser(actor: Actor, request: FastifyRequest): void {
  const byHeader = sessionUserMismatch(actor, request.headers[SESSION_USER_HEADER], 'X-Unblock-User');
  if (byHeader !== undefined) throw new AppError('SESSION_CHANGED', byHeader);
  const parameter = request.routeOptions.config?.sessionUserParameter;
  if (parameter === undefined) return;
  const query = request.query as Record<string, string | string[] | undefined> | undefined;
  const byParameter = sessionUserMismatch(actor, query?.[parameter], `the address's \`${parameter}\` parameter`);
  if (byParameter !== undefined) throw new AppError('SESSION_CHANGED', byParameter);
}

/**
 * Adds the onRequest hook that authenticates every non-public /api route, refuses a request that names
 * another user than its credential's ({@link SESSION_USER_HEADER}), holds a user who must change their
 * password to that change, and holds the route to its `minRole`.
 */
export function installAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs') || request.routeOptions.config?.public) return;
    if (request.routeOptions.url === undefined) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be `Bearer <token>`.');
      const actor = await resolveToken(services.tracker, match[1]!);
      if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is unknown, revoked or expired.');
      request.actor = actor;
    } else {
      const session = readSessionCookie(request);
      const actor = session ? await resolveSession(services.tracker, session) : undefined;
      if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as `Authorization: Bearer <token>`.');
      request.actor = actor;
    }
    // Before anything else: the client must learn that it is no longer who it thinks, not what that other user may do.
    checkSessionUser(request.actor, request);
    // HEAD is answered by the GET route of the same path (Fastify's exposeHeadRoutes).
    checkPasswordChange(request.actor, `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`, header !== undefined);
    const minRole = request.routeOptions.config?.minRole;
    if (minRole) requireRole(request.actor, minRole);
  });
}
