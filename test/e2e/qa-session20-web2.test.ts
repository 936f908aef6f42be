/**
 * Web QA in Chromium on the test seed (session 20, helper "web2": the review of the export's failure notice).
 *
 * - A page kept, hidden, under "Choose your own password" was taken for a page the user had left: an
 *   export that ended meanwhile was said in the app's notice (which the password's own notice then
 *   replaced) instead of on the page, and its link stayed "Preparing the file…" until the user left the
 *   page. The page now says it under its toolbar when it shows again, and the link is free.
 * - The app had one notice: a failed export said after the user had left its page replaced a notice
 *   still showing (the customer deleted, which had the focus). The failure now shows beside it.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer, createUser, setUserPassword } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const EXPORT_PATH = '/api/export/entitlements.csv';
const quinn = { email: 'quinn.hale@tidewater.test', name: 'Quinn Hale', password: 'quinn-own-choice-20' };

describeInBrowser('web QA session 20 (web2) in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 500] });
  const { consoleErrors } = suite;
  let quinnId = 0;

  beforeAll(async () => {
    quinnId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...quinn, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  const exportControl = () => suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' });
  const activeElement = () => suite.page.evaluate<string>("(() => { const a = document.activeElement; return a ? a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + ':' + (a.textContent ?? '').trim().slice(0, 40) : 'none'; })()");

  /** Holds the next export request until the returned function answers it 500 with `message`. */
  const holdExport = async (message: string) => {
    let answer: (() => Promise<void>) | undefined;
    await suite.page.route(`**${EXPORT_PATH}*`, (route) => {
      answer = () => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message } }) });
    });
    return {
      started: () => expect.poll(() => answer !== undefined).toBe(true),
      answer: async () => {
        await answer!();
        await suite.page.unrouteAll();
      },
    };
  };

  it('says an export that failed while its page was kept under "Choose your own password" on that page once it shows again, and frees its link', async () => {
    await suite.signInFresh(quinn);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    const held = await holdExport('The export was cut short while you chose a password.');
    await exportControl().click();
    await held.started();
    expect(await exportControl().getAttribute('aria-disabled')).toBe('true');

    // A manager sets Quinn's password; Quinn signs in with it elsewhere in this browser, and this tab's
    // next request is refused until Quinn chooses their own.
    const given = 'given-by-maria-quinn-1';
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, quinnId, given, { mustChangePassword: true });
    const login = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: quinn.email, password: given }) });
    expect(login.status).toBe(200);
    const cookie = /^unblock_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    await suite.context.addCookies([{ name: 'unblock_session', value: cookie!, url: suite.url }]);
    await suite.page.evaluate("window.dispatchEvent(new Event('unblock:password-change-required'))");
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.waitFor();
    await suite.page.getByText('The page you were on is kept as you left it').waitFor();

    // The export ends while the page is hidden.
    await held.answer();
    await suite.page.waitForTimeout(300);

    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill(quinn.password);
    await form.getByLabel('Repeat the new password', { exact: true }).fill(quinn.password);
    await form.getByRole('button', { name: 'Save my password' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Your password is now your own' }).waitFor();

    // The page says it, under its toolbar, once; the link is free again, and starts a new export.
    const said = suite.page.locator('.download-error');
    await expect.poll(() => said.count()).toBe(1);
    expect(await said.innerText()).toMatch(/^The CSV export failed: The export was cut short while you chose a password\./);
    expect(await suite.page.getByText('The export was cut short while you chose a password.').count()).toBe(1);
    await expect.poll(() => exportControl().getAttribute('aria-disabled')).toBe(null);
    expect(await suite.page.getByText('Preparing the file…').count()).toBe(0);
    const again = suite.page.waitForRequest((request) => request.url().includes(EXPORT_PATH));
    const saved = suite.page.waitForEvent('download');
    await exportControl().click();
    await again;
    await saved;
    await expect.poll(() => said.count()).toBe(0);
  });

  it('shows an export’s failure beside a notice still showing, which keeps the focus', async () => {
    const customer = await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: 'web2-deleted.example', name: 'Web Two Deleted Ltd', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    await suite.signInFresh(suite.world.manager);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    const held = await holdExport('The export could not be read from the database.');
    await exportControl().click();
    await held.started();

    // The manager goes on to delete a customer: the portfolio says so, with the focus on the notice.
    await suite.go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Delete customer…' }).click();
    await suite.page.locator('#delete-reason').fill('made by mistake');
    await suite.page.getByRole('button', { name: 'Delete customer', exact: true }).click();
    const deleted = suite.page.getByRole('status').filter({ hasText: /^Deleted Web Two Deleted Ltd/ });
    await deleted.waitFor();
    await expect.poll(activeElement).toMatch(/^p#flash-notice:Deleted Web Two Deleted Ltd/);

    await held.answer();
    const failure = suite.page.getByRole('alert').filter({ hasText: 'The export could not be read from the database.' });
    await failure.waitFor();
    expect(await failure.innerText()).toMatch(/^The CSV export failed/);
    expect(await deleted.count()).toBe(1);
    await suite.page.waitForTimeout(200);
    expect(await activeElement()).toMatch(/^p#flash-notice:Deleted Web Two Deleted Ltd/);

    // Each has its own Dismiss; dismissing the failure leaves the notice.
    await failure.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => failure.count()).toBe(0);
    expect(await deleted.count()).toBe(1);
    // Both go with the next page, as before.
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await expect.poll(() => deleted.count()).toBe(0);
  });

  it('logs no unexpected console errors', () => {
    expect(consoleErrors.filter((e) => !/status of (401|403|500)/.test(e))).toEqual([]);
  });
});
