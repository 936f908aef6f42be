/**
 * The Users page at 375 px wide, as an admin, in Chromium (the real server on the test seed, as in
 * pages-qa.test.ts): the users table scrolls sideways inside its own box and the page itself does not
 * get wider than the window. Skips with a message when Chromium or web/dist is missing.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const admin = { email: 'narrow.admin@unblock.test', password: 'narrow-admin-2026', name: 'Nadia Narrow-Screen Admin' };

describeInBrowser('the Users page at 375 px in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401], context: { viewport: { width: 375, height: 740 } } });
  const { consoleErrors, expectAccessible, go, signIn } = suite;

  /** The page's scroll width and the window's width: equal when nothing makes the page scroll sideways. */
  const pageWidth = () => suite.page.evaluate<{ scroll: number; window: number }>('({ scroll: document.documentElement.scrollWidth, window: window.innerWidth })');

  beforeAll(async () => {
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    await signIn(admin);
  });

  it('scrolls the users table inside its box instead of widening the page', async () => {
    await go('#/users');
    const table = suite.page.getByRole('table', { name: 'Users, their roles and partners' });
    await table.getByRole('cell', { name: suite.world.editor.email }).waitFor();
    expect(await pageWidth()).toEqual({ scroll: 375, window: 375 });
    // The table is wider than the window; its own box scrolls, and it can be scrolled with the keyboard.
    const box = suite.page.getByRole('region', { name: 'Users' });
    const sizes = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(await box.getAttribute('tabindex')).toBe('0');
    await box.focus();
    await suite.page.keyboard.press('End');
    await suite.page.keyboard.press('ArrowRight');
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(await pageWidth()).toEqual({ scroll: 375, window: 375 });
    // Every user's row is still reachable: the last column's buttons are in the table.
    expect(await table.getByRole('button', { name: `Set password for ${suite.world.editor.name}` }).count()).toBe(1);
    await expectAccessible('users at 375 px');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
