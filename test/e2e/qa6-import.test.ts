/**
 * Whole-file import refusals (qa6 web pass, R1), in Chromium on the test seed: a file the preview
 * already knows the import refuses (UTF-16, not UTF-8, empty, a header only, semicolons between the
 * cells) says why and is not sent, with Import off; a file the server refuses as a whole (its header)
 * shows the server's message without "Fix the rows below", as there are no rows below; a header with
 * unknown columns says to rename them; a refusal by row still lists its rows under that sentence.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const FIX_ROWS = 'Fix the rows below in your file, then choose it again and import it.';

describeInBrowser('whole-file import refusals in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 422] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  /** How many import requests the page sent. */
  let imports = 0;

  const importButton = () => suite.page.getByRole('button', { name: 'Import', exact: true });
  const choose = (name: string, bytes: Buffer) => suite.page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });

  beforeAll(async () => {
    suite.page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/import/entitlements') imports++;
    });
    await signIn(suite.world.editor);
    await go('#/import');
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
      const refusal = suite.page.locator('#import-refusal');
      await refusal.getByText(reason).waitFor();
      expect(await refusal.innerText(), name).toContain('so it is not sent');
      expect(await importButton().isDisabled(), name).toBe(true);
      expect(await importButton().getAttribute('aria-describedby'), name).toBe('import-refusal');
    }
    await expectAccessible('import, a file refused before sending');
    expect(imports).toBe(0);

    // A good file again: the reason goes and Import is on.
    await choose('good.csv', Buffer.from(`${header}harbour-logistics.example,teams,Calls work now in every office.\r\n`, 'utf8'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    expect(await suite.page.locator('#import-refusal').count()).toBe(0);
    expect(await importButton().isDisabled()).toBe(false);
  });

  it('shows a refusal of the whole file without asking to fix rows that are not there', async () => {
    // No tenant_id: the server refuses the header, with no row report.
    await choose('no-tenant.csv', Buffer.from('customer,workload,note\r\nHarbour Logistics,teams,Calls work now.\r\n', 'utf8'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await importButton().click();
    const result = suite.page.getByRole('region', { name: 'no-tenant.csv was not imported' });
    await result.getByRole('alert').getByText('The header must name at least tenant_id and workload.').waitFor();
    expect(await result.innerText()).not.toContain('Fix the rows below');
    expect(await result.getByRole('table').count()).toBe(0);
    await expectAccessible('import, whole file refused');

    // Unknown columns: the header is what to fix.
    await choose('colour.csv', Buffer.from('tenant_id,workload,colour\r\nharbour-logistics.example,teams,blue\r\n', 'utf8'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await importButton().click();
    const unknown = suite.page.getByRole('region', { name: 'colour.csv was not imported' });
    await unknown.getByText('Columns the import does not know:').waitFor();
    expect(await unknown.innerText()).toContain('Rename or remove those columns in your file’s header, then choose it again and import it.');
    expect(await unknown.innerText()).not.toContain('Fix the rows below');
  });

  it('still asks to fix the rows when the refusal lists rows', async () => {
    await choose('short-row.csv', Buffer.from('tenant_id,workload,note\r\nharbour-logistics.example,teams\r\n', 'utf8'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await importButton().click();
    const result = suite.page.getByRole('region', { name: 'short-row.csv was not imported' });
    await result.getByRole('table', { name: 'Problems by row' }).waitFor();
    expect(await result.innerText()).toContain(FIX_ROWS);
  });

  it('asks before a move to another page drops a chosen file that is not imported', async () => {
    await choose('pending.csv', Buffer.from('tenant_id,workload,note\r\nharbour-logistics.example,teams,Calls work now in every office.\r\n', 'utf8'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await suite.page.getByRole('navigation').getByRole('link', { name: 'Portfolio' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('pending.csv is chosen but not imported');
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(new URL(suite.page.url()).hash).toBe('#/import');
    expect(await suite.page.getByRole('table', { name: 'The first rows of the file' }).count()).toBe(1);
    // Once it is imported, nothing is left to lose: the move goes through without a question.
    await importButton().click();
    await suite.page.getByRole('region', { name: 'Imported pending.csv' }).waitFor();
    await suite.page.getByRole('navigation').getByRole('link', { name: 'Portfolio' }).click();
    await suite.page.waitForURL(/#\/portfolio/);
    expect(await dialog.count()).toBe(0);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
