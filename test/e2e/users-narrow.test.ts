/**
 * The Users page at 375 px wide, as an admin, in Chromium (the real server on the test seed, as in
 * pages-qa.test.ts): the users table scrolls sideways inside its own box and the page itself does not
 * get wider than the window. Skips with a message when Chromium or web/dist is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR, createUser } from '../../src/tracker/index.js';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';
import { expectAccessible, openBrowserPage, openPage } from './support/page.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

const admin = { email: 'narrow.admin@unblock.test', password: 'narrow-admin-2026', name: 'Nadia Narrow-Screen Admin' };

describe.skipIf(skipReason !== undefined)('the Users page at 375 px in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  /** The page's scroll width and the window's width: equal when nothing makes the page scroll sideways. */
  const pageWidth = () => page.evaluate<{ scroll: number; window: number }>('({ scroll: document.documentElement.scrollWidth, window: window.innerWidth })');

  beforeAll(async () => {
    server = await startE2eServer();
    await createUser(server.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    ({ browser, page } = await openBrowserPage({ consoleErrors, allowedStatuses: [401], context: { viewport: { width: 375, height: 740 } } }));
    await page.goto(server.url);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('scrolls the users table inside its box instead of widening the page', async () => {
    await openPage(page, server.url, '#/users');
    const table = page.getByRole('table', { name: 'Users, their roles and partners' });
    await table.getByRole('cell', { name: server.world.editor.email }).waitFor();
    expect(await pageWidth()).toEqual({ scroll: 375, window: 375 });
    // The table is wider than the window; its own box scrolls, and it can be scrolled with the keyboard.
    const box = page.getByRole('region', { name: 'Users' });
    const sizes = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(await box.getAttribute('tabindex')).toBe('0');
    await box.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(await pageWidth()).toEqual({ scroll: 375, window: 375 });
    // Every user's row is still reachable: the last column's buttons are in the table.
    expect(await table.getByRole('button', { name: `Set password for ${server.world.editor.name}` }).count()).toBe(1);
    await expectAccessible(page, 'users at 375 px');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
