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
  /** No `:param` and no `*`: the router prefers such a route to a parametric one that also matches. */
  fixed: boolean;
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

/**
 * Records the API routes (under /api) added to `app` from now on; returns the lookup of the methods a
 * path takes (empty: no route has it). The web app's catch-all (`/*`, GET) is not an API route: it
 * would otherwise claim every path. Where a fixed route matches (`/api/entitlements/bulk-status`), only
 * fixed routes count, as the router picks them before a parametric one (`/api/entitlements/:id`).
 */
export function recordRoutes(app: FastifyInstance): (path: string) => string[] {
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url !== '/api' && !route.url.startsWith('/api/')) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
    routes.push({ pattern: patternOf(route.url), fixed: !/[:*]/.test(route.url), methods });
  });
  return (path) => {
    const matching = routes.filter((route) => route.pattern.test(path));
    const chosen = matching.some((route) => route.fixed) ? matching.filter((route) => route.fixed) : matching;
    const allowed = new Set(chosen.flatMap((route) => route.methods));
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
