/** Browser security headers for every response (the web app, the API docs and the API itself). */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy. The built web app and the Swagger UI load scripts and styles only
 * from this origin and run no inline script. Inline styles stay allowed: React, recharts and
 * Swagger UI set style attributes, and an injected style cannot run code. `blob:` images are the
 * chart PNG export (an SVG drawn through an object URL). No `upgrade-insecure-requests`: the server
 * speaks plain http on 127.0.0.1 by default, and upgraded asset requests would fail there.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'upgrade-insecure-requests': null,
} as const;

/**
 * Registers @fastify/helmet: CSP as above, X-Frame-Options DENY, X-Content-Type-Options nosniff,
 * Referrer-Policy no-referrer and the rest of helmet's defaults. HSTS leaves out subdomains: the
 * server does not own its parent domain (browsers ignore HSTS over plain http anyway).
 */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    hsts: { maxAge: 15_552_000, includeSubDomains: false },
  });
}
