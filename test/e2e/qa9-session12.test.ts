/**
 * QA of a password someone else chose, in Chromium on the test seed. A user on "Choose your own
 * password" whose session ends before the change is saved (the account disabled meanwhile, or the
 * password set again) is told on the sign-in page that the password was not changed: it showed the
 * bare sign-in form, and the user took the new password for saved. A user signing in again from
 * "Your session has ended" over a page, after a manager set their password meanwhile, gets "Choose
 * your own password" with the focus on its heading (it fell to the document). Add workload names a
 * part the customer has as it is stored, as the API does ("nordic" typed is refused for "Nordic"; the
 * form said "nordic"), and leaving with only a part typed says so (not "the workload you chose").
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, addEntitlement, createUser, setUserPassword, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const quinn = { email: 'quinn.quest@tidewater.test', name: 'Quinn Quest' };
const given = 'given-by-maria-1';

describeInBrowser('a session ending around "Choose your own password" in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 409] });
  const { consoleErrors, expectAccessible } = suite;
  let quinnId = 0;

  const focusedId = () => suite.page.evaluate<string | null>('document.activeElement?.id || document.activeElement?.tagName || null');
  const chooseHeading = () => suite.page.getByRole('heading', { level: 1, name: 'Choose your own password' });
  /** Signs Quinn in with the sign-in form at `hash` (cookies dropped first). */
  const signInQuinn = async (password: string, hash: string) => {
    await suite.context.clearCookies();
    await suite.page.goto(`${suite.url}/${hash}`);
    await suite.page.getByLabel('Email').fill(quinn.email);
    await suite.page.getByLabel('Password').fill(password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    quinnId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...quinn, role: 'editor', partnerId: suite.world.partnerId, password: given, mustChangePassword: true })).id;
  });

  it('says on the sign-in page that the password was not changed when the session ended before it was saved', async () => {
    await signInQuinn(given, `#/customers/${suite.world.customers.harbour}`);
    await chooseHeading().waitFor();
    // Meanwhile the manager disables the account: its sessions end.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, quinnId, { disabled: true });
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill('quinn-own-choice-1');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('quinn-own-choice-1');
    await form.getByRole('button', { name: 'Save my password' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Sign in to Unblock' }).waitFor();
    await suite.page.getByRole('alert').filter({ hasText: 'Your session ended before your new password was saved, so it was not changed' }).waitFor();
    await expectAccessible('sign-in after the session ended while choosing');

    // Enabled again, the given password still signs in, to the same question.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, quinnId, { disabled: false });
    await suite.page.getByLabel('Email').fill(quinn.email);
    await suite.page.getByLabel('Password').fill(given);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await chooseHeading().waitFor();
    // Signed in, the notice is gone.
    expect(await suite.page.getByText('Your session ended before your new password was saved').count()).toBe(0);
  });

  it('switches an older tab to "Choose your own password" once another tab of the browser signed in with a password a manager set', async () => {
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, quinnId, { disabled: false });
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, quinnId, 'quinn-own-choice-3');
    await suite.signInFresh({ email: quinn.email, password: 'quinn-own-choice-3' });
    await suite.page.goto(`${suite.url}/#/portfolio`);
    await suite.page.locator('.result-count').filter({ hasText: /entitlement\(s\)/ }).waitFor({ timeout: 15_000 });
    // The manager sets a password; in a second tab of the same browser Quinn signs in with it.
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, quinnId, 'given-by-maria-3', { mustChangePassword: true });
    const other = await suite.context.newPage();
    try {
      await other.goto(`${suite.url}/`);
      await other.getByLabel('Email').fill(quinn.email);
      await other.getByLabel('Password').fill('given-by-maria-3');
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
      // The first tab's next request carries the new session's cookie: it asks for the password too,
      // instead of showing the server's refusal.
      await suite.page.getByRole('link', { name: 'Reports' }).click();
      await chooseHeading().waitFor();
      expect(await suite.page.getByText('send PUT /api/me/password').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('asks for a new password with the focus on its heading after signing in again over a page, when the password was set meanwhile', async () => {
    // Quinn has a password of their own and works in the app.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, quinnId, { disabled: false });
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, quinnId, 'quinn-own-choice-1');
    await suite.signInFresh({ email: quinn.email, password: 'quinn-own-choice-1' });

    // The manager sets another password: Quinn's session ends, and the next request says so.
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, quinnId, 'given-again-by-maria-2', { mustChangePassword: true });
    await suite.page.goto(`${suite.url}/#/portfolio`);
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Password').fill('given-again-by-maria-2');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await chooseHeading().waitFor();
    await expect.poll(focusedId).toBe('change-password-title');
    await expectAccessible('choose your own password after signing in again');
    expect(consoleErrors).toEqual([]);
  });

  it('names a part the customer already has as it is stored when the one typed differs only in case', async () => {
    const customerId = suite.world.customers.harbour;
    await addEntitlement(suite.services.tracker, SYSTEM_ACTOR, { customerId, workload: 'teams', part: 'Nordic' });
    await suite.signInFresh(suite.world.manager);
    await suite.go(`#/customers/${customerId}`);
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    const form = suite.page.getByRole('form', { name: 'Add a workload' });
    await form.getByLabel('Workload', { exact: true }).selectOption({ label: 'Teams' });
    await form.getByLabel('Part (optional)').fill('nordic');
    await form.getByRole('button', { name: 'Add workload' }).click();
    const problem = suite.page.locator('#add-workload-part-problem');
    await expect.poll(() => problem.textContent()).toMatch(/ already has a part “Nordic” of Teams\. Name another part\.$/);
    await expectAccessible('add workload, a part the customer has in another case');

    // A part typed with no workload chosen: leaving asks, in words that say so (it said "The workload you chose").
    await form.getByLabel('Workload', { exact: true }).selectOption({ label: 'Choose…' });
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('The part you typed in Add workload is not added to Harbour Logistics yet.');
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    expect(consoleErrors).toEqual([]);
  });
});
