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

/** The little of the page's DOM that {@link openPage} reads (the tests compile without the DOM types). */
interface ShownRoute {
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
}

/**
 * Opens `hash` of the app at `baseUrl` and waits for a heading of the page rendered after it (the
 * layout marks <main> with the hash it rendered for): after a hash change the previous page stays in
 * the DOM until React renders the next, and on a busy machine tests acted on the old page. (The app
 * may rewrite the hash, dropping a bad filter, so any other mark than the previous one counts.)
 */
export async function openPage(page: Page, baseUrl: string, hash: string): Promise<void> {
  const target = `${baseUrl}/${hash}`;
  const previous = await page.evaluate<string | null>("document.querySelector('main')?.getAttribute('data-route') ?? null");
  await page.goto(target);
  if (previous !== null && previous !== new URL(target).hash) {
    // A function, not a string: a string predicate is polled with eval, which the app's CSP refuses.
    await page.waitForFunction((shown) => (globalThis as unknown as ShownRoute).document.querySelector('main')?.getAttribute('data-route') !== shown, previous);
  }
  await page.locator('main h1').first().waitFor();
}

/** Signs in through the sign-in form at `baseUrl` and waits for the main menu. */
export async function signIn(page: Page, baseUrl: string, login: { email: string; password: string }): Promise<void> {
  await page.goto(baseUrl);
  await submitSignIn(page, login);
}

/** Fills and sends the sign-in form the page shows now (no navigation first) and waits for the main menu. */
export async function submitSignIn(page: Page, login: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).waitFor();
}

/**
 * Launches Debian's Chromium and opens one page (default timeout `timeout`, else 10 s) whose console
 * errors and page errors land in `consoleErrors`, except HTTP refusals with the `allowedStatuses` the
 * tests provoke on purpose (Chromium logs those itself).
 */
export async function openBrowserPage(options: { consoleErrors: string[]; allowedStatuses: number[]; context?: BrowserContextOptions; timeout?: number }): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options.context });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeout ?? 10_000);
  const provoked = new RegExp(`Failed to load resource: the server responded with a status of (${options.allowedStatuses.join('|')})`);
  page.on('console', (message) => {
    if (message.type() === 'error' && !provoked.test(message.text())) options.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => options.consoleErrors.push(`page error: ${error.message}`));
  return { browser, context, page };
}
