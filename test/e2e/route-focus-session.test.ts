/**
 * Focus after moving between pages, and a page kept while its user must choose a password, in Chromium
 * on the test seed. Following a link inside the app (the menu, a link in a page, Back and Forward) put
 * the focus nowhere useful: on the document (the link was gone with its page) or still on the menu
 * link, so a keyboard or screen-reader user heard nothing of the new page. Now the new page's main
 * heading takes it, unless the user or the page put it somewhere meanwhile; a change of filters on the
 * same page leaves it where it is; a link to an anchor on the page moves it to the anchor's target.
 * Signing in again over a page whose session ended, when a manager had set the password meanwhile, led
 * to "Choose your own password" and dropped what was typed on the page; it is now kept under that
 * page and shown again once the password is chosen.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, getEntitlement, setUserPassword } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const robin = { email: 'robin.rowe@tidewater.test', name: 'Robin Rowe', password: 'robin-own-choice-1' };

describeInBrowser('focus after moving between pages, and a page kept while choosing a password, in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403] });
  const { consoleErrors, expectAccessible } = suite;
  let robinId = 0;

  /** The focused element: its tag, id and text (trimmed, first 80 characters). */
  const focused = () =>
    suite.page.evaluate<string>("(() => { const a = document.activeElement; return a ? `${a.tagName}#${a.id}:${(a.textContent ?? '').trim().slice(0, 80)}` : ''; })()");
  const h1Focused = (name: string) => expect.poll(focused).toBe(`H1#:${name}`);
  const mainRoute = () => suite.page.evaluate<string | null>("document.querySelector('main')?.getAttribute('data-route') ?? null");

  beforeAll(async () => {
    robinId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...robin, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  it('puts the focus on the new page’s heading after a link in a page, a menu link, Back and Forward', async () => {
    await suite.signIn(suite.world.editor);
    await suite.go('#/portfolio');
    const table = suite.page.getByRole('table');
    await table.getByRole('link', { name: 'Lindqvist Dental Group' }).first().waitFor();
    // A link inside the page: the portfolio and the link go, the customer's heading takes the focus.
    await table.getByRole('link', { name: 'Lindqvist Dental Group' }).first().click();
    await suite.page.getByRole('heading', { level: 1, name: 'Lindqvist Dental Group' }).waitFor();
    await h1Focused('Lindqvist Dental Group');
    // Taken without becoming a Tab stop, and the next Tab goes on into the page.
    expect(await suite.page.evaluate<string | null>("document.activeElement?.getAttribute('tabindex') ?? null")).toBe('-1');
    await expectAccessible('customer page, heading focused after a link');

    // A menu link: the link stays on screen, but the new page is where to go on.
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await h1Focused('Reports');

    // Back and Forward.
    await suite.page.goBack();
    await suite.page.getByRole('heading', { level: 1, name: 'Lindqvist Dental Group' }).waitFor();
    await h1Focused('Lindqvist Dental Group');
    await suite.page.goForward();
    await h1Focused('Reports');
    await suite.page.goBack();
    await h1Focused('Lindqvist Dental Group');
    // Back to the portfolio: the row link followed from it takes the focus, once the list has loaded
    // (test/e2e/back-restore.test.ts); its heading may hold it for the moment before.
    await suite.page.goBack();
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    await expect.poll(focused, { timeout: 10_000 }).toBe('A#:Lindqvist Dental Group');
  });

  it('leaves the focus where the user put it while the page loaded, and on a filter changed on the same page', async () => {
    await suite.go('#/portfolio');
    const table = suite.page.getByRole('table');
    await table.getByRole('link', { name: 'Orchard Valley Schools' }).first().waitFor();
    // The customer answers late: meanwhile the user tabs on from the link.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await suite.page.route(/\/api\/customers\/\d+/, async (route) => {
      await held;
      await route.continue();
    });
    try {
      await table.getByRole('link', { name: 'Orchard Valley Schools' }).first().click();
      await suite.page.getByText('Loading the customer…').waitFor();
      await suite.page.keyboard.press('Tab');
      const chosen = await focused();
      expect(chosen).not.toMatch(/^BODY/);
      release();
      await suite.page.getByRole('heading', { level: 1, name: 'Orchard Valley Schools' }).waitFor();
      // A few frames later the focus is still where the user put it.
      await suite.page.waitForTimeout(300);
      expect(await focused()).toBe(chosen);
    } finally {
      release();
      await suite.page.unroute(/\/api\/customers\/\d+/);
    }

    // A filter is a change of address on the same page: the focus stays on the list.
    await suite.go('#/portfolio');
    const l1 = suite.page.getByLabel('L1', { exact: true });
    await l1.focus();
    const before = await mainRoute();
    await l1.selectOption('Blocked');
    await expect.poll(mainRoute).not.toBe(before);
    await suite.page.waitForTimeout(300);
    expect(await suite.page.evaluate<string>("document.activeElement?.id ?? ''")).toBe(await l1.getAttribute('id'));
  });

  it('starts a page followed by a link at its top, with its heading in view', async () => {
    await suite.page.setViewportSize({ width: 1280, height: 420 });
    try {
      await suite.go(`#/customers/${suite.world.customers.harbour}`);
      const link = suite.page.locator('main a[href^="#/entitlements/"]').last();
      await link.scrollIntoViewIfNeeded();
      expect(await suite.page.evaluate<number>('window.scrollY')).toBeGreaterThan(0);
      await link.click();
      await suite.page.locator('main h1').filter({ hasText: 'Harbour Logistics ·' }).waitFor();
      expect(await suite.page.evaluate<number>('window.scrollY')).toBe(0);
      await expect.poll(focused).toMatch(/^H1#:Harbour Logistics · /);
    } finally {
      await suite.page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('moves the focus to the target of a link to an anchor on the same page, and keeps the page and its address', async () => {
    await suite.go('#/triage');
    const address = suite.page.url();
    await suite.page.evaluate(`(() => {
      const box = document.createElement('div');
      box.innerHTML = '<a id="anchor-link" href="#anchor-target">To the part below</a><p style="margin-top: 2000px" id="anchor-target">The part below</p>';
      document.body.appendChild(box);
    })()`);
    await suite.page.locator('#anchor-link').click();
    await expect.poll(focused).toBe('P#anchor-target:The part below');
    expect(suite.page.url()).toBe(address);
    expect(await suite.page.getByRole('heading', { level: 1, name: 'Triage a status note' }).count()).toBe(1);
    expect(await suite.page.evaluate<number>('window.scrollY')).toBeGreaterThan(1000);
    await suite.page.evaluate("document.getElementById('anchor-link')?.parentElement?.remove()");
  });

  it('keeps what was typed on a page when signing in again leads to "Choose your own password", and shows it again once chosen', async () => {
    await suite.signInFresh(robin);
    const id = suite.world.entitlements.ruleTarget;
    await suite.go(`#/entitlements/${id}`);
    const note = 'Robin met the SharePoint owners; the site inventory is done and the first migration batch is agreed for next week.';
    // The note coach grades the note as it is typed: its answer comes before the session ends.
    const graded = suite.page.waitForResponse((response) => response.url().includes('/api/notes/grade') && response.request().postData()?.includes('Robin met') === true);
    await suite.page.getByLabel('Status note').fill(note);
    await graded;
    await suite.page.getByLabel('Owner').fill('Robin Rowe');

    // A manager sets Robin's password meanwhile: the session ends, and the next request says so.
    const given = 'given-by-maria-robin-1';
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, robinId, given, { mustChangePassword: true });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Password').fill(given);
    await dialog.getByRole('button', { name: 'Sign in' }).click();

    // Choose your own password, focus on its heading; it says the page is kept.
    await suite.page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
    await expect.poll(focused).toMatch(/^H1#change-password-title:/);
    await suite.page.getByText('The page you were on is kept as you left it').waitFor();
    // The kept page is not shown, nor read out (role queries leave hidden elements out).
    expect(await suite.page.getByLabel('Status note').isVisible()).toBe(false);
    expect(await suite.page.getByRole('textbox', { name: 'Status note' }).count()).toBe(0);
    expect(await suite.page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await expectAccessible('choose your own password over a kept page');

    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill('robin-own-choice-2');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('robin-own-choice-2');
    await form.getByRole('button', { name: 'Save my password' }).click();

    // The page again, with what was typed; the notice above it has the focus, and says what to do again.
    await suite.page.getByRole('status').filter({ hasText: 'Your password is now your own' }).waitFor();
    await expect.poll(focused).toMatch(/^P#flash-notice:Your password is now your own; .* The page is as you left it/);
    expect(await suite.page.getByLabel('Status note').inputValue()).toBe(note);
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Robin Rowe');
    await expectAccessible('the kept page after choosing a password');
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const stored = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    expect([stored.note, stored.owner]).toEqual([note, 'Robin Rowe']);
    expect(consoleErrors).toEqual([]);
  });

  it('keeps the page of an older tab that switches to "Choose your own password" after another tab signed in with a password a manager set', async () => {
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, robinId, 'robin-own-choice-4');
    await suite.signInFresh({ email: robin.email, password: 'robin-own-choice-4' });
    const id = suite.world.entitlements.conflictTarget;
    await suite.go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Owner').fill('Robin in the first tab');
    const given = 'given-by-maria-robin-2';
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, robinId, given, { mustChangePassword: true });
    const other = await suite.context.newPage();
    try {
      await other.goto(`${suite.url}/`);
      await other.getByLabel('Email').fill(robin.email);
      await other.getByLabel('Password').fill(given);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
    } finally {
      await other.close();
    }
    // The first tab's next request carries that session: it asks too, and keeps its page.
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
    await expect.poll(focused).toMatch(/^H1#change-password-title:/);
    await suite.page.getByText(/The page you were on is kept as you left it, with what you typed and had not saved/).waitFor();
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill('robin-own-choice-3');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('robin-own-choice-3');
    await form.getByRole('button', { name: 'Save my password' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Your password is now your own' }).waitFor();
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Robin in the first tab');
    // The save refused meanwhile says so in the page's words, not the server's (which name the API route).
    await suite.page.getByText('This was not done: your password had to be changed first.').waitFor();
    expect(await suite.page.getByText('PUT /api/me/password').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
