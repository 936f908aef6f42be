/**
 * Keyboard QA of the focus a new page's heading takes (usePageFocus), in Chromium on the test seed: it
 * must not take the focus from where the user or the app put it. Letters typed into the Portfolio
 * search while its list loads stay there; a sort keeps the focus on its button; the leave question
 * gives the focus back on Stay and hands it to the new page's heading on Leave; signing in again over
 * an ended session puts it back in Triage's note box (the same user) or on the first page's heading
 * (another user). Back and Forward put back where each page was scrolled: the browser did it at once, on
 * the page still shown, and the page coming back (whose content loads after) started at its top.
 */
import { expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('focus after moves, where the user put it, in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403] });
  /** The focused element: its tag, id and text (trimmed, first 50 characters). */
  const focused = () =>
    suite.page.evaluate<string>("(() => { const a = document.activeElement; return a ? `${a.tagName}#${a.id}:${(a.textContent ?? '').trim().slice(0, 50)}` : ''; })()");

  it('keeps letters typed into the Portfolio search while its list loads, and the focus on a sort button', async () => {
    const page = suite.page;
    await suite.signIn(suite.world.manager);
    await suite.go('#/triage');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/entitlements\?/, async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
      const search = page.getByLabel('Search', { exact: true });
      await search.click();
      await page.keyboard.type('harb', { delay: 30 });
      release();
      await page.keyboard.type('our', { delay: 120 });
      await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/portfolio?q=harbour');
      await page.waitForTimeout(300);
      expect(await search.inputValue()).toBe('harbour');
      expect(await focused()).toBe('INPUT#f-q:');
    } finally {
      release();
      await page.unroute(/\/api\/entitlements\?/);
    }
    await page.getByRole('button', { name: /^Customer/ }).first().click();
    await expect.poll(() => page.evaluate<string>('location.hash')).toContain('sort=customer');
    await page.waitForTimeout(300);
    expect(await focused()).toMatch(/^BUTTON#:Customer/);
  });

  it('gives the focus back on Stay, and to the new page’s heading on Leave', async () => {
    const page = suite.page;
    await suite.go(`#/customers/${suite.world.customers.harbour}`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    await expect.poll(focused).toBe('INPUT#edit-customer-tenantId:');
    await page.keyboard.type('x');
    const menuLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' });
    await menuLink.click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await expect.poll(focused).toBe('A#:Portfolio');
    await menuLink.click();
    await dialog.getByRole('button', { name: 'Leave without saving' }).click();
    await expect.poll(focused).toBe('H1#:Portfolio');
  });

  it('puts the focus back in Triage’s note box after signing in again, or on another user’s first page', async () => {
    const page = suite.page;
    await suite.go('#/triage');
    await page.locator('#note-input').click();
    await page.keyboard.type('Proxy blocks the media ports');
    await suite.context.clearCookies();
    await page.keyboard.type(' for Teams');
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.getByLabel('Password').fill(suite.world.manager.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    expect(await focused()).toBe('TEXTAREA#note-input:Proxy blocks the media ports for Teams');

    await suite.go(`#/customers/${suite.world.customers.harbour}`);
    await suite.context.clearCookies();
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByRole('button', { name: 'Save details' }).click();
    await dialog.getByLabel('Email').fill(suite.world.editor.email);
    await dialog.getByLabel('Password').fill(suite.world.editor.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(focused).toBe('H1#:Triage a status note');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('TEXTAREA#note-input:');
  });

  it('puts back where each page was scrolled after Back and Forward, once the page has loaded', async () => {
    const page = suite.page;
    const scrollY = () => page.evaluate<number>('Math.round(window.scrollY)');
    await suite.signInFresh(suite.world.manager);
    await page.setViewportSize({ width: 1280, height: 420 });
    try {
      await suite.go(`#/customers/${suite.world.customers.harbour}`);
      const link = page.locator('main a[href^="#/entitlements/"]').last();
      await link.scrollIntoViewIfNeeded();
      const onCustomer = await scrollY();
      expect(onCustomer).toBeGreaterThan(0);
      await link.click();
      await page.locator('main h1').filter({ hasText: 'Harbour Logistics ·' }).waitFor();
      await page.getByRole('button', { name: 'Save status' }).waitFor();
      expect(await scrollY()).toBe(0);
      await page.evaluate('window.scrollTo(0, 150)');
      await expect.poll(scrollY).toBe(150);

      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Harbour Logistics', exact: true }).waitFor();
      await expect.poll(scrollY).toBe(onCustomer);
      await expect.poll(focused).toBe('H1#:Harbour Logistics');
      await page.goForward();
      await page.getByRole('button', { name: 'Save status' }).waitFor();
      await expect.poll(scrollY).toBe(150);
      await expect.poll(focused).toMatch(/^H1#:Harbour Logistics · /);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });
});
