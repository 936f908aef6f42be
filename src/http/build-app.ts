/** `buildApp(services)`: the Fastify app with every route, ready for `listen()` or `inject()`. */
import { existsSync } from 'node:fs';
import { maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../lib/index.js';
import type { Services } from '../app/index.js';
import { installAuth } from './auth.js';
import { installErrorHandler, sendError } from './errors.js';
import { installSecurityHeaders } from './security.js';
import { installInputGuards } from './input.js';
import { installExpectContinue } from './expect-continue.js';
import { validatorCompiler } from './validation.js';
import { formatSize } from './csv.js';
import { describeRoute } from './openapi.js';
import { accountRoutes } from './routes/accounts.js';
import { adviceRoutes } from './routes/advice.js';
import { customerRoutes } from './routes/customers.js';
import { entitlementRoutes } from './routes/entitlements.js';
import { reportRoutes } from './routes/reports.js';
import { csvRoutes } from './routes/csv.js';
import { methodNotAllowed, recordRoutes } from './method-not-allowed.js';

export interface BuildAppOptions {
  /** Fastify logger setting (default off): pino options such as level and stream (see serverLogging in errors.ts). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Leave out the per-request log lines (default false). */
  disableRequestLogging?: boolean;
  /** Folder of the built web app; default `web/dist` under the package root; null disables it. */
  webDir?: string | null;
  /** Fastify's trustProxy; default the configuration's TRUST_PROXY, else false (see Config.trustProxy). */
  trustProxy?: boolean | string;
}

function findWebDist(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'web', 'dist');
      return existsSync(join(web, 'index.html')) ? web : null;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const BAD_ESCAPE_MESSAGE = 'The URL is not valid: each `%` must start the escape of UTF-8 bytes (such as %C3%A9 for é), and a `%` meant as itself is written %25.';

/**
 * A request whose path the router cannot read (a `%` that starts no UTF-8 escape, such as `%E0%A4`, or
 * a path parameter over the router's length limit): 400 BAD_ARGUMENTS in the API's error shape, where
 * Fastify would answer its own `{"error": "Bad Request", ...}`.
 */
function answerFrameworkError(error: FastifyError, reply: FastifyReply): FastifyReply {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? 'A path segment of the URL is too long.'
    : BAD_ESCAPE_MESSAGE;
  return sendError(reply, new AppError('BAD_ARGUMENTS', message, { code: error.code ?? null }));
}

/**
 * Whether the query string of a URL has a `%` that starts no UTF-8 escape (a bare `%`, `%E0%A4`). The
 * router reads such a query leniently (keeping the bad escape as text), so without this check
 * `?q=%E0%A4` would search for those characters while the same escape in the path answers 400.
 */
export function hasBadQueryEscape(url: string): boolean {
  const start = url.indexOf('?');
  if (start < 0) return false;
  const query = url.slice(start + 1);
  if (!query.includes('%')) return false;
  try {
    decodeURIComponent(query);
    return false;
  } catch {
    return true;
  }
}

/**
 * A request that Node's HTTP parser refuses before any route sees it (bytes that are not allowed in a
 * URL or header, headers over the size limit, a malformed request line): answered in the API's error
 * shape, then the connection is closed (it cannot be read on). 431 for headers too large, else 400.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, reason] = timeout ? [408, 'Request Timeout'] : tooLarge ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const message = timeout
    ? 'The request was not received in time.'
    : tooLarge
      // Node's parser counts the request line (the URL with its query string) and the headers together.
      ? `The URL and headers of the request are too large: together they may hold at most ${formatSize(maxHeaderSize)}. Shorten the URL's query string, or send fewer or shorter headers.`
      : 'The request could not be read as HTTP: the URL and headers may hold only ASCII characters (percent-encode the rest of the URL, as %C3%A9 for é).';
  const body = JSON.stringify({ error: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_ARGUMENTS', message, details: null } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/**
 * Whether a request that matched no route nor file is a browser opening a page of the web app, which
 * then gets index.html: GET or HEAD, outside /api, a path whose last segment has no file extension,
 * and HTML acceptable (an Accept header naming text/html or a wildcard, or none). A missing file
 * (/favicon.ico, /robots.txt, /x.js) is a 404 instead of the app's HTML under the file's name. The app
 * routes by the hash (#/portfolio): it turns such a path into its hash address, and shows its "Page not found" view for one that names no page.
 */
function asksForAppPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0]!;
  if (path === '/api' || path.startsWith('/api/')) return false;
  if (/\.[^/]*$/.test(path.slice(path.lastIndexOf('/') + 1))) return false;
  const accept = request.headers.accept;
  return accept === undefined || /(^|[\s,])(text\/html|text\/\*|\*\/\*)/.test(accept);
}

