/**
 * Triage on a playbook with an L1 of its own, in Chromium: the note coach's template for such an L1 is
 * the playbook's guidance (prose from its L1 page), shown as guidance without the "Use template" button
 * that pastes a built-in L1's shape into the note.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/index.js';
import { createServices, type Services } from '../../src/app/index.js';
import { buildApp } from '../../src/http/index.js';
import { SYSTEM_ACTOR, createPartner, createUser } from '../../src/tracker/index.js';
import { describeInBrowser } from './support/suite.js';
import { openBrowserPage, openPage, signIn } from './support/page.js';
import { WEB_DIST } from './support/server.js';
import { STATUS_NOTE_FREEZE, writeGuidancePlaybook } from '../guidance-playbook.js';

describeInBrowser("Triage's template on a playbook with an L1 of its own, in Chromium", () => {
  const login = { email: 'gil.guidance@rollout.test', password: 'guidance-pass-2026' };
  const work = mkdtempSync(join(tmpdir(), 'e2e-guidance-'));
  let services: Services | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  let tab: Page;
  let url = '';
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const pages = join(work, 'pages');
    writeGuidancePlaybook(pages, true);
    const config = loadConfig({}, { DATA_DIR: join(work, 'data'), PLAYBOOK_DIR: pages, LOG_LEVEL: 'silent', SECURE_COOKIES: 'false', PORT: '0' });
    services = await createServices(config, { classifierWorkers: 0 });
    const partner = await createPartner(services.tracker, SYSTEM_ACTOR, { name: 'Guidance Partners' });
    await createUser(services.tracker, SYSTEM_ACTOR, { ...login, name: 'Gil Guidance', role: 'editor', partnerId: partner.id });
    app = await buildApp(services, { webDir: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const opened = await openBrowserPage({ consoleErrors, allowedStatuses: [401] });
    browser = opened.browser;
    tab = opened.page;
    await signIn(tab, url, login);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await services?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows the Paused page's guidance for a Paused note, with no button pasting it into the note", async () => {
    await openPage(tab, url, '#/triage');
    const note = 'Finance froze all new IT spending until the autumn budget review.';
    await tab.getByLabel('Type or paste the status note').fill(note);
    const template = tab.locator('.template');
    await expect.poll(() => template.innerText(), { timeout: 30_000 }).toContain("Your playbook's guidance for Paused notes:");
    expect(await template.innerText()).toContain(STATUS_NOTE_FREEZE);
    expect(await template.innerText()).toContain('Guidance for this code:');
    expect(await template.getByRole('button', { name: 'Use template' }).count()).toBe(0);
    // The note is left as typed.
    expect(await tab.getByLabel('Type or paste the status note').inputValue()).toBe(note);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
