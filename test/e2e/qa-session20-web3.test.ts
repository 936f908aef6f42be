/**
 * Web QA in Chromium on the test seed (session 20, helper "web3": the review of 898e034's kept page).
 *
 * - Whether the page was kept under "Choose your own password" was read from one flag of the app when an
 *   export ended: an export of the portfolio the user had left for Reports, failing while Reports was
 *   kept, was taken for the kept page's and said nowhere. Each page now records, as it is hidden or goes,
 *   which of the two happened to it.
 * - An export that worked while the page was kept was saved with nothing said, and the password's notice
 *   then said what the page was doing was not done: the user exported twice. The page now says the file
 *   was saved meanwhile.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, setUserPassword } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const EXPORT_PATH = '/api/export/entitlements.csv';
const rowan = { email: 'rowan.vale@tidewater.test', name: 'Rowan Vale', password: 'rowan-own-choice-20' };

describeInBrowser('web QA session 20 (web3) in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 500] });
  const { consoleErrors } = suite;
  let rowanId = 0;

  beforeAll(async () => {
    rowanId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...rowan, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  const exportControl = () => suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' });

  /** Holds the next export request until the returned function answers it with `answer`'s response. */
  const holdExport = async (response: { status: number; headers?: Record<string, string>; contentType?: string; body: string }) => {
    let answer: (() => Promise<void>) | undefined;
    await suite.page.route(`**${EXPORT_PATH}*`, (route) => {
      answer = () => route.fulfill(response);
    });
    return {
      started: () => expect.poll(() => answer !== undefined).toBe(true),
      answer: async () => {
        await answer!();
        await suite.page.unrouteAll();
      },
    };
  };

  /** A manager sets Rowan's password and Rowan signs in with it elsewhere: this tab shows the password form over its page. */
  const keepUnderPasswordForm = async (given: string) => {
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, rowanId, given, { mustChangePassword: true });
    const login = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: rowan.email, password: given }) });
    expect(login.status).toBe(200);
    const cookie = /^unblock_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    await suite.context.addCookies([{ name: 'unblock_session', value: cookie!, url: suite.url }]);
    await suite.page.evaluate("window.dispatchEvent(new Event('unblock:password-change-required'))");
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.waitFor();
    await suite.page.getByText('The page you were on is kept as you left it').waitFor();
    return form;
  };

  const choosePassword = async (form: Awaited<ReturnType<typeof keepUnderPasswordForm>>, given: string) => {
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill(rowan.password);
    await form.getByLabel('Repeat the new password', { exact: true }).fill(rowan.password);
    await form.getByRole('button', { name: 'Save my password' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Your password is now your own' }).waitFor();
  };

  it('says in the app’s notice an export of a page left before another page was kept under the password form', async () => {
    await suite.signInFresh(rowan);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    const held = await holdExport({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message: 'The left export failed while Reports was kept.' } }) });
    await exportControl().click();
    await held.started();

    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await suite.page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    const given = 'given-by-maria-rowan-1';
    const form = await keepUnderPasswordForm(given);
    await held.answer();
    await suite.page.waitForTimeout(300);
    await choosePassword(form, given);

    const failure = suite.page.getByRole('alert').filter({ hasText: 'The left export failed while Reports was kept.' });
    await failure.waitFor({ timeout: 5000 });
    expect(await failure.innerText()).toMatch(/^The CSV export failed: /);
    expect(await suite.page.getByRole('heading', { name: 'Reports', level: 1 }).count()).toBe(1);
  });

  it('says on the page an export saved while it was kept under the password form, and the password’s notice does not say it was not done', async () => {
    await suite.signInFresh(rowan);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    const held = await holdExport({ status: 200, headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="held.csv"' }, body: 'id\n1\n' });
    await exportControl().click();
    await held.started();

    const given = 'given-by-maria-rowan-2';
    const form = await keepUnderPasswordForm(given);
    const saved = suite.page.waitForEvent('download');
    await held.answer();
    expect((await saved).suggestedFilename()).toBe('held.csv');
    await choosePassword(form, given);

    const said = suite.page.getByRole('status').filter({ hasText: 'The CSV export was saved while you chose your password.' });
    await said.waitFor({ timeout: 5000 });
    expect(await suite.page.locator('.flash-notice').first().innerText()).toMatch(/unless the page says it was done meanwhile/);
    await expect.poll(() => exportControl().getAttribute('aria-disabled')).toBe(null);
    // Dismissed, or gone with the next export.
    await said.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => said.count()).toBe(0);
  });

  it('logs no unexpected console errors', () => {
    expect(consoleErrors.filter((e) => !/status of (401|403|500)/.test(e))).toEqual([]);
  });
});