/** Builds the app (no listen). Routes are registered before this resolves. */
export async function buildApp(services: Services, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  // Forwarded headers decide the client address (the sign-in limit, logs) and https (the session
  // cookie's Secure flag), so they are believed only when the operator says a proxy sets them.
  const trustProxy = options.trustProxy ?? services.config?.trustProxy ?? false;
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.disableRequestLogging ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    bodyLimit: services.config?.bodyLimitBytes ?? 1024 * 1024,
    // Cast: given the union, TypeScript resolves Fastify() to its HTTP/2 overload; every member is valid.
    trustProxy: trustProxy as boolean,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: (error, _request, reply) => answerFrameworkError(error, reply),
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await installSecurityHeaders(app);

  // Before any route, the documentation's included, so every API route is known to the 405 answer.
  const methodsOf = recordRoutes(app);
  await app.register(cookie, { secret: services.config?.sessionSecret ?? 'unblock-test-secret-unblock-test-secret' });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Unblock API', version: '1', description: 'Customers, entitlements, statuses with history, playbook rules, reports. Authenticate with `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'unblock_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: describeRoute,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  // Before authentication, as the router's answer to a bad escape in the path comes before it too.
  app.addHook('onRequest', async (request) => {
    if (hasBadQueryEscape(request.url)) throw new AppError('BAD_ARGUMENTS', BAD_ESCAPE_MESSAGE, { code: 'BAD_QUERY_ESCAPE' });
  });
  installAuth(app, services);
  installInputGuards(app);
  // After the input guards' hooks: a body over its route's limit is refused before the client sends it.
  installExpectContinue(app);
  await app.register(accountRoutes(services));
  await app.register(customerRoutes(services));
  await app.register(entitlementRoutes(services));
  await app.register(adviceRoutes(services));
  await app.register(reportRoutes(services));
  await app.register(csvRoutes(services));

  /** The answer to a request no route takes: 405 with `Allow` for an API path that takes other methods, else 404. */
  const unmatched = (request: FastifyRequest, reply: FastifyReply): AppError => {
    const path = request.url.split('?')[0]!;
    const allow = isApiPath(path) ? methodsOf(path) : [];
    const refused = methodNotAllowed(request, allow);
    if (!refused) return noRouteError(request);
    reply.header('allow', allow.join(', '));
    return refused;
  };
  const webDir = options.webDir === undefined ? findWebDist() : options.webDir;
  if (webDir) await serveWebApp(app, webDir, unmatched);
  app.setNotFoundHandler((request, reply) => {
    if (webDir && asksForAppPage(request)) return reply.sendFile('index.html');
    return sendError(reply, unmatched(request, reply));
  });
  return app;
}

function noRouteError(request: FastifyRequest): AppError {
  return new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
}

/** Whether a URL path is the API's (`/api`, `/api/...`), which web files never answer. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * Whether a URL path has an empty, `.` or `..` segment before its last (`//x`, `/a/./b`): no file of
 * the web app is named so, and @fastify/static would refuse it with a bare 403 "Forbidden".
 */
function hasOddSegment(path: string): boolean {
  return path.slice(1).split('/').slice(0, -1).some((segment) => segment === '' || segment === '.' || segment === '..') || /\/\.\.?$/.test(path);
}

/** How long browsers may keep a file of the web app, by its path under the web folder (`/` separated). */
export function webCacheControl(relativePath: string): string | null {
  // Vite names what it writes under assets/ by a hash of the content: a new build gives new names.
  if (relativePath.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  // index.html names the current assets, so browsers ask again each time (answered 304 while unchanged).
  if (relativePath === 'index.html') return 'no-cache';
  return null;
}

/**
 * Serves the files of the web folder as they are at each request (a wildcard GET/HEAD route), so a
 * rebuild while the server runs (new hashed asset names, a new index.html) is served at once; a route
 * per file found at start-up would answer 404 for the new assets the new index.html names. A path
 * that is no file goes on to the not-found handler (index.html for a page of the app, else a JSON 404).
 */
async function serveWebApp(app: FastifyInstance, webDir: string, unmatched: (request: FastifyRequest, reply: FastifyReply) => AppError): Promise<void> {
  // The wildcard route matches unknown /api paths too: they must not need a sign-in to learn that they
  // are unknown (the API's own routes have their own hooks), nor ever get a web file.
  app.addHook('onRoute', (route) => {
    if (route.url !== '/*') return;
    route.config = { ...(route.config ?? {}), public: true };
    const earlier = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [
      ...earlier,
      async (request: FastifyRequest, reply: FastifyReply) => {
        const path = request.url.split('?')[0]!;
        if (isApiPath(path)) throw unmatched(request, reply);
        if (hasOddSegment(path)) throw noRouteError(request);
      },
    ];
  });
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: true,
    index: ['index.html'],
    // The same once decoded (`/%61pi/...`): the check above reads the path as sent.
    allowedPath: (pathName) => !isApiPath(pathName.startsWith('/') ? pathName : `/${pathName}`),
    setHeaders: (reply, filePath) => {
      const cacheControl = webCacheControl(relative(webDir, filePath).split(sep).join('/'));
      if (cacheControl) reply.header('cache-control', cacheControl);
    },
  });
}
