/**
 * The real server for browser tests and screenshots: services over a temporary SQLite file (the real
 * playbook, classifier and note coach), seeded with a small portfolio written for these tests, served
 * by `buildApp` on a free loopback port together with the built web app.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/index.js';
import { createServices, type Services, seedDemoData, type DemoLogin } from '../../../src/app/index.js';
import { buildApp } from '../../../src/http/index.js';
import { seedE2e, type E2eWorld } from './seed.js';

/** The folder holding package.json, found upwards from this file (works from test/ and from dist/test/). */
function findPackageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();
export const WEB_DIST = join(PACKAGE_ROOT, 'web', 'dist');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why browser tests cannot run here, or undefined when they can. */
export function findBrowserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `no Chromium at ${CHROMIUM_PATH} (install Debian's chromium, or set CHROMIUM_PATH)`;
  if (!existsSync(join(WEB_DIST, 'index.html'))) return 'web/dist is not built (run `npm run build:web`)';
  return undefined;
}

export interface E2eServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  world: E2eWorld;
  /** The demo logins, when started with `demo: true` (the `npm start` data on top of the test world). */
  demoLogins: DemoLogin[];
  close(): Promise<void>;
}

/**
 * Starts the seeded server. `demo` seeds the `npm start` demo data first (for screenshots);
 * `extraEntitlements` adds that many generated entitlements to the test partner (for the bench).
 */
export async function startE2eServer(options: { extraEntitlements?: number; demo?: boolean } = {}): Promise<E2eServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'unblock-e2e-'));
  const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', SECURE_COOKIES: 'false', PORT: '0' });
  // One classifier worker thread, as `serve` runs it: the triage flows then go through the pool.
  const services = await createServices(config, { classifierWorkers: 1, backgroundCheckpoints: true });
  try {
    const demoLogins = options.demo ? (await seedDemoData(services)).logins : [];
    const world = await seedE2e(services, { extraEntitlements: options.extraEntitlements ?? 0 });
    const app = await buildApp(services, { webDir: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      services,
      world,
      demoLogins,
      async close() {
        await app.close();
        await services.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
