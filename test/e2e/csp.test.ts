/**
 * The Content-Security-Policy in Chromium: the built web app (signed in, with charts) and the Swagger
 * UI page load and work with no CSP violation and no console error. Skips like web.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('security headers in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text) || (message.type() === 'error' && !/status of 401/.test(text))) problems.push(`${message.type()}: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));" });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the web app under the CSP: sign in and open the reports with charts', async () => {
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    await page.getByLabel('Email').fill(server.world.manager.email);
    await page.getByLabel('Password').fill(server.world.manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Reports' }).click();
    await page.locator('main h1').first().waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await menu.getByRole('link', { name: 'Portfolio' }).click();
    await page.locator('main h1').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('serves the Swagger UI under the CSP', async () => {
    const response = await page.goto(`${server.url}/api/docs/`);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
