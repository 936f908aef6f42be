/** Authentication: bearer API tokens, or the login session cookie. Resolves `request.actor`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { AppError } from '../lib/index.js';
import { resolveSession, resolveToken, type Actor } from '../tracker/index.js';
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

/** Adds the onRequest hook that authenticates every non-public /api route. */
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
      return;
    }
    const session = readSessionCookie(request);
    if (session) {
      const actor = await resolveSession(services.tracker, session);
      if (actor) {
        request.actor = actor;
        return;
      }
    }
    throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as `Authorization: Bearer <token>`.');
  });
}
