/**
 * API tokens for other users: an admin picks For user (default: themself), the token is shown once
 * naming whose it is, the list shows its owner, and the secret really acts as that user (GET /api/me).
 * A non-admin sees no user choice and sends no userId. The real server (seeded SQLite) and the built
 * web app in Debian's Chromium, as in web.test.ts; one browser for the file, the steps run in order.
 * Skips with a message when Chromium or web/dist is missing.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const admin = { email: 'ada.admin@unblock.test', password: 'admin-pass-2026', name: 'Ada Admin' };
const disabled = { email: 'dora.disabled@tidewater.test', password: 'disabled-pass-2026', name: 'Dora Gone' };

describeInBrowser('API tokens for other users in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, signIn, signOut } = suite;
  let adminId = 0;
  let editorId = 0;
  /** The body of every POST /api/tokens the page sent. */
  const created: Record<string, unknown>[] = [];

  const form = () => suite.page.getByRole('form', { name: 'Create a token' });
  const forUser = () => form().getByLabel('For user');
  const rowOf = (name: string) => suite.page.getByRole('row').filter({ hasText: name });

  /** Who the API says a bearer token acts as. */
  const whoIs = async (secret: string) => {
    const answer = await fetch(`${suite.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(answer.status).toBe(200);
    return (await answer.json()) as { id: number; email: string; name: string };
  };

  /** Fills the form, sends it and returns the secret shown once under `title`. */
  const createToken = async (name: string, title: string) => {
    await form().getByLabel('Name').fill(name);
    await form().getByRole('button', { name: 'Create token' }).click();
    const shown = suite.page.getByRole('region', { name: title });
    await shown.waitFor();
    return { shown, secret: await shown.getByLabel('The token').innerText() };
  };

  beforeAll(async () => {
    const tracker = suite.services.tracker;
    adminId = (await createUser(tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null })).id;
    const gone = await createUser(tracker, SYSTEM_ACTOR, { ...disabled, role: 'editor', partnerId: suite.world.partnerId });
    await updateUser(tracker, { ...SYSTEM_ACTOR, role: 'admin' }, gone.id, { disabled: true });
    editorId = suite.world.editorActor.userId ?? 0;
    suite.page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/tokens') created.push(request.postDataJSON() as Record<string, unknown>);
    });
  });

  it('offers an admin every enabled user under For user, themself first and chosen', async () => {
    await signIn(admin);
    await go('#/tokens');
    const { manager, editor, viewer } = suite.world;
    await expect.poll(() => forUser().locator('option').allInnerTexts()).toEqual([
      `You (${admin.name})`,
      `${editor.name} (${editor.email})`,
      `${manager.name} (${manager.email})`,
      `${viewer.name} (${viewer.email})`,
    ]);
    expect(await forUser().inputValue()).toBe(String(adminId));
    await expectAccessible('tokens, admin form');
  });

  it('creates a token for another user: shown once naming them, listed with their name, acting as them', async () => {
    const { editor } = suite.world;
    await forUser().selectOption({ label: `${editor.name} (${editor.email})` });
    await form().getByText(`This token acts as ${editor.name} (${editor.email}), with their role`).waitFor();
    const { shown, secret } = await createToken('editor nightly sync', `New token “editor nightly sync” for ${editor.name}`);
    expect(await shown.innerText()).toContain(`anyone who has it can use the API as ${editor.name}.`);
    expect(created.at(-1)).toEqual({ name: 'editor nightly sync', expiresInDays: 90, userId: editorId });
    await expectAccessible('tokens, shown for another user');

    // The list names whose token it is: the Owner column, the third.
    const row = rowOf('editor nightly sync');
    await row.waitFor();
    await expect.poll(() => row.getByRole('cell').nth(2).innerText()).toBe(editor.name);
    expect(await suite.page.getByRole('columnheader').nth(2).innerText()).toBe('Owner');

    // It really is the editor's token, not the admin's.
    const who = await whoIs(secret);
    expect([who.id, who.email, who.name]).toEqual([editorId, editor.email, editor.name]);

    // The choice goes back to yourself for the next token.
    expect(await forUser().inputValue()).toBe(String(adminId));
  });

  it('creates an admin’s own token as before: no userId sent, owner “you”', async () => {
    const { secret } = await createToken('admin reports', 'New token “admin reports”');
    expect(created.at(-1)).toEqual({ name: 'admin reports', expiresInDays: 90 });
    await expect.poll(() => rowOf('admin reports').getByRole('cell').nth(2).innerText()).toBe('you');
    expect((await whoIs(secret)).email).toBe(admin.email);
    await signOut();
  });

  it('shows a non-admin no user choice; their list has the token made for them', async () => {
    const { editor } = suite.world;
    await signIn(editor);
    await go('#/tokens');
    await form().waitFor();
    expect(await forUser().count()).toBe(0);
    await rowOf('editor nightly sync').waitFor();
    expect(await rowOf('admin reports').count()).toBe(0);
    expect(await suite.page.getByRole('columnheader', { name: 'Owner' }).count()).toBe(0);
    const { secret } = await createToken('my own script', 'New token “my own script”');
    expect(created.at(-1)).toEqual({ name: 'my own script', expiresInDays: 90 });
    expect((await whoIs(secret)).email).toBe(editor.email);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
