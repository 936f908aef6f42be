/**
 * The Import page's restore box (qa10), in Chromium against the real server: a file that moves every
 * entitlement of a Duplicate/Invalid customer back to a normal status is refused without the box
 * (row code RESTORE_NOT_CONFIRMED), by a check and by an import; the refusal says, in the page's own
 * words, to tick the box, and its button ticks it and takes the focus there. With the box ticked the
 * check and the import send `?restoreDuplicateInvalid=true` and the customer is restored (read back
 * through the API). Choosing another file clears the box.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const TENANT = 'qa10-restore.example';
const BOX = 'This file restores Duplicate/Invalid customers';

interface StoredEntitlement {
  id: number;
  l1: string;
  note: string;
  workload: string;
}

describeInBrowser('restoring Duplicate/Invalid customers by import in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [422] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  /** The query of each import request the page sent, in order. */
  const sent: URLSearchParams[] = [];
  let customerId: number;

  const importButton = () => suite.page.getByRole('button', { name: 'Import', exact: true });
  const checkButton = () => suite.page.getByRole('button', { name: 'Check file', exact: true });
  const box = () => suite.page.getByRole('checkbox', { name: BOX });
  const choose = (name: string, csv: string) =>
    suite.page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  /** The id of the focused element (a string, as the root type-check has no DOM types). */
  const focusedId = () => suite.page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
  /** A request through the API with the page's session, as the signed-in user. */
  const call = <T>(method: string, path: string, body?: unknown) =>
    suite.page.evaluate(
      async ([m, p, b]) => {
        const response = await fetch(p, {
          method: m,
          headers: b === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        if (!response.ok) throw new Error(`${m} ${p} answered ${response.status}: ${await response.text()}`);
        return (await response.json()) as unknown;
      },
      [method, path, body] as const,
    ) as Promise<T>;
  const stored = async () => {
    const body = await call<StoredEntitlement[] | { items: StoredEntitlement[] }>('GET', `/api/entitlements?customerId=${customerId}&sort=id`);
    return Array.isArray(body) ? body : body.items;
  };
  const waitForImportAnswer = () => suite.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/import/entitlements');
  const restoreFile = [
    'tenant_id,workload,code,note',
    `${TENANT},teams,status-unknown/new-subscription-or-workload,Not a duplicate after all: the partner confirmed this is a customer of its own.`,
    `${TENANT},intune,status-unknown/new-subscription-or-workload,Not a duplicate after all: Intune is still to be asked about.`,
  ].join('\r\n');

  beforeAll(async () => {
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/import/entitlements') sent.push(url.searchParams);
    });
    const customer = await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: TENANT, name: 'QA10 Restore Company', partnerId: suite.world.partnerId, workloads: ['teams', 'intune'] });
    customerId = customer.id;
    await signIn(suite.world.editor);
    // Marked through the API, as the editor.
    await call('POST', `/api/customers/${customerId}/duplicate-invalid`, { note: 'Looked like a second tenant of Harbour Logistics.' });
    expect((await stored()).map((e) => e.l1)).toEqual(['Duplicate/Invalid', 'Duplicate/Invalid']);
    await go('#/import');
  });

  it('refuses the restore without the box, says to tick it, and ticks it from the refusal', async () => {
    await choose('restore.csv', restoreFile);
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    expect(await box().isChecked()).toBe(false);

    // A check first: refused, nothing written, the box named in the page's words.
    let answer = waitForImportAnswer();
    await checkButton().click();
    expect((await answer).status()).toBe(422);
    expect(sent.at(-1)?.get('dryRun')).toBe('true');
    expect(sent.at(-1)?.has('restoreDuplicateInvalid')).toBe(false);
    const checked = suite.page.getByRole('region', { name: 'Checked restore.csv: it would not be imported' });
    await checked.waitFor();
    const checkedText = await checked.innerText();
    expect(checkedText).toContain(`2 rows take Duplicate/Invalid customers out of Duplicate/Invalid, which restores them.`);
    expect(checkedText).toContain(`tick ${BOX} above and check or import the file again`);
    // The server's query parameter is not what the page asks a web user to set.
    expect(checkedText).not.toContain('?restoreDuplicateInvalid');
    expect(checkedText).not.toContain('Fix the rows below');
    expect(await checked.getByRole('table', { name: 'Problems by row' }).locator('tbody tr').count()).toBe(2);
    await expect.poll(focusedId).toBe('import-result-title');
    expect((await stored()).map((e) => e.l1)).toEqual(['Duplicate/Invalid', 'Duplicate/Invalid']);

    // Then an import: refused the same way, with the hint.
    answer = waitForImportAnswer();
    await importButton().click();
    const refused = await answer;
    expect(refused.status()).toBe(422);
    expect(((await refused.json()) as { error: { details: { rows: { errors: { code?: string }[] }[] } } }).error.details.rows.flatMap((r) => r.errors.map((e) => e.code))).toEqual([
      'RESTORE_NOT_CONFIRMED',
      'RESTORE_NOT_CONFIRMED',
    ]);
    expect(sent.at(-1)?.has('restoreDuplicateInvalid')).toBe(false);
    const notImported = suite.page.getByRole('region', { name: 'restore.csv was not imported' });
    await notImported.waitFor();
    expect(await notImported.innerText()).toContain(`tick ${BOX} above and import the file again`);
    expect(await notImported.innerText()).not.toContain('?restoreDuplicateInvalid');
    await expectAccessible('import, a restore refused');
    expect((await stored()).map((e) => e.l1)).toEqual(['Duplicate/Invalid', 'Duplicate/Invalid']);

    // The hint's button ticks the box and takes the focus there.
    await notImported.getByRole('button', { name: 'Tick the restore box' }).click();
    expect(await box().isChecked()).toBe(true);
    await expect.poll(focusedId).toBe('import-restore');
  });

  it('checks and imports the restore with the box ticked, and restores the customer', async () => {
    expect(await box().isChecked()).toBe(true);
    let answer = waitForImportAnswer();
    await checkButton().click();
    expect((await answer).status()).toBe(200);
    expect(sent.at(-1)?.get('dryRun')).toBe('true');
    expect(sent.at(-1)?.get('restoreDuplicateInvalid')).toBe('true');
    const result = suite.page.getByRole('region', { name: 'Checked restore.csv: it can be imported' });
    await result.waitFor();
    expect(await result.innerText()).toContain('update 2');
    expect((await stored()).map((e) => e.l1)).toEqual(['Duplicate/Invalid', 'Duplicate/Invalid']);

    answer = waitForImportAnswer();
    await importButton().click();
    expect((await answer).status()).toBe(200);
    expect(sent.at(-1)?.has('dryRun')).toBe(false);
    expect(sent.at(-1)?.get('restoreDuplicateInvalid')).toBe('true');
    await suite.page.getByRole('region', { name: 'Imported restore.csv' }).waitFor();
    await expect.poll(focusedId).toBe('import-result-title');

    const after = await stored();
    expect(after.map((e) => e.l1)).toEqual(['Status Unknown', 'Status Unknown']);
    expect(after.every((e) => e.note.startsWith('Not a duplicate after all'))).toBe(true);

    // The box is not remembered for the next file.
    await choose('next.csv', ['tenant_id,workload,note', `${TENANT},teams,The partner is asking about Teams calling plans.`].join('\r\n'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    expect(await box().isChecked()).toBe(false);
    expect(consoleErrors).toEqual([]);
  });
});
