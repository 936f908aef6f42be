/**
 * API tokens for other users: an admin picks For user (default: themself), the token is shown once
 * naming whose it is, the list shows its owner, and the secret really acts as that user (GET /api/me).
 * A non-admin sees no user choice and sends no userId. The real server (seeded SQLite) and the built
 * web app in Debian's Chromium, as in web.test.ts; one browser for the file, the steps run in order.
 * Skips with a message when Chromium or web/dist is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR, createUser, updateUser } from '../../src/tracker/index.js';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';
import { expectAccessible, openBrowserPage, openPage } from './support/page.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

const admin = { email: 'ada.admin@unblock.test', password: 'admin-pass-2026', name: 'Ada Admin' };
const disabled = { email: 'dora.disabled@tidewater.test', password: 'disabled-pass-2026', name: 'Dora Gone' };

describe.skipIf(skipReason !== undefined)('API tokens for other users in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let adminId = 0;
  let editorId = 0;
  const consoleErrors: string[] = [];
  /** The body of every POST /api/tokens the page sent. */
  const created: Record<string, unknown>[] = [];

  const form = () => page.getByRole('form', { name: 'Create a token' });
  const forUser = () => form().getByLabel('For user');
  const rowOf = (name: string) => page.getByRole('row').filter({ hasText: name });

  const signIn = async (email: string, password: string) => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).waitFor();
  };

  /** Who the API says a bearer token acts as. */
  const whoIs = async (secret: string) => {
    const answer = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(answer.status).toBe(200);
    return (await answer.json()) as { id: number; email: string; name: string };
  };

  /** Fills the form, sends it and returns the secret shown once under `title`. */
  const createToken = async (name: string, title: string) => {
    await form().getByLabel('Name').fill(name);
    await form().getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('region', { name: title });
    await shown.waitFor();
    return { shown, secret: await shown.getByLabel('The token').innerText() };
  };

  beforeAll(async () => {
    server = await startE2eServer();
    const tracker = server.services.tracker;
    adminId = (await createUser(tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null })).id;
    const gone = await createUser(tracker, SYSTEM_ACTOR, { ...disabled, role: 'editor', partnerId: server.world.partnerId });
    await updateUser(tracker, { ...SYSTEM_ACTOR, role: 'admin' }, gone.id, { disabled: true });
    editorId = server.world.editorActor.userId ?? 0;
    ({ browser, page } = await openBrowserPage({ consoleErrors, allowedStatuses: [401] }));
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/tokens') created.push(request.postDataJSON() as Record<string, unknown>);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('offers an admin every enabled user under For user, themself first and chosen', async () => {
    await signIn(admin.email, admin.password);
    await openPage(page, server.url, '#/tokens');
    const { manager, editor, viewer } = server.world;
    await expect.poll(() => forUser().locator('option').allInnerTexts()).toEqual([
      `You (${admin.name})`,
      `${editor.name} (${editor.email})`,
      `${manager.name} (${manager.email})`,
      `${viewer.name} (${viewer.email})`,
    ]);
    expect(await forUser().inputValue()).toBe(String(adminId));
    await expectAccessible(page, 'tokens, admin form');
  });

  it('creates a token for another user: shown once naming them, listed with their name, acting as them', async () => {
    const { editor } = server.world;
    await forUser().selectOption({ label: `${editor.name} (${editor.email})` });
    await form().getByText(`This token acts as ${editor.name} (${editor.email}), with their role`).waitFor();
    const { shown, secret } = await createToken('editor nightly sync', `New token “editor nightly sync” for ${editor.name}`);
    expect(await shown.innerText()).toContain(`anyone who has it can use the API as ${editor.name}.`);
    expect(created.at(-1)).toEqual({ name: 'editor nightly sync', expiresInDays: 90, userId: editorId });
    await expectAccessible(page, 'tokens, shown for another user');

    // The list names whose token it is: the Owner column, the third.
    const row = rowOf('editor nightly sync');
    await row.waitFor();
    await expect.poll(() => row.getByRole('cell').nth(2).innerText()).toBe(editor.name);
    expect(await page.getByRole('columnheader').nth(2).innerText()).toBe('Owner');

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
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
  });

  it('shows a non-admin no user choice; their list has the token made for them', async () => {
    const { editor } = server.world;
    await signIn(editor.email, editor.password);
    await openPage(page, server.url, '#/tokens');
    await form().waitFor();
    expect(await forUser().count()).toBe(0);
    await rowOf('editor nightly sync').waitFor();
    expect(await rowOf('admin reports').count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Owner' }).count()).toBe(0);
    const { secret } = await createToken('my own script', 'New token “my own script”');
    expect(created.at(-1)).toEqual({ name: 'my own script', expiresInDays: 90 });
    expect((await whoIs(secret)).email).toBe(editor.email);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
