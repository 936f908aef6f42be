/**
 * 405 for a known path asked with a method it does not take. Fastify answers any unmatched method
 * and path with its not-found handler, so DELETE /api/entitlements read "No route", as if the path were
 * wrong. Every route's method and URL pattern is recorded as it is added; the not-found handler asks
 * {@link allowedMethods} whether the path is one of them under another method.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/index.js';

interface KnownRoute {
  pattern: RegExp;
  methods: string[];
}

/** The regular expression of a Fastify URL pattern: `:name` one segment, `*` the rest; a trailing slash optional (the router ignores it). */
function patternOf(url: string): RegExp {
  const body = url
    .replace(/\/+$/, '')
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}/?$`);
}

/** Records the routes added to `app` from now on; returns the lookup of the methods a path takes (empty: no route has it). */
export function recordRoutes(app: FastifyInstance): (path: string) => string[] {
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
    routes.push({ pattern: patternOf(route.url), methods });
  });
  return (path) => {
    const allowed = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) for (const m of route.methods) allowed.add(m);
    return ORDER.filter((m) => allowed.has(m));
  };
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The 405 for `request` when its path takes other methods (`allow`, in the `Allow` header's order); undefined otherwise. */
export function methodNotAllowed(request: FastifyRequest, allow: string[]): AppError | undefined {
  if (allow.length === 0 || allow.includes(request.method)) return undefined;
  const path = request.url.split('?')[0]!.replace(/(.)\/+$/, '$1');
  const use = allow.filter((m) => m !== 'HEAD');
  const listed = use.length === 1 ? use[0]! : `${use.slice(0, -1).join(', ')} or ${use[use.length - 1]!}`;
  return new AppError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}: it takes ${listed}.`, { method: request.method, allow });
}
