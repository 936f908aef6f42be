/**
 * The Users page changes roles and disables or enables accounts (qa6 web pass, R9), in Chromium on the
 * test seed, through `PATCH /api/users/:id` as the API allows it: a manager moves their partner's users
 * between viewer, editor and manager; disabling asks first, ends the user's sign-ins and can be undone
 * with Enable; nobody gets buttons for their own role or account, and an admin's role is not offered
 * for a change (the API gives and takes it only by creating users). Focus goes back to the row's button.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, listUsers } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const admin = { email: 'ada.admin@unblock.test', password: 'ada-admin-2026', name: 'Ada Admin' };
const otherAdmin = { email: 'otto.admin@unblock.test', password: 'otto-admin-2026', name: 'Otto Admin' };

describeInBrowser('changing roles and disabling users on the Users page', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403] });
  const { consoleErrors, expectAccessible, go, signIn, signInFresh } = suite;
  /** The PATCH requests the page sent, as `id body`. */
  const patches: string[] = [];

  const table = () => suite.page.getByRole('table', { name: 'Users, their roles and partners' });
  const row = (name: string) => table().getByRole('row').filter({ has: suite.page.getByRole('cell', { name, exact: true }) });
  const stored = async (email: string) => (await listUsers(suite.services.tracker, SYSTEM_ACTOR)).find((u) => u.email === email)!;
  const focusedLabel = () => suite.page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null");
  /** The answer to a sign-in with `login`: its status and error code. */
  const trySignIn = async (login: { email: string; password: string }) => {
    const response = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: login.email, password: login.password }) });
    const body = (await response.json()) as { error?: { code: string } };
    return `${response.status} ${body.error?.code ?? 'ok'}`;
  };

  beforeAll(async () => {
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...otherAdmin, role: 'admin', partnerId: null });
    suite.page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(`${new URL(request.url()).pathname} ${request.postData() ?? ''}`);
    });
  });

  it('lets a manager move an editor to manager and back, the focus returning to the row', async () => {
    const { manager, editor } = suite.world;
    await signIn(manager);
    await go('#/users');
    await row(editor.name).waitFor();
    // Nothing to change on your own row: role and account are changed by someone else.
    expect(await row(manager.name).getByRole('button').count()).toBe(0);

    await row(editor.name).getByRole('button', { name: `Change role of ${editor.name}` }).click();
    const form = suite.page.getByRole('form', { name: `Change the role of ${editor.name} (${editor.email})` });
    await form.waitFor();
    const select = form.getByLabel('Role');
    expect(await suite.page.evaluate<string | null>('document.activeElement?.id ?? null')).toBe('user-role-select');
    // Viewer, editor and manager only: the admin role is not given by a change of role.
    expect(await suite.page.evaluate<string[]>("[...document.querySelectorAll('#user-role-select option')].map((o) => o.value)")).toEqual(['viewer', 'editor', 'manager']);
    await expectAccessible('users, role form');
    await select.selectOption('manager');
    await form.getByRole('button', { name: 'Save role' }).click();
    await suite.page.getByRole('status').getByText(`${editor.name} is now a manager.`).waitFor();
    await expect.poll(async () => (await row(editor.name).getByRole('cell').allInnerTexts())[2]).toMatch(/^manager/);
    expect((await stored(editor.email)).role).toBe('manager');
    expect(patches.at(-1)).toBe(`/api/users/${(await stored(editor.email)).id} {"role":"manager"}`);
    expect(await focusedLabel()).toBe(`Change role of ${editor.name}`);

    // Back to editor; Cancel on the way changes nothing.
    await row(editor.name).getByRole('button', { name: `Change role of ${editor.name}` }).click();
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await form.count()).toBe(0);
    expect(await focusedLabel()).toBe(`Change role of ${editor.name}`);
    await row(editor.name).getByRole('button', { name: `Change role of ${editor.name}` }).click();
    await form.getByLabel('Role').selectOption('editor');
    await form.getByRole('button', { name: 'Save role' }).click();
    await suite.page.getByRole('status').getByText(`${editor.name} is now an editor.`).waitFor();
    expect((await stored(editor.email)).role).toBe('editor');
  });

  it('asks before disabling a user, then their sign-in is refused until they are enabled again', async () => {
    const { viewer } = suite.world;
    expect(await trySignIn(viewer)).toBe('200 ok');
    const disable = row(viewer.name).getByRole('button', { name: `Disable ${viewer.name}` });
    await disable.click();
    const confirm = suite.page.getByRole('region', { name: `Disable ${viewer.name}?` });
    await confirm.waitFor();
    // The question takes the focus, so it is read out; nothing is sent yet.
    expect(await suite.page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toBe(`Disable ${viewer.name}?`);
    expect(patches.filter((p) => p.includes('disabled'))).toEqual([]);
    await expectAccessible('users, disable confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirm.count()).toBe(0);
    expect(await focusedLabel()).toBe(`Disable ${viewer.name}`);
    expect((await stored(viewer.email)).disabled).toBe(false);

    await disable.click();
    await confirm.getByRole('button', { name: `Disable ${viewer.name}` }).click();
    await suite.page.getByRole('status').getByText(`${viewer.name} is disabled`).waitFor();
    await expect.poll(async () => (await row(viewer.name).getByRole('cell').allInnerTexts())[4]).toMatch(/^disabled/);
    expect((await stored(viewer.email)).disabled).toBe(true);
    expect(await trySignIn(viewer)).toBe('401 ACCOUNT_DISABLED');
    // The focus is back on the row, now on Enable.
    expect(await focusedLabel()).toBe(`Enable ${viewer.name}`);

    // Enabling needs no confirmation: it takes nothing away.
    await suite.page.keyboard.press('Enter');
    await suite.page.getByRole('status').getByText(`${viewer.name} is enabled again`).waitFor();
    await expect.poll(async () => (await row(viewer.name).getByRole('cell').allInnerTexts())[4]).toMatch(/^active/);
    expect((await stored(viewer.email)).disabled).toBe(false);
    expect(await trySignIn(viewer)).toBe('200 ok');
    expect(patches.filter((p) => p.includes('disabled')).map((p) => p.split(' ')[1])).toEqual(['{"disabled":true}', '{"disabled":false}']);
  });

  it('offers an admin Disable on another admin, but no change of an admin role', async () => {
    await signInFresh(admin);
    await go('#/users');
    await row(otherAdmin.name).waitFor();
    expect(await row(otherAdmin.name).getByRole('button', { name: `Disable ${otherAdmin.name}` }).count()).toBe(1);
    expect(await row(otherAdmin.name).getByRole('button', { name: /^Change role/ }).count()).toBe(0);
    expect(await row(admin.name).getByRole('button').count()).toBe(0);
    // Users of a partner can be moved by an admin too.
    expect(await row(suite.world.editor.name).getByRole('button', { name: `Change role of ${suite.world.editor.name}` }).count()).toBe(1);
    await expectAccessible('users as an admin');
  });

  it('shows the refusal when the server says no, and leaves the user as they were', async () => {
    const { editor } = suite.world;
    await suite.page.route('**/api/users/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Not allowed for this user.' } }) })
        : route.continue(),
    );
    try {
      await row(editor.name).getByRole('button', { name: `Disable ${editor.name}` }).click();
      const confirm = suite.page.getByRole('region', { name: `Disable ${editor.name}?` });
      await confirm.getByRole('button', { name: `Disable ${editor.name}` }).click();
      await confirm.getByRole('alert').getByText('Not allowed for this user.').waitFor();
      expect(await confirm.getByRole('alert').innerText()).toContain('FORBIDDEN');
      expect((await stored(editor.email)).disabled).toBe(false);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await suite.page.unroute('**/api/users/*');
    }
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
