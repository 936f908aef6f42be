/**
 * QA of the web UI in Chromium on the test seed (session 18).
 *
 * - A manager lowered an editor to viewer while the editor had an entitlement open: the save was
 *   refused ("you are viewer"), but the header still said "editor" and the form stayed editable. A
 *   refusal for a too-low role now reads the user again, so the header and the controls show the new
 *   role at once.
 * - After a save refused because the entitlement was deleted meanwhile, leaving the page still asked
 *   "Leave without saving?", though nothing could be saved any more.
 * - The customer page asked the same after Edit details or Add workload was refused because the customer
 *   had been deleted meanwhile, though its refusal says to go to the portfolio.
 * - A request sent in the instant between another tab's sign-in as someone else and this tab noticing
 *   it went out with the other user's cookie, and acted as them. The app now names the user it acts as
 *   in X-Unblock-User; the server refuses a mismatch (401 SESSION_CHANGED), and the tab stops under
 *   "Your session has ended", saying why.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer, createUser, deleteCustomer, listEntitlements, listHistory, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const ren = { email: 'ren.okoye@tidewater.test', name: 'Ren Okoye', password: 'ren-own-choice-18' };

describeInBrowser('web QA session 18 in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 404, 409] });
  const { consoleErrors } = suite;
  let renId = 0;

  beforeAll(async () => {
    renId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...ren, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  it('shows the lowered role in the header and the form at once after a save refused for it', async () => {
    await suite.signInFresh(ren);
    const header = suite.page.locator('header');
    expect(await header.locator('.badge').innerText()).toBe('editor');
    await suite.go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('Owner').fill('Ren, before the change of role');
    // A manager makes Ren a viewer meanwhile.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, renId, { role: 'viewer' });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('alert').filter({ hasText: 'viewer' }).waitFor();
    // The header and the page follow the new role without a reload.
    await expect.poll(() => header.locator('.badge').innerText()).toBe('viewer');
    expect(await header.innerText()).toContain('read-only');
    await suite.page.getByText('Your role can read this status but not change it.').waitFor();
    expect(await suite.page.getByLabel('Owner').isDisabled()).toBe(true);
    expect(await suite.page.getByRole('button', { name: 'Save status' }).count()).toBe(0);
    // Nothing can be saved now, so leaving does not ask.
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    expect(await suite.page.getByRole('dialog', { name: 'Leave without saving?' }).count()).toBe(0);
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, renId, { role: 'editor' });
  });

  it('does not ask "Leave without saving?" after a save refused because the entitlement is gone, but still does on a live one', async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'gone-meanwhile.example', name: 'Gone Meanwhile Ltd', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, pageSize: 10 })).items;
    await suite.signInFresh(suite.world.editor);
    await suite.go(`#/entitlements/${e!.id}`);
    await suite.page.getByLabel('Owner').fill('Eddie, on a customer about to go');
    await deleteCustomer(ctx, SYSTEM_ACTOR, customer.id, { reason: 'created by mistake' });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const refusal = suite.page.getByRole('alert').filter({ hasText: 'no longer exists' });
    await refusal.waitFor();
    // What was typed stays, to copy; leaving by the refusal's own link does not ask.
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Eddie, on a customer about to go');
    await refusal.getByRole('link', { name: 'portfolio' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    expect(await suite.page.getByRole('dialog', { name: 'Leave without saving?' }).count()).toBe(0);

    // A live entitlement with edits still asks.
    await suite.go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('Owner').fill('Eddie, not saved yet');
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Leave without saving' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
  });

  it('does not ask "Leave without saving?" after Edit details or Add workload found the customer deleted meanwhile', async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'deleted-under-forms.example', name: 'Deleted Under Forms', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    await suite.signInFresh(suite.world.manager);
    await suite.go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Edit details' }).click();
    const details = suite.page.getByRole('form', { name: 'Edit details' });
    await details.getByLabel('Region (optional)').fill('APAC');
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    const add = suite.page.getByRole('form', { name: 'Add a workload' });
    await add.getByLabel('Workload', { exact: true }).selectOption({ label: 'Intune' });
    await deleteCustomer(ctx, SYSTEM_ACTOR, customer.id, { reason: 'deleted in another tab' });

    await details.getByRole('button', { name: 'Save details' }).click();
    await details.getByRole('alert').filter({ hasText: 'This customer no longer exists' }).waitFor();
    await add.getByRole('button', { name: 'Add workload' }).click();
    await add.getByRole('alert').filter({ hasText: 'This customer no longer exists' }).waitFor();
    // What was typed stays in both forms; leaving asks nothing, as nothing of it can be saved.
    expect(await details.getByLabel('Region (optional)').inputValue()).toBe('APAC');
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    expect(await suite.page.getByRole('dialog', { name: 'Leave without saving?' }).count()).toBe(0);
  });

  it('refuses a save sent with another user’s cookie before this tab noticed the other sign-in, and stops under "Your session has ended"', async () => {
    const { editor, manager } = suite.world;
    const id = suite.world.entitlements.conflictTarget;
    await suite.signInFresh(editor);
    await suite.go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Owner').fill('Typed by Eddie before the cookie changed');
    const before = await listHistory(suite.services.tracker, SYSTEM_ACTOR, id);

    // Maria signs in elsewhere in this browser, and the shared cookie becomes hers before this tab hears of it
    // (no storage event: the instant between her sign-in and this tab's listener).
    const login = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: manager.email, password: manager.password }) });
    expect(login.status).toBe(200);
    const cookie = /^unblock_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    await suite.context.addCookies([{ name: 'unblock_session', value: cookie!, url: suite.url }]);

    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Someone signed in as another user in another tab');
    // Nothing was saved as Maria.
    expect(await listHistory(suite.services.tracker, SYSTEM_ACTOR, id)).toHaveLength(before.length);
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Typed by Eddie before the cookie changed');

    // Eddie signs in again here: the save is his.
    await dialog.getByLabel('Password').fill(editor.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const history = await listHistory(suite.services.tracker, SYSTEM_ACTOR, id);
    expect(history.at(-1)?.changedByName).toBe(editor.name);
    expect(consoleErrors).toEqual([]);
  });
  it('signing out under "Your session has ended" after another user signed in leaves that user signed in', async () => {
    const { editor, manager } = suite.world;
    await suite.signInFresh(editor);
    await suite.go('#/portfolio');
    const login = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: manager.email, password: manager.password }) });
    expect(login.status).toBe(200);
    const cookie = /^unblock_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    await suite.context.addCookies([{ name: 'unblock_session', value: cookie!, url: suite.url }]);

    // The tab's next request finds the cookie is Maria's; it stops, and Eddie chooses to sign out.
    await suite.go('#/reports');
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Sign out instead' }).click();
    await suite.page.getByRole('button', { name: 'Sign in' }).waitFor();
    // Maria's session, which another tab would be using, lives on.
    const me = await fetch(`${suite.url}/api/me`, { headers: { cookie: `unblock_session=${cookie}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(manager.email);
  });
});
