/**
 * Whole-file import refusals (qa6 web pass, R1), in Chromium on the test seed: a file the preview
 * already knows the import refuses (UTF-16, not UTF-8, empty, a header only, semicolons between the
 * cells) says why and is not sent, with Import off; a file the server refuses as a whole (its header)
 * shows the server's message without "Fix the rows below", as there are no rows below; a header with
 * unknown columns says to rename them; a refusal by row still lists its rows under that sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';
import { expectAccessible, openBrowserPage, openPage, signIn } from './support/page.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

const FIX_ROWS = 'Fix the rows below in your file, then choose it again and import it.';

describe.skipIf(skipReason !== undefined)('whole-file import refusals in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  /** How many import requests the page sent. */
  let imports = 0;

  const importButton = () => page.getByRole('button', { name: 'Import', exact: true });
  const choose = (name: string, bytes: Buffer) => page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });

  beforeAll(async () => {
    server = await startE2eServer();
    ({ browser, page } = await openBrowserPage({ consoleErrors, allowedStatuses: [401, 422] }));
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/import/entitlements') imports++;
    });
    await signIn(page, server.url, server.world.editor);
    await openPage(page, server.url, '#/import');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says before sending why the import would refuse the file, and keeps Import off', async () => {
    const header = 'tenant_id,workload,note\r\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}harbour-logistics.example,teams,Calls work now.\r\n`, 'utf16le')]);
    const files: [string, Buffer, string][] = [
      ['utf16.csv', utf16, 'This file is UTF-16 text'],
      ['latin1.csv', Buffer.from(`${header}harbour-logistics.example,teams,Z\u00fcrich office\r\n`, 'latin1'), 'This file is not valid UTF-8'],
      ['empty.csv', Buffer.alloc(0), 'This file is empty'],
      ['header-only.csv', Buffer.from(header, 'utf8'), 'The file has a header but no data rows'],
      ['semicolon.csv', Buffer.from('tenant_id;workload;note\r\nharbour-logistics.example;teams;Calls work now.\r\n', 'utf8'), 'This file uses semicolons between its cells'],
    ];
    for (const [name, bytes, reason] of files) {
      await choose(name, bytes);
      const refusal = page.locator('#import-refusal');
      await refusal.getByText(reason).waitFor();
      expect(await refusal.innerText(), name).toContain('so it is not sent');
      expect(await importButton().isDisabled(), name).toBe(true);
      expect(await importButton().getAttribute('aria-describedby'), name).toBe('import-refusal');
    }
    await expectAccessible(page, 'import, a file refused before sending');
    expect(imports).toBe(0);

    // A good file again: the reason goes and Import is on.
    await choose('good.csv', Buffer.from(`${header}harbour-logistics.example,teams,Calls work now in every office.\r\n`, 'utf8'));
    await page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    expect(await page.locator('#import-refusal').count()).toBe(0);
    expect(await importButton().isDisabled()).toBe(false);
  });

  it('shows a refusal of the whole file without asking to fix rows that are not there', async () => {
    // No tenant_id: the server refuses the header, with no row report.
    await choose('no-tenant.csv', Buffer.from('customer,workload,note\r\nHarbour Logistics,teams,Calls work now.\r\n', 'utf8'));
    await page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await importButton().click();
    const result = page.getByRole('region', { name: 'no-tenant.csv was not imported' });
    await result.getByRole('alert').getByText('The header must name at least tenant_id and workload.').waitFor();
    expect(await result.innerText()).not.toContain('Fix the rows below');
    expect(await result.getByRole('table').count()).toBe(0);
    await expectAccessible(page, 'import, whole file refused');

    // Unknown columns: the header is what to fix.
    await choose('colour.csv', Buffer.from('tenant_id,workload,colour\r\nharbour-logistics.example,teams,blue\r\n', 'utf8'));
    await page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await importButton().click();
    const unknown = page.getByRole('region', { name: 'colour.csv was not imported' });
    await unknown.getByText('Columns the import does not know:').waitFor();
    expect(await unknown.innerText()).toContain('Rename or remove those columns in your file’s header, then choose it again and import it.');
    expect(await unknown.innerText()).not.toContain('Fix the rows below');
  });

  it('still asks to fix the rows when the refusal lists rows', async () => {
    await choose('short-row.csv', Buffer.from('tenant_id,workload,note\r\nharbour-logistics.example,teams\r\n', 'utf8'));
    await page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await importButton().click();
    const result = page.getByRole('region', { name: 'short-row.csv was not imported' });
    await result.getByRole('table', { name: 'Problems by row' }).waitFor();
    expect(await result.innerText()).toContain(FIX_ROWS);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
