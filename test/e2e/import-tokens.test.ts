/**
 * The Import and API tokens pages in the browser: a good CSV imported with its counts, a file with a
 * bad row refused with its line in the report and nothing changed, a conflict offered again with the
 * same file, a file too large; a viewer without Import; a token created, shown once, working against
 * the API, then revoked (401). The real server (seeded SQLite) and the built web app in Debian's
 * Chromium, as in web.test.ts; one browser for the file, the steps run in order. Skips with a message
 * when Chromium or web/dist is missing.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { IMPORT_COLUMNS, SYSTEM_ACTOR, createUser, listEntitlements } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const admin = { email: 'ada.admin@unblock.test', password: 'admin-pass-2026', name: 'Ada Admin' };
const IMPORT_URL = '**/api/import/entitlements*';
const NEW_NOTE = 'Intune enrolment starts with the warehouse scanners; the pilot group of forty devices is enrolled next week.';

describeInBrowser('import and API tokens in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 409, 413, 422] });
  const { consoleErrors, expectAccessible, go, signIn, signOut } = suite;
  /** Every import request the page made: its query and its body. */
  const importRequests: { search: string; body: string }[] = [];

  const menu = () => suite.page.getByRole('navigation', { name: 'Main' });

  /** The whole export, as this browser's session reads it: every stored field and version of every entitlement. */
  const exportAll = () => suite.page.evaluate(async () => (await fetch('/api/export/entitlements.csv?sort=id')).text());

  const chooseFile = (name: string, text: string) =>
    suite.page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

  const entitlementOf = async (tenant: string, workload: string) => {
    const items = (await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { q: tenant, pageSize: 100 })).items;
    return items.find((e) => e.tenantId === tenant && e.workload === workload);
  };

  beforeAll(async () => {
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    await suite.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.url });
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/import/entitlements') importRequests.push({ search: url.search, body: request.postData() ?? '' });
    });
    // Chromium hands the test a request's file body only when the request is intercepted.
    await suite.page.route(IMPORT_URL, (route) => route.continue());
  });

  it('imports a good file as a manager: preview, progress, then the counts and a link to the portfolio', async () => {
    const { manager } = suite.world;
    await signIn(manager);
    expect(await menu().getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Import', 'Reports', 'Playbook', 'Users']);
    await menu().getByRole('link', { name: 'Import' }).click();
    await suite.page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    expect(await menu().getByRole('link', { name: 'Import' }).getAttribute('aria-current')).toBe('page');
    expect(await suite.page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    expect(await suite.page.getByLabel('Advise (grade notes and check codes)').isChecked()).toBe(true);
    await expectAccessible('import, no file');
    // The column list on the page is the server's.
    const summary = suite.page.locator('summary', { hasText: 'Columns the import reads' });
    await summary.click();
    const columns = suite.page.getByRole('table', { name: 'Each column and what it holds' });
    expect(await columns.locator('tbody td:first-child').allInnerTexts()).toEqual([...IMPORT_COLUMNS]);
    await expectAccessible('import, columns');
    await summary.click();

    const orchard = await entitlementOf('orchard-schools.example', 'exchange-online');
    const intuneBefore = await entitlementOf('harbour-logistics.example', 'intune');
    const csv = [
      'tenant_id,workload,customer,note',
      `harbour-logistics.example,intune,,${NEW_NOTE}`,
      `orchard-schools.example,exchange-online,,"${orchard!.note}"`,
      'kestrel-foods.example,teams,Kestrel Foods,',
    ].join('\n');
    await chooseFile('statuses.csv', csv);
    await suite.page.locator('.file-facts').getByText('statuses.csv').waitFor();
    expect(await suite.page.locator('.file-facts').innerText()).toContain(`${Buffer.byteLength(csv)} B`);
    const preview = suite.page.getByRole('table', { name: 'The first rows of the file' });
    expect(await preview.locator('thead th').allInnerTexts()).toEqual(['Line', 'tenant_id', 'workload', 'customer', 'note']);
    expect(await preview.locator('tbody tr td:first-child').allInnerTexts()).toEqual(['2', '3', '4']);
    await suite.page.getByText('The first 3 rows, the whole file.').waitFor();
    await expectAccessible('import, preview');

    // While the server works, the page says so and nothing can be changed; the request is held here to see it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      await held;
      await route.continue();
    };
    await suite.page.route(IMPORT_URL, hold);
    await suite.page.getByRole('button', { name: 'Import', exact: true }).click();
    // (Chromium reports no upload progress for an intercepted request, so the page says both steps.)
    const progress = suite.page.getByRole('status').filter({ hasText: 'Sending the file; the server then checks and imports every row…' });
    await progress.waitFor();
    expect(await suite.page.getByRole('button', { name: 'Importing…' }).isDisabled()).toBe(true);
    expect(await suite.page.getByLabel('Choose a CSV file, or drop it here').isDisabled()).toBe(true);
    expect(await suite.page.getByLabel('Advise (grade notes and check codes)').isDisabled()).toBe(true);
    release();
    const result = suite.page.getByRole('region', { name: 'Imported statuses.csv' });
    await result.waitFor();
    await suite.page.unroute(IMPORT_URL, hold);
    expect(await progress.count()).toBe(0);
    const facts = await result.locator('dl').innerText();
    expect(facts).toMatch(/Rows in the file\s+3/);
    expect(facts).toMatch(/Customers created\s+1/);
    expect(facts).toMatch(/Entitlements created\s+1/);
    expect(facts).toMatch(/Entitlements updated\s+1/);
    expect(facts).toMatch(/Unchanged\s+1/);
    expect(importRequests.at(-1)).toEqual({ search: '', body: csv });
    // Stored as the counts say.
    const intuneAfter = await entitlementOf('harbour-logistics.example', 'intune');
    expect(intuneAfter!.note).toBe(NEW_NOTE);
    expect(intuneAfter!.version).toBe(intuneBefore!.version + 1);
    expect((await entitlementOf('orchard-schools.example', 'exchange-online'))!.version).toBe(orchard!.version);
    expect(await entitlementOf('kestrel-foods.example', 'teams')).toBeDefined();
    await expectAccessible('import, done');

    await result.getByRole('link', { name: 'Open the portfolio' }).click();
    await suite.page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
    expect(suite.page.url()).toMatch(/#\/portfolio\?sort=-updated$/);
  });

  it('refuses a file with a bad row: its line in the report, and nothing imported', async () => {
    await go('#/import');
    const before = await exportAll();
    const past = addDays(new Date(), -10);
    const csv = [
      'tenant_id,workload,l1,l2,note,target_date',
      'harbour-logistics.example,sharepoint-online,In Progress,Migration,Sites move library by library; the intranet goes first because it is smallest.,' + addDays(new Date(), 40),
      `lindqvist-dental.example,teams,In Progress,Migration,Chats and channels move after the clinics finish the pilot.,${past}`,
      'orchard-schools.example,exchange-online,,,A note that would change if this file were imported at all.,',
    ].join('\r\n');
    // Dropped on the page this time.
    await suite.page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File([${JSON.stringify(csv)}], 'bad-row.csv', { type: 'text/csv' }));
      document.querySelector('[data-testid=drop-zone]').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await suite.page.locator('.file-facts').getByText('bad-row.csv').waitFor();
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    // Without advice this time: the request says so.
    await suite.page.getByLabel('Advise (grade notes and check codes)').uncheck();
    await suite.page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = suite.page.getByRole('region', { name: 'bad-row.csv was not imported' });
    await result.waitFor();
    expect(importRequests.at(-1)!.search).toBe('?advise=false');
    await result.getByRole('alert').getByText('CSV_INVALID').waitFor();
    const report = result.getByRole('table', { name: 'Problems by row' });
    const rows = await report.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    // Only the row with the past target date (line 3) has a problem, and it names the date.
    expect(rows.every((r) => r.startsWith('3\t'))).toBe(true);
    expect(rows.join('\n')).toMatch(/target/i);
    await expectAccessible('import, row report');
    // Nothing changed: the export, versions included, is the same as before.
    expect(await exportAll()).toBe(before);
  });

  it('offers Try again after a conflict, sending the same file, and explains a file too large', async () => {
    const csv = `tenant_id,workload,note\nharbour-logistics.example,intune,${NEW_NOTE} The scanners are enrolled.\n`;
    const intune = await entitlementOf('harbour-logistics.example', 'intune');
    // The first request meets a 409 as the server sends it when an entitlement changes during the import.
    let answered = 0;
    const conflictOnce = async (route: Route) => {
      if (answered++ > 0) return route.continue();
      await route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'VERSION_CONFLICT',
            message: '1 of 1 row(s) name entitlements that someone changed while the file was being imported (line 2); nothing was imported.',
            details: { rows: [{ line: 2, id: intune!.id, fileVersion: null, readVersion: intune!.version, currentVersion: intune!.version + 1 }], conflictingRows: 1, truncated: false },
          },
        }),
      });
    };
    await suite.page.route(IMPORT_URL, conflictOnce);
    await chooseFile('again.csv', csv);
    await suite.page.getByLabel('Advise (grade notes and check codes)').check();
    await suite.page.getByRole('button', { name: 'Import', exact: true }).click();
    const failed = suite.page.getByRole('region', { name: 'again.csv was not imported' });
    const conflict = failed.getByRole('table', { name: 'Rows whose entitlements changed meanwhile' });
    await conflict.waitFor();
    expect(await conflict.locator('tbody tr').allInnerTexts()).toEqual([`2\t#${intune!.id}\t—\t${intune!.version}\t${intune!.version + 1}`]);
    expect(await conflict.getByRole('link', { name: `#${intune!.id}` }).getAttribute('href')).toBe(`#/entitlements/${intune!.id}`);
    await expectAccessible('import, conflict');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await suite.page.getByRole('region', { name: 'Imported again.csv' }).waitFor();
    expect(importRequests.slice(-2)).toEqual([{ search: '', body: csv }, { search: '', body: csv }]);
    expect((await entitlementOf('harbour-logistics.example', 'intune'))!.note).toBe(`${NEW_NOTE} The scanners are enrolled.`);
    await suite.page.unroute(IMPORT_URL, conflictOnce);

    const tooLarge = (route: Route) =>
      route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The CSV file is larger than 100 MiB; split it into smaller files.' } }) });
    await suite.page.route(IMPORT_URL, tooLarge);
    await chooseFile('huge.csv', csv);
    await suite.page.getByRole('button', { name: 'Import', exact: true }).click();
    await suite.page.getByRole('region', { name: 'huge.csv was not imported' }).getByRole('alert').getByText('larger than this server accepts').waitFor();
    await suite.page.unroute(IMPORT_URL, tooLarge);
    await signOut();
  });

  it('gives a viewer no Import: not in the menu, and the address says why', async () => {
    const { viewer } = suite.world;
    await signIn(viewer);
    expect(await menu().getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Reports', 'Playbook']);
    await go('#/import');
    await suite.page.getByText('Importing changes statuses, which your role cannot do.').waitFor();
    expect(await suite.page.getByLabel('Choose a CSV file, or drop it here').count()).toBe(0);
  });

  let secret = '';

  it('creates a token shown once, with Copy, that works against the API', async () => {
    const { viewer } = suite.world;
    await suite.page.getByRole('banner').getByRole('link', { name: 'API tokens' }).click();
    await suite.page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    await suite.page.getByText('No tokens yet.').waitFor();
    await expectAccessible('tokens, empty');

    const form = suite.page.getByRole('form', { name: 'Create a token' });
    // Checked before sending: a name, and days within the API's limits.
    await form.getByRole('button', { name: 'Create token' }).click();
    await form.getByText('Give the token a name').waitFor();
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Name').fill('nightly export');
    await form.getByLabel('Expires after').selectOption({ label: 'Another number of days…' });
    await form.getByLabel('Days').fill('5000');
    await form.getByRole('button', { name: 'Create token' }).click();
    await form.getByText('Type a whole number of days from 1 to 3650.').waitFor();
    await form.getByLabel('Expires after').selectOption({ label: '30 days' });
    await form.getByRole('button', { name: 'Create token' }).click();

    const shown = suite.page.getByRole('region', { name: 'New token “nightly export”' });
    await shown.waitFor();
    secret = await shown.getByLabel('The token').innerText();
    expect(secret).toMatch(/^ub_/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByText('Copied.').waitFor();
    expect(await suite.page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await expectAccessible('tokens, shown once');

    const row = suite.page.getByRole('row').filter({ hasText: 'nightly export' });
    await row.waitFor();
    expect(await row.innerText()).toContain(secret.slice(0, 9));
    expect(await row.innerText()).toMatch(/in (29|30) days/);
    expect(await row.innerText()).toContain('not yet');

    // The token works for scripts, as this user.
    const me = await fetch(`${suite.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { name: string }).name).toBe(viewer.name);

    // Done removes it from the page; a reload does not bring it back, and the list shows it was used.
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    await suite.page.reload();
    await row.waitFor();
    expect(await suite.page.locator('main').innerText()).not.toContain(secret);
    expect(await row.innerText()).not.toContain('not yet');
  });

  it('revokes a token after a confirmation; it then gets 401', async () => {
    const row = suite.page.getByRole('row').filter({ hasText: 'nightly export' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('group', { name: 'Revoke “nightly export”?' }).waitFor();
    await expectAccessible('tokens, confirm revoke');
    await row.getByRole('button', { name: 'Keep it' }).click();
    expect((await fetch(`${suite.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke token' }).click();
    await suite.page.getByRole('status').filter({ hasText: '“nightly export” is revoked' }).waitFor();
    await expect.poll(() => row.innerText()).toMatch(/revoked/);
    expect(await row.getByRole('button').count()).toBe(0);
    const refused = await fetch(`${suite.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.status).toBe(401);
    await signOut();
  });

  it('shows an admin every user’s tokens with their owner', async () => {
    await signIn(admin);
    await go('#/tokens');
    const row = suite.page.getByRole('row').filter({ hasText: 'nightly export' });
    await row.waitFor();
    await expect.poll(() => row.innerText()).toContain(suite.world.viewer.name);
    await expectAccessible('tokens, admin');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
