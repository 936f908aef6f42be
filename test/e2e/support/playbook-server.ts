/**
 * A server on a playbook folder of the test's own (PLAYBOOK_DIR), with one partner and one user signed
 * in to a Chromium tab: for the tests of a partner's own playbook in the browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/index.js';
import { createServices, type Services } from '../../../src/app/index.js';
import { buildApp } from '../../../src/http/index.js';
import type { Role } from '../../../src/db/schema.js';
import { SYSTEM_ACTOR, createPartner, createUser } from '../../../src/tracker/index.js';
import { openBrowserPage, signIn } from './page.js';
import { WEB_DIST } from './server.js';

export interface PlaybookSession {
  services: Services;
  tab: Page;
  url: string;
  /** Browser errors and failed requests other than the 401 before signing in. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Starts the server on `pagesDir` (a fresh data folder) and signs `user` in; close() removes the data folder. */
export async function startPlaybookSession(
  pagesDir: string,
  user: { email: string; password: string; name: string; role: Role; partner: string },
): Promise<PlaybookSession> {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-playbook-data-'));
  let services: Services | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    await services?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config = loadConfig({}, { DATA_DIR: dataDir, PLAYBOOK_DIR: pagesDir, LOG_LEVEL: 'silent', SECURE_COOKIES: 'false', PORT: '0' });
    services = await createServices(config, { classifierWorkers: 0 });
    const partner = await createPartner(services.tracker, SYSTEM_ACTOR, { name: user.partner });
    await createUser(services.tracker, SYSTEM_ACTOR, { email: user.email, password: user.password, name: user.name, role: user.role, partnerId: partner.id });
    app = await buildApp(services, { webDir: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const consoleErrors: string[] = [];
    const opened = await openBrowserPage({ consoleErrors, allowedStatuses: [401] });
    browser = opened.browser;
    await signIn(opened.page, url, user);
    return { services, tab: opened.page, url, consoleErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
