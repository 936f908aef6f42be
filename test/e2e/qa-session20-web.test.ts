/**
 * Web QA in Chromium on the test seed (session 20, helper "web").
 *
 * - Export CSV's click sends a request naming the tab's user (X-Unblock-User), but the link itself, taken
 *   by the browser's "Save link as" or opened in a new tab, was a plain GET with the cookie alone: after
 *   another user signed in elsewhere in the browser it exported that user's data. The link's address now
 *   names the user too (`user=`), which the server checks as it checks the header.
 * - A lowered role closed an empty bulk panel with the focus in it, and the focus fell to the document
 *   with nothing said. The focus now goes to the list's heading, and a live region says why it closed.
 * - An export that failed after the user had gone on to another page said nothing at all. The failure
 *   is now said above the page they are on, in the app's notice, without taking their focus.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const EXPORT_PATH = '/api/export/entitlements.csv';
const pia = { email: 'pia.berg@tidewater.test', name: 'Pia Berg', password: 'pia-own-choice-20' };

describeInBrowser('web QA session 20 in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 500] });
  const { consoleErrors } = suite;
  let piaId = 0;

  beforeAll(async () => {
    piaId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...pia, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  const exportControl = () => suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' });
  const activeElement = () => suite.page.evaluate<string>("(() => { const a = document.activeElement; return a ? a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + ':' + (a.textContent ?? '').trim().slice(0, 40) : 'none'; })()");

  /** Another user signs in elsewhere in this browser: the shared cookie becomes theirs before this tab hears of it. */
  const cookieBecomesManagers = async () => {
    const { manager } = suite.world;
    const login = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: manager.email, password: manager.password }) });
    expect(login.status).toBe(200);
    const cookie = /^unblock_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    await suite.context.addCookies([{ name: 'unblock_session', value: cookie!, url: suite.url }]);
  };

  it('writes the tab’s user in the export link, so that the link taken without the app is refused once the cookie is another user’s', async () => {
    await suite.signInFresh(suite.world.editor);
    const editorId = (await suite.page.evaluate(async () => (await fetch('/api/me')).json() as Promise<{ id: number }>)).id;
    await suite.go('#/portfolio?l1=Blocked');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/^\d+ entitlement\(s\)$/);
    const href = await exportControl().getAttribute('href');
    const address = new URL(href!, suite.url);
    expect(address.pathname).toBe(EXPORT_PATH);
    expect(address.searchParams.get('l1')).toBe('Blocked');
    expect(address.searchParams.get('user')).toBe(String(editorId));

    // "Save link as": a GET of the address with the browser's cookie and no header of the app.
    const saved = await suite.context.request.get(address.href);
    expect(saved.status()).toBe(200);
    expect(await saved.text()).toContain('Blocked');
    await cookieBecomesManagers();
    const refused = await suite.context.request.get(address.href);
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SESSION_CHANGED');
    // The manager's own link (no user, or theirs) still exports for them: only the name is checked.
    expect((await suite.context.request.get(`${suite.url}${EXPORT_PATH}?l1=Blocked`)).status()).toBe(200);
  });

  it('moves the focus to the list’s heading and says why, when a lowered role closes a bulk panel with nothing typed', async () => {
    await suite.signInFresh(pia);
    await suite.go('#/portfolio');
    await suite.page.locator('.vbody [role=row] input[type=checkbox]').first().check();
    await suite.page.getByRole('button', { name: 'Change status of 1 selected' }).click();
    const panel = suite.page.getByRole('form', { name: /^Change status of 1 entitlement/ });
    await panel.getByLabel('L1 status').focus();
    expect(await activeElement()).toMatch(/^select/);

    await updateUser(suite.services.tracker, SYSTEM_ACTOR, piaId, { role: 'viewer' });
    try {
      // A refusal of any request (403 FORBIDDEN) makes the app read the user again.
      await suite.page.evaluate("window.dispatchEvent(new Event('unblock:forbidden'))");
      await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');
      await expect.poll(() => panel.count()).toBe(0);

      await expect.poll(activeElement).toBe('h1:Portfolio');
      const said = suite.page.locator('[role=status]').filter({ hasText: /closed/i });
      await said.waitFor();
      const text = await said.innerText();
      expect(text).toMatch(/viewer/);
      expect(text).toMatch(/change statuses/i);
    } finally {
      await updateUser(suite.services.tracker, SYSTEM_ACTOR, piaId, { role: 'editor' });
    }

    // Given back the role, the notice no longer holds and goes.
    await suite.page.evaluate("window.dispatchEvent(new Event('unblock:forbidden'))");
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('editor');
    await expect.poll(() => suite.page.locator('[role=status]').filter({ hasText: /closed/i }).count()).toBe(0);
  });

  it('keeps the focus where the user is when a lowered role closes a bulk panel they had left', async () => {
    await suite.signInFresh(pia);
    await suite.go('#/portfolio');
    await suite.page.locator('.vbody [role=row] input[type=checkbox]').first().check();
    await suite.page.getByRole('button', { name: 'Change status of 1 selected' }).click();
    await suite.page.getByRole('form', { name: /^Change status of 1 entitlement/ }).waitFor();
    const search = suite.page.getByLabel('Search');
    await search.focus();
    const before = await activeElement();
    expect(before).toMatch(/^input#f-q/);
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, piaId, { role: 'viewer' });
    try {
      await suite.page.evaluate("window.dispatchEvent(new Event('unblock:forbidden'))");
      await suite.page.locator('[role=status]').filter({ hasText: /closed/i }).waitFor();
      await suite.page.waitForTimeout(200);
      expect(await activeElement()).toBe(before);
    } finally {
      await updateUser(suite.services.tracker, SYSTEM_ACTOR, piaId, { role: 'editor' });
    }
  });

  it('says above the page the user went on to that an export failed after they left the portfolio, without taking the focus', async () => {
    await suite.signInFresh(suite.world.editor);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    let answer: (() => Promise<void>) | undefined;
    await suite.page.route(`**${EXPORT_PATH}*`, (route) => {
      answer = () => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message: 'The export could not be read from the database.' } }) });
    });
    try {
      await exportControl().click();
      await expect.poll(() => answer !== undefined).toBe(true);
      // The user goes on to Reports before the answer comes.
      await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
      await expect.poll(() => suite.page.locator('main').getAttribute('data-route')).toMatch(/reports/);
      await suite.page.locator('main h1').first().waitFor();
      const focusBefore = await activeElement();
      await answer!();

      const alert = suite.page.getByRole('alert').filter({ hasText: 'The export could not be read from the database.' });
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/^The CSV export failed/);
      await suite.page.waitForTimeout(200);
      expect(await activeElement()).toBe(focusBefore);

      // It goes with the next page, as the app's other notices do.
      await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
      await expect.poll(() => suite.page.locator('main').getAttribute('data-route')).toMatch(/portfolio/);
      await expect.poll(() => alert.count()).toBe(0);
    } finally {
      await suite.page.unrouteAll();
    }
  });

  it('logs no unexpected console errors', () => {
    expect(consoleErrors.filter((e) => !/status of (401|403|500)/.test(e))).toEqual([]);
  });
});
