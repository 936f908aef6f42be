/**
 * The portfolio's search box follows the address: the text filter lives in the hash (`q=`), and when
 * the address changes without typing (Back, Forward, a link, the menu) the box shows the new text, not
 * the old one, while typing still writes the address. The real server (seeded SQLite) and the built web
 * app in Debian's Chromium, as in web.test.ts. Skips with a message when Chromium or web/dist is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';
import { openBrowserPage, openPage } from './support/page.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

/** The seed's customers and how many entitlements each has (test/e2e/support/seed.ts). */
const SEED = { harbour: 'Harbour Logistics', lindqvist: 'Lindqvist Dental Group', orchard: 'Orchard Valley Schools', total: 10 } as const;

describe.skipIf(skipReason !== undefined)('portfolio search box and the address in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  const search = () => page.getByLabel('Search', { exact: true });
  const count = () => page.locator('.result-count');
  /** The customer cell of every row on screen (the first cell is the checkbox). */
  const customers = () => page.locator('.vbody [role=row] [role=cell]:nth-child(2)').allInnerTexts();
  const qOf = (url: string) => new URLSearchParams(new URL(url).hash.split('?')[1] ?? '').get('q');

  /** Waits until the list has settled on `rows` rows, each of them (when given) of `customer`. */
  const expectList = async (rows: number, customer?: string) => {
    await expect.poll(() => count().innerText()).toBe(`${rows} entitlement(s)`);
    const names = await customers();
    expect(names.length).toBe(rows);
    if (customer) for (const name of names) expect(name).toContain(customer);
  };

  beforeAll(async () => {
    server = await startE2eServer();
    ({ browser, page } = await openBrowserPage({ consoleErrors, allowedStatuses: [401] }));
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.world.manager.email);
    await page.getByLabel('Password').fill(server.world.manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('writes typed text to the address, as before', async () => {
    await openPage(page, server.url, '#/portfolio');
    await expectList(SEED.total);
    await search().pressSequentially('Lindqvist', { delay: 20 });
    await page.waitForURL((url) => qOf(url.href) === 'Lindqvist');
    await expectList(3, SEED.lindqvist);
    expect(await search().inputValue()).toBe('Lindqvist');
  });

  it('shows the q of a link followed with another q, and lists its rows', async () => {
    await openPage(page, server.url, '#/portfolio?q=Orchard');
    await expect.poll(() => search().inputValue()).toBe('Orchard');
    await expectList(2, SEED.orchard);
    // The address is not written back with the old text once the typing pause has passed.
    await page.waitForTimeout(500);
    expect(qOf(page.url())).toBe('Orchard');
    expect(await search().inputValue()).toBe('Orchard');
  });

  it('shows the earlier q after Back, and the later one after Forward', async () => {
    await page.goBack();
    await expect.poll(() => qOf(page.url())).toBe('Lindqvist');
    await expect.poll(() => search().inputValue()).toBe('Lindqvist');
    await expectList(3, SEED.lindqvist);

    await page.goForward();
    await expect.poll(() => search().inputValue()).toBe('Orchard');
    await expectList(2, SEED.orchard);
  });

  it('empties the box when the menu link opens the portfolio without a q', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    await expect.poll(() => qOf(page.url())).toBeNull();
    await expect.poll(() => search().inputValue()).toBe('');
    await expectList(SEED.total);
  });

  it('keeps what is being typed when the address catches up with it', async () => {
    await search().pressSequentially('Harb', { delay: 20 });
    await page.waitForURL((url) => qOf(url.href) === 'Harb');
    // Typing on after the address took the first part: nothing is lost or put back.
    await search().pressSequentially('our', { delay: 20 });
    expect(await search().inputValue()).toBe('Harbour');
    await page.waitForURL((url) => qOf(url.href) === 'Harbour');
    await expectList(5, SEED.harbour);
    expect(await search().inputValue()).toBe('Harbour');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
