/**
 * Fixes from the qa7 web pass, in Chromium on the test seed: a session that ends while a form is being
 * filled asks to sign in again over the page and keeps what was typed (another user starts afresh); a
 * date field keeps its focus ring on Chromium's calendar button; a note longer than the server stores
 * is said under the field and not sent; a reload asks before dropping unsaved edits; the sign-in and
 * new-user forms put the focus on the field to fix after a refusal, not on the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SYSTEM_ACTOR, getEntitlement } from '../../src/tracker/index.js';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';
import { expectAccessible, openBrowserPage, openPage, signIn } from './support/page.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('qa7 page fixes in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const go = (hash: string) => openPage(page, server.url, hash);
  /** The id of the focused element, or its tag when it has none. */
  const focused = () => page.evaluate<string>("document.activeElement?.id || document.activeElement?.tagName || ''");
  /** Requests that would write (anything but GET) to `path`, counted while a test runs. */
  const writes: string[] = [];

  beforeAll(async () => {
    server = await startE2eServer();
    ({ browser, context, page } = await openBrowserPage({ consoleErrors, allowedStatuses: [401, 409] }));
    page.on('request', (request) => {
      if (request.method() !== 'GET') writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await signIn(page, server.url, server.world.editor);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks to sign in again over the page when the session ends, and keeps what was typed for the save', async () => {
    const id = server.world.entitlements.ruleTarget;
    await go(`#/entitlements/${id}`);
    const note = 'Kick-off held with the IT lead; the pilot group is chosen and the first sites go live next month.';
    await page.getByLabel('Status note').fill(note);
    await page.getByLabel('Owner').fill('Priya Natarajan');

    // The session ends (a server restart without SESSION_SECRET, a password change elsewhere…).
    await context.clearCookies();
    await page.getByRole('button', { name: 'Save status' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    // The refused save says what happened to it, in words for this page, not the API's.
    expect(await page.locator('#status-errors').innerText()).toContain('Your session had ended, so this was not done.');
    expect(await dialog.getByLabel('Email').inputValue()).toBe(server.world.editor.email);
    expect(await focused()).toBe('session-ended-password');
    await expectAccessible(page, 'session ended');
    // Escape does not close it: nothing on the page would work.
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);

    await dialog.getByLabel('Password').fill('not-the-password');
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await dialog.getByLabel('Password').fill(server.world.editor.password);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // The page is the same page: what was typed is there, and focus is back on Save.
    expect(await page.getByLabel('Status note').inputValue()).toBe(note);
    expect(await page.getByLabel('Owner').inputValue()).toBe('Priya Natarajan');
    expect(await page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Save status');
    await page.keyboard.press('Enter');
    await page.getByText('Saved.').waitFor();
    const stored = await getEntitlement(server.services.tracker, SYSTEM_ACTOR, id);
    expect([stored.note, stored.owner]).toEqual([note, 'Priya Natarajan']);
  });

  it('starts another user who signs in over an ended session on their own first page, with nothing of the previous page; Sign out instead, and a wrong password there', async () => {
    const id = server.world.entitlements.ruleTarget;
    await go(`#/entitlements/${id}`);
    await page.getByLabel('Owner').fill('Someone Typed This');
    await context.clearCookies();
    await page.getByRole('button', { name: 'Save status' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Email').fill(server.world.viewer.email);
    await dialog.getByLabel('Password').fill(server.world.viewer.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForURL((url) => url.hash === '#/triage');
    await page.getByRole('heading', { name: 'Triage a status note', level: 1 }).waitFor();
    expect(await page.getByText('Vera Lind').count()).toBe(1);
    expect(await page.getByLabel('Owner').count()).toBe(0);

    // Sign out instead: the ordinary sign-in page.
    await context.clearCookies();
    await go('#/portfolio');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Sign out instead' }).click();
    await page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    // A wrong password sent with the button puts the focus back on the password, not on the page.
    await page.getByLabel('Email').fill(server.world.editor.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await expect.poll(focused).toBe('password');
    await signIn(page, server.url, server.world.editor);
  });

  it('keeps a date field’s focus ring while Chromium’s calendar button, a Tab stop of its own, has the focus', async () => {
    await go(`#/entitlements/${server.world.entitlements.ruleTarget}`);
    await page.getByLabel('L1 status').selectOption('In Progress');
    const field = page.getByLabel('Target date');
    await field.focus();
    const stops: { id: string; focus: boolean; outline: string }[] = [];
    for (let i = 0; i < 6; i++) {
      stops.push(await page.evaluate<{ id: string; focus: boolean; outline: string }>("(() => { const a = document.activeElement; return { id: a.id, focus: a.matches(':focus'), outline: getComputedStyle(a).outlineStyle }; })()"));
      await page.keyboard.press('Tab');
    }
    const inField = stops.filter((s) => s.id === 'status-targetDate');
    // Month, day, year, then the calendar button (the field itself then no longer matches :focus).
    expect(inField.map((s) => s.focus)).toEqual([true, true, true, false]);
    expect(inField.map((s) => s.outline)).toEqual(['solid', 'solid', 'solid', 'solid']);
    expect(stops[inField.length]?.id).toBe('status-engagementStartDate');
  });

  it('says under the note that it is longer than the server keeps, and sends nothing', async () => {
    await go(`#/entitlements/${server.world.entitlements.triageTarget}`);
    const long = `${'The customer forwarded the whole mail thread with their change board. '.repeat(60)}`.slice(0, 4_120);
    await page.getByLabel('Status note').fill(long);
    writes.length = 0;
    await page.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(focused).toBe('status-note');
    expect(await page.locator('#status-note-issues').innerText()).toContain('The note is 4,120 characters long; the server keeps at most 4,000: shorten it by 120.');
    expect(await page.getByLabel('Status note').inputValue()).toBe(long);
    expect(writes).toEqual([]);
  });

  it('asks before a reload or a closed tab drops edits not saved yet, and not when there are none', async () => {
    const dialogs = async (edit: boolean) => {
      const other = await context.newPage();
      const seen: string[] = [];
      other.on('dialog', (d) => {
        seen.push(d.type());
        void d.accept();
      });
      await openPage(other, server.url, `#/entitlements/${server.world.entitlements.conflictTarget}`);
      await other.getByLabel('Owner').click();
      if (edit) await other.keyboard.type('Nina Berg');
      await other.close({ runBeforeUnload: true });
      await expect.poll(() => other.isClosed()).toBe(true);
      return seen;
    };
    expect(await dialogs(true)).toEqual(['beforeunload']);
    expect(await dialogs(false)).toEqual([]);
  });

  it('puts the focus on the field the server refused when adding a user, keeping what was typed', async () => {
    await context.clearCookies();
    await signIn(page, server.url, server.world.manager);
    await go('#/users');
    await page.getByLabel('Email', { exact: true }).fill(server.world.editor.email);
    await page.getByLabel('Name', { exact: true }).fill('Another Eddie');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('alert').filter({ hasText: 'This email already belongs to a user.' }).waitFor();
    await expect.poll(focused).toBe('new-user-email');
    expect(await page.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Another Eddie');
    // A problem found before sending goes to its field too.
    await page.getByLabel('Email', { exact: true }).fill('new.person@tidewater.test');
    await page.getByLabel('Password (optional)').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(focused).toBe('new-user-password');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
