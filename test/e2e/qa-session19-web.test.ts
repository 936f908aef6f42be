/**
 * Web QA in Chromium on the test seed (session 19).
 *
 * - Export CSV was a plain link, so its request could not name the tab's user (X-Unblock-User): after
 *   another user signed in elsewhere in the browser it exported as them, and a refusal came as a failed
 *   download with nothing said on the page. It now goes through a request like every other one: the
 *   server's file name is kept, a refusal is said on the page, and SESSION_CHANGED shows "Your session
 *   has ended" at once (it showed only once the user came back to the tab).
 * - The notice naming typed values a lowered role can no longer save was on the entitlement form only:
 *   the customer page's forms vanished with what was typed in them, and the bulk panel stayed open with
 *   an Apply button the server refuses. They now turn read-only, keep the values and say so.
 * - The chart's own Tab stop (its keyboard layer) had no accessible name: it now says which chart it is.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Download, Request } from 'playwright-core';
import { SYSTEM_ACTOR, createCustomer, createUser, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';
import { filenameFromDisposition } from '../../web/src/lib/content-disposition.js';

const nia = { email: 'nia.holm@tidewater.test', name: 'Nia Holm', password: 'nia-own-choice-19' };
const oskar = { email: 'oskar.lund@tidewater.test', name: 'Oskar Lund', password: 'oskar-own-choice-19' };
const EXPORT_PATH = '/api/export/entitlements.csv';

describe('filenameFromDisposition', () => {
  it('reads the name a Content-Disposition header gives, filename* first, else the fallback', () => {
    expect(filenameFromDisposition('attachment; filename="unblock-entitlements-2026-11-27.csv"', 'x.csv')).toBe('unblock-entitlements-2026-11-27.csv');
    expect(filenameFromDisposition('attachment; filename=plain.csv', 'x.csv')).toBe('plain.csv');
    expect(filenameFromDisposition('attachment; filename="say \\"hi\\".csv"', 'x.csv')).toBe('say "hi".csv');
    expect(filenameFromDisposition("attachment; filename=\"a.csv\"; filename*=UTF-8''%C3%BCber.csv", 'x.csv')).toBe('über.csv');
    expect(filenameFromDisposition("attachment; filename*=iso-8859-1'en'%E9t%E9.csv", 'x.csv')).toBe('été.csv');
    // A malformed escape falls back to the plain name; a folder part is dropped.
    expect(filenameFromDisposition("attachment; filename=\"ok.csv\"; filename*=UTF-8''%E0%A4.csv", 'x.csv')).toBe('ok.csv');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x.csv')).toBe('passwd');
    for (const header of [null, '', 'attachment', 'attachment; filename=""', 'inline; filename="/"']) expect(filenameFromDisposition(header, 'x.csv')).toBe('x.csv');
  });
});

describeInBrowser('web QA session 19 in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 500] });
  const { consoleErrors } = suite;
  let niaId = 0;
  let oskarId = 0;

  beforeAll(async () => {
    niaId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...nia, role: 'manager', partnerId: suite.world.partnerId })).id;
    oskarId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...oskar, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  /** The id of the user the browser's session is (read with the page's own cookie). */
  const sessionUserId = async () => {
    const body = await suite.page.evaluate(async () => (await fetch('/api/me')).json() as Promise<{ id?: number; user?: { id: number } }>);
    return body.user?.id ?? body.id;
  };

  /** Every export request the page sends from now on. */
  const watchExports = () => {
    const seen: Request[] = [];
    suite.page.on('request', (request) => {
      if (new URL(request.url()).pathname === EXPORT_PATH) seen.push(request);
    });
    return seen;
  };

  /** Another user signs in elsewhere in this browser: the shared cookie becomes theirs before this tab hears of it. */
  const cookieBecomesManagers = async () => {
    const { manager } = suite.world;
    const login = await fetch(`${suite.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: manager.email, password: manager.password }) });
    expect(login.status).toBe(200);
    const cookie = /^unblock_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    await suite.context.addCookies([{ name: 'unblock_session', value: cookie!, url: suite.url }]);
  };

  const exportControl = () => suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' });

  it('exports through a request naming the tab’s user, with the server’s file name, from the keyboard', async () => {
    await suite.signInFresh(suite.world.editor);
    const editorId = await sessionUserId();
    await suite.go('#/portfolio?l1=Blocked');
    const count = suite.page.locator('.result-count');
    await expect.poll(async () => count.innerText()).toMatch(/^\d+ entitlement\(s\)$/);
    const shown = Number((await count.innerText()).split(' ')[0]);
    const exports = watchExports();

    // Still a link in the Tab order, started with Enter.
    await exportControl().focus();
    expect(await suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Export CSV');
    const [download] = await Promise.all([suite.page.waitForEvent('download'), suite.page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^unblock-entitlements-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(csv.length - 1).toBe(shown);
    for (const line of csv.slice(1)) expect(line).toContain('Blocked');
    expect(exports).toHaveLength(1);
    expect(await exports[0]!.headerValue('x-unblock-user')).toBe(String(editorId));
    expect(new URL(exports[0]!.url()).searchParams.get('l1')).toBe('Blocked');

    // Off while Min days is above Max days, but still reached with Tab, described by the hint saying why.
    await suite.go('#/portfolio?minDays=100&maxDays=10');
    await suite.page.locator('#days-hint').waitFor();
    const off = exportControl();
    expect(await off.getAttribute('aria-disabled')).toBe('true');
    await suite.page.getByRole('button', { name: 'Clear filters' }).focus();
    await suite.page.keyboard.press('Tab');
    expect(await suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Export CSV');
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForTimeout(300);
    expect(exports).toHaveLength(1);
    await suite.go('#/portfolio?l1=Blocked');
    await expect.poll(async () => count.innerText()).toMatch(/^\d+ entitlement\(s\)$/);
  });

  it('names the download as the server’s Content-Disposition does, filename* included', async () => {
    await suite.page.route(`**${EXPORT_PATH}*`, (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': "attachment; filename=\"plain.csv\"; filename*=UTF-8''Blocked%20%C3%BCber%20alles.csv" }, body: 'id\n1\n' }),
    );
    try {
      const [download] = await Promise.all([suite.page.waitForEvent('download'), exportControl().click()]);
      expect(download.suggestedFilename()).toBe('Blocked über alles.csv');
    } finally {
      await suite.page.unrouteAll();
    }
  });

  it('says on the page why an export failed or could not be fetched', async () => {
    const downloads: Download[] = [];
    const onDownload = (d: Download) => downloads.push(d);
    suite.page.on('download', onDownload);
    try {
      await suite.page.route(`**${EXPORT_PATH}*`, (route) =>
        route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message: 'The export could not be read from the database.' } }) }),
      );
      await exportControl().click();
      const alert = suite.page.getByRole('alert').filter({ hasText: 'The export could not be read from the database.' });
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/export/i);
      await suite.page.unrouteAll();

      await suite.page.route(`**${EXPORT_PATH}*`, (route) => route.abort('connectionreset'));
      await exportControl().click();
      await suite.page.getByRole('alert').filter({ hasText: /server could not be reached|stopped/i }).waitFor();
      await suite.page.unrouteAll();

      // A good export afterwards clears the message.
      const [download] = await Promise.all([suite.page.waitForEvent('download'), exportControl().click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      await expect.poll(() => suite.page.getByRole('alert').filter({ hasText: /export/i }).count()).toBe(0);
      expect(downloads).toHaveLength(1);
    } finally {
      suite.page.off('download', onDownload);
      await suite.page.unrouteAll();
    }
  });

  it('shows "Your session has ended" at once when the export is refused for another user’s cookie, and exports nothing', async () => {
    const { editor } = suite.world;
    await suite.signInFresh(editor);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    const downloads: Download[] = [];
    const onDownload = (d: Download) => downloads.push(d);
    suite.page.on('download', onDownload);
    try {
      await cookieBecomesManagers();
      // No return to the tab (no focus or visibilitychange): the refusal of the export itself shows the dialog.
      await exportControl().click();
      const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
      await dialog.waitFor({ timeout: 3000 });
      expect(await dialog.innerText()).toContain('Someone signed in as another user');
      expect(downloads).toHaveLength(0);

      await dialog.getByLabel('Password').fill(editor.password);
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      await dialog.waitFor({ state: 'detached' });
      const [download] = await Promise.all([suite.page.waitForEvent('download'), exportControl().click()]);
      expect(download.suggestedFilename()).toMatch(/^unblock-entitlements-/);
    } finally {
      suite.page.off('download', onDownload);
    }
  });

  it('keeps what was typed in the customer page’s forms, read-only, and names it, when the role is lowered under them', async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'lowered-role.example', name: 'Lowered Role Ltd', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    await suite.signInFresh(nia);
    await suite.go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Edit details' }).click();
    const details = suite.page.getByRole('form', { name: 'Edit details' });
    await details.getByLabel('Region (optional)').fill('APAC');
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    const add = suite.page.getByRole('form', { name: 'Add a workload' });
    await add.getByLabel('Workload', { exact: true }).selectOption({ label: 'Intune' });

    // An admin makes Nia an editor; her save is refused for it.
    await updateUser(ctx, SYSTEM_ACTOR, niaId, { role: 'editor' });
    await details.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('editor');

    const detailsNotice = details.locator('.role-lost');
    await detailsNotice.waitFor();
    const said = await detailsNotice.innerText();
    expect(said).toMatch(/not saved/i);
    expect(said).toContain('editor');
    expect(said).toContain('Region');
    expect(said).toMatch(/copy/i);
    expect(await details.getByLabel('Region (optional)').inputValue()).toBe('APAC');
    expect(await details.getByLabel('Region (optional)').isDisabled()).toBe(true);
    expect(await details.getByRole('button', { name: 'Save details' }).count()).toBe(0);

    const addNotice = add.locator('.role-lost');
    await addNotice.waitFor();
    expect(await addNotice.innerText()).toContain('Workload');
    expect(await add.getByLabel('Workload', { exact: true }).isDisabled()).toBe(true);
    expect(await add.getByRole('button', { name: 'Add workload' }).count()).toBe(0);

    // Nothing can be saved now, so leaving does not ask; Cancel closes a form for good.
    await details.getByRole('button', { name: 'Cancel' }).click();
    expect(await suite.page.getByRole('form', { name: 'Edit details' }).count()).toBe(0);
    expect(await suite.page.getByRole('button', { name: 'Edit details' }).count()).toBe(0);

    // An editor made a viewer under "Mark customer Duplicate/Invalid…".
    await updateUser(ctx, SYSTEM_ACTOR, niaId, { role: 'editor' });
    await suite.go('#/portfolio');
    await suite.go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).click();
    const mark = suite.page.getByRole('form', { name: 'Mark every entitlement Duplicate/Invalid' });
    await mark.getByLabel(/Why is this tenant/).fill('A test tenant of the partner');
    await updateUser(ctx, SYSTEM_ACTOR, niaId, { role: 'viewer' });
    await mark.getByRole('button', { name: /^Mark \d+ entitlement/ }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');
    const markNotice = mark.locator('.role-lost');
    await markNotice.waitFor();
    expect(await markNotice.innerText()).toContain('viewer');
    expect(await mark.getByLabel(/Why is this tenant/).inputValue()).toBe('A test tenant of the partner');
    expect(await mark.getByLabel(/Why is this tenant/).isDisabled()).toBe(true);
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    expect(await suite.page.getByRole('dialog', { name: 'Leave without saving?' }).count()).toBe(0);
    await updateUser(ctx, SYSTEM_ACTOR, niaId, { role: 'manager' });
  });

  it('keeps the bulk panel’s values, read-only and named, when the role is lowered under it', async () => {
    await suite.signInFresh(oskar);
    await suite.go('#/portfolio');
    await suite.page.locator('.vbody [role=row] input[type=checkbox]').first().check();
    await suite.page.getByRole('button', { name: 'Change status of 1 selected' }).click();
    const panel = suite.page.getByRole('form', { name: /^Change status of 1 entitlement/ });
    await panel.getByLabel('L1 status').selectOption('Status Unknown');
    await panel.getByLabel('L2 reason').selectOption('Customer Unresponsive');
    await panel.getByLabel('Status note').fill('Typed by Oskar before his role changed');
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, oskarId, { role: 'viewer' });
    await panel.getByRole('button', { name: 'Apply to 1' }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');

    const notice = panel.locator('.role-lost');
    await notice.waitFor();
    const said = await notice.innerText();
    expect(said).toMatch(/not saved/i);
    expect(said).toContain('viewer');
    for (const field of ['L1 status', 'L2 reason', 'Status note']) expect(said).toContain(field);
    expect(await panel.getByLabel('Status note').inputValue()).toBe('Typed by Oskar before his role changed');
    expect(await panel.getByLabel('Status note').isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Apply to 1' }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Cancel' }).click();
    expect(await suite.page.getByRole('form', { name: /^Change status of/ }).count()).toBe(0);
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, oskarId, { role: 'editor' });
  });

  it('names each chart’s keyboard layer after its chart in Chromium’s accessibility tree', async () => {
    await suite.signInFresh(suite.world.manager);
    const cdp: CDPSession = await suite.context.newCDPSession(suite.page);
    try {
      for (const [report, name] of [
        ['blockers', 'Blockers by reason chart'],
        ['ageing', null],
      ] as const) {
        await suite.go(`#/reports?report=${report}`);
        const figure = suite.page.getByTestId('report-chart');
        await figure.locator('svg[tabindex="0"]').waitFor();
        const expected = name ?? (await figure.getAttribute('aria-label'));
        expect(expected).toMatch(/ chart$/);
        const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value?: string }; name?: { value?: string }; ignored?: boolean }[] };
        const layers = nodes.filter((n) => !n.ignored && n.role?.value === 'application');
        expect(layers.map((n) => n.name?.value)).toEqual([expected]);
        // The same name as Playwright reads it, on the element that takes the focus.
        await suite.page.getByRole('application', { name: expected!, exact: true }).focus();
        expect(await suite.page.evaluate<string>("document.activeElement?.tagName.toLowerCase() ?? ''")).toBe('svg');
      }
    } finally {
      await cdp.detach();
    }
  });

  it('printed no console errors on the way', () => {
    // Chromium logs a cut connection itself (the export aborted on purpose above).
    expect(consoleErrors.filter((e) => !/ERR_CONNECTION_RESET/.test(e))).toEqual([]);
  });
});
