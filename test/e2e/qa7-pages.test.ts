/**
 * Fixes from the qa7 web pass, in Chromium on the test seed: a session that ends while a form is being
 * filled asks to sign in again over the page and keeps what was typed (another user starts afresh); a
 * date field keeps its focus ring on Chromium's calendar button; a note longer than the server stores
 * is said under the field and not sent; a reload asks before dropping unsaved edits; the sign-in and
 * new-user forms put the focus on the field to fix after a refusal, not on the suite.page.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, getEntitlement } from '../../src/tracker/index.js';
import { openPage } from './support/page.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('qa7 page fixes in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 409] });
  const { consoleErrors, expectAccessible, go, signIn, signInFresh } = suite;

  /** The id of the focused element, or its tag when it has none. */
  const focused = () => suite.page.evaluate<string>("document.activeElement?.id || document.activeElement?.tagName || ''");
  /** Requests that would write (anything but GET) to `path`, counted while a test runs. */
  const writes: string[] = [];

  beforeAll(async () => {
    suite.page.on('request', (request) => {
      if (request.method() !== 'GET') writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await signIn(suite.world.editor);
  });

  it('asks to sign in again over the page when the session ends, and keeps what was typed for the save', async () => {
    const id = suite.world.entitlements.ruleTarget;
    await go(`#/entitlements/${id}`);
    const note = 'Kick-off held with the IT lead; the pilot group is chosen and the first sites go live next month.';
    await suite.page.getByLabel('Status note').fill(note);
    await suite.page.getByLabel('Owner').fill('Priya Natarajan');

    // The session ends (a server restart without SESSION_SECRET, a password change elsewhere…).
    await suite.context.clearCookies();
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    // The refused save says what happened to it, in words for this page, not the API's.
    expect(await suite.page.locator('#status-errors').innerText()).toContain('Your session had ended, so this was not done.');
    expect(await dialog.getByLabel('Email').inputValue()).toBe(suite.world.editor.email);
    expect(await focused()).toBe('session-ended-password');
    await expectAccessible('session ended');
    // Escape does not close it: nothing on the page would work.
    await suite.page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);

    await dialog.getByLabel('Password').fill('not-the-password');
    await suite.page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await dialog.getByLabel('Password').fill(suite.world.editor.password);
    await suite.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // The page is the same page: what was typed is there, and focus is back on Save.
    expect(await suite.page.getByLabel('Status note').inputValue()).toBe(note);
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Priya Natarajan');
    expect(await suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Save status');
    await suite.page.keyboard.press('Enter');
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const stored = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    expect([stored.note, stored.owner]).toEqual([note, 'Priya Natarajan']);
  });

  it('starts another user who signs in over an ended session on their own first page, with nothing of the previous page; Sign out instead, and a wrong password there', async () => {
    const id = suite.world.entitlements.ruleTarget;
    await go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Owner').fill('Someone Typed This');
    await suite.context.clearCookies();
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Email').fill(suite.world.viewer.email);
    await dialog.getByLabel('Password').fill(suite.world.viewer.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await suite.page.waitForURL((url) => url.hash === '#/triage');
    await suite.page.getByRole('heading', { name: 'Triage a status note', level: 1 }).waitFor();
    expect(await suite.page.getByText('Vera Lind').count()).toBe(1);
    expect(await suite.page.getByLabel('Owner').count()).toBe(0);

    // Sign out instead: the ordinary sign-in suite.page.
    await suite.context.clearCookies();
    await go('#/portfolio');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Sign out instead' }).click();
    await suite.page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    // A wrong password sent with the button puts the focus back on the password, not on the suite.page.
    await suite.page.getByLabel('Email').fill(suite.world.editor.email);
    await suite.page.getByLabel('Password').fill('not-the-password');
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await expect.poll(focused).toBe('password');
    await signIn(suite.world.editor);
  });

  it('keeps a date field’s focus ring while Chromium’s calendar button, a Tab stop of its own, has the focus', async () => {
    await go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('L1 status').selectOption('In Progress');
    const field = suite.page.getByLabel('Target date');
    await field.focus();
    const stops: { id: string; focus: boolean; outline: string }[] = [];
    for (let i = 0; i < 6; i++) {
      stops.push(await suite.page.evaluate<{ id: string; focus: boolean; outline: string }>("(() => { const a = document.activeElement; return { id: a.id, focus: a.matches(':focus'), outline: getComputedStyle(a).outlineStyle }; })()"));
      await suite.page.keyboard.press('Tab');
    }
    const inField = stops.filter((s) => s.id === 'status-targetDate');
    // Month, day, year, then the calendar button (the field itself then no longer matches :focus).
    expect(inField.map((s) => s.focus)).toEqual([true, true, true, false]);
    expect(inField.map((s) => s.outline)).toEqual(['solid', 'solid', 'solid', 'solid']);
    expect(stops[inField.length]?.id).toBe('status-engagementStartDate');
  });

  it('says under the note that it is longer than the server keeps, and sends nothing', async () => {
    await go(`#/entitlements/${suite.world.entitlements.triageTarget}`);
    const long = `${'The customer forwarded the whole mail thread with their change board. '.repeat(60)}`.slice(0, 4_120);
    await suite.page.getByLabel('Status note').fill(long);
    writes.length = 0;
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(focused).toBe('status-note');
    expect(await suite.page.locator('#status-note-issues').innerText()).toContain('The note is 4,120 characters long; the server keeps at most 4,000: shorten it by 120.');
    expect(await suite.page.getByLabel('Status note').inputValue()).toBe(long);
    expect(writes).toEqual([]);
  });

  it('asks before a reload or a closed tab drops edits not saved yet, and not when there are none', async () => {
    const dialogs = async (edit: boolean) => {
      const other = await suite.context.newPage();
      const seen: string[] = [];
      other.on('dialog', (d) => {
        seen.push(d.type());
        void d.accept();
      });
      await openPage(other, suite.url, `#/entitlements/${suite.world.entitlements.conflictTarget}`);
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
    await signInFresh(suite.world.manager);
    await go('#/users');
    await suite.page.getByLabel('Email', { exact: true }).fill(suite.world.editor.email);
    await suite.page.getByLabel('Name', { exact: true }).fill('Another Eddie');
    await suite.page.getByRole('button', { name: 'Add user' }).click();
    await suite.page.getByRole('alert').filter({ hasText: 'This email already belongs to a user.' }).waitFor();
    await expect.poll(focused).toBe('new-user-email');
    expect(await suite.page.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await suite.page.getByLabel('Name', { exact: true }).inputValue()).toBe('Another Eddie');
    // A problem found before sending goes to its field too.
    await suite.page.getByLabel('Email', { exact: true }).fill('new.person@tidewater.test');
    await suite.page.getByLabel('Password (optional)').fill('short');
    await suite.page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(focused).toBe('new-user-password');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
