/** Page steps every browser test shares. */
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './server.js';
import { AxeBuilder } from '@axe-core/playwright';

/** Fails with every serious or critical axe violation on the page, each prefixed with `name`. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Opens `hash` of the app at `baseUrl` and waits for the page's heading. */
export async function openPage(page: Page, baseUrl: string, hash: string): Promise<void> {
  await page.goto(`${baseUrl}/${hash}`);
  await page.locator('main h1').first().waitFor();
}

/**
 * Launches Debian's Chromium and opens one page (10 s default timeout) whose console errors and page
 * errors land in `consoleErrors`, except HTTP refusals with the `allowedStatuses` the tests provoke on
 * purpose (Chromium logs those itself).
 */
export async function openBrowserPage(options: { consoleErrors: string[]; allowedStatuses: number[]; context?: BrowserContextOptions }): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options.context });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const provoked = new RegExp(`Failed to load resource: the server responded with a status of (${options.allowedStatuses.join('|')})`);
  page.on('console', (message) => {
    if (message.type() === 'error' && !provoked.test(message.text())) options.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => options.consoleErrors.push(`page error: ${error.message}`));
  return { browser, context, page };
}
