/**
 * The Import page's Check file (qa9), in Chromium against the real server: a check sends the file with
 * `?dryRun=true` and says what importing it would do while writing nothing (the entitlement, its
 * history and the customers read back through the API are unchanged); Import then sends the same file
 * without choosing it again and writes it. A check of a file with a bad row shows the row report, and
 * the Advise option goes with the check too.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

interface Sent {
  search: URLSearchParams;
  body: string;
}

interface StoredEntitlement {
  id: number;
  note: string;
  version: number;
}

describeInBrowser('checking an import file in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [422] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  /** The import requests the page sent, in order. */
  const sent: Sent[] = [];

  const importButton = () => suite.page.getByRole('button', { name: 'Import', exact: true });
  const checkButton = () => suite.page.getByRole('button', { name: 'Check file', exact: true });
  const choose = (name: string, csv: string) =>
    suite.page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  /** The id of the focused element (a string, as the root type-check has no DOM types). */
  const focusedId = () => suite.page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
  /** The `n`th import request sent. */
  const nth = (n: number): Sent => {
    const request = sent[n];
    if (!request) throw new Error(`no import request #${n} was sent (${sent.length} were)`);
    return request;
  };
  /** GET through the API with the page's session, as the user. */
  const apiGet = <T>(path: string) =>
    suite.page.evaluate(async (p) => {
      const response = await fetch(p, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`${p} answered ${response.status}`);
      return (await response.json()) as unknown;
    }, path) as Promise<T>;
  const entitlement = (id: number) => apiGet<StoredEntitlement>(`/api/entitlements/${id}`);
  const historyLength = async (id: number) => {
    const body = await apiGet<unknown[] | { items: unknown[] }>(`/api/entitlements/${id}/history`);
    return Array.isArray(body) ? body.length : body.items.length;
  };
  const newTenantTotal = async () => (await apiGet<{ total: number }>('/api/entitlements?q=qa9-check-new.example')).total;
  const waitForImportAnswer = () => suite.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/import/entitlements');

  beforeAll(async () => {
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/import/entitlements') sent.push({ search: url.searchParams, body: request.postData() ?? '' });
    });
    // A manager, so the file may create a customer as well as update an entitlement.
    await signIn(suite.world.manager);
    await go('#/import');
  });

  it('checks a good file without writing anything, then imports the same file with Import', async () => {
    const targetId = suite.world.entitlements.triageTarget;
    const before = await entitlement(targetId);
    const historyBefore = await historyLength(targetId);
    expect(await newTenantTotal()).toBe(0);

    const note = 'Intune enrolment starts with the warehouse scanners; qa9 checked this file before importing it.';
    const csv = [
      'tenant_id,customer,managed,region,workload,code,note',
      `harbour-logistics.example,,,,intune,,${note}`,
      'qa9-check-new.example,QA9 Check Company,yes,EMEA,teams,status-unknown/new-subscription-or-workload,A new customer whose Teams status is not known yet.',
    ].join('\r\n');
    await choose('good.csv', csv);
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();

    const answer = waitForImportAnswer();
    await checkButton().click();
    const checked = (await (await answer).json()) as { dryRun: boolean; customersCreated: number; entitlementsCreated: number; entitlementsUpdated: number };
    expect(checked).toMatchObject({ dryRun: true, customersCreated: 1, entitlementsCreated: 1, entitlementsUpdated: 1 });
    expect(sent).toHaveLength(1);
    expect(nth(0).search.get('dryRun')).toBe('true');
    expect(nth(0).search.has('advise')).toBe(false);

    const result = suite.page.getByRole('region', { name: 'Checked good.csv: it can be imported' });
    await result.waitFor();
    expect(await result.innerText()).toContain('Nothing was written. Importing this file would create 1 customer and 1 entitlement, update 1, leave 0 unchanged.');
    expect(await result.locator('dl').innerText()).toMatch(/Entitlements to update\s+1/);
    expect(await result.innerText()).not.toContain('Imported');
    // The result takes the focus, as an import's does, so it is read out.
    await expect.poll(focusedId).toBe('import-result-title');
    await expectAccessible('import, a file checked');

    // Nothing was written: the entitlement, its history and the customers are as they were.
    const after = await entitlement(targetId);
    expect(after.note).toBe(before.note);
    expect(after.version).toBe(before.version);
    expect(await historyLength(targetId)).toBe(historyBefore);
    expect(await newTenantTotal()).toBe(0);

    // Import is still on and sends the same file, not chosen again, without dryRun.
    expect(await importButton().isDisabled()).toBe(false);
    const imported = waitForImportAnswer();
    await importButton().click();
    expect(((await (await imported).json()) as { dryRun: boolean }).dryRun).toBe(false);
    expect(sent).toHaveLength(2);
    expect(nth(1).search.has('dryRun')).toBe(false);
    expect(nth(1).body).toBe(nth(0).body);
    const done = suite.page.getByRole('region', { name: 'Imported good.csv' });
    await done.waitFor();
    expect(await done.locator('dl').innerText()).toMatch(/Entitlements updated\s+1/);
    await expect.poll(focusedId).toBe('import-result-title');

    const written = await entitlement(targetId);
    expect(written.note).toBe(note);
    expect(written.version).toBeGreaterThan(before.version);
    expect(await historyLength(targetId)).toBe(historyBefore + 1);
    expect(await newTenantTotal()).toBe(1);
    expect(consoleErrors).toEqual([]);
  });

  it('imports from the check’s result with one click, with the Advise option sent to both', async () => {
    const targetId = suite.world.entitlements.triageTarget;
    const note = 'Intune enrolment moves on to the office laptops once the warehouse scanners are all enrolled.';
    await choose('again.csv', ['tenant_id,workload,note', `harbour-logistics.example,intune,${note}`].join('\r\n'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await suite.page.getByLabel('Advise (grade notes and check codes)').uncheck();
    const versionBefore = (await entitlement(targetId)).version;

    const count = sent.length;
    await checkButton().click();
    const result = suite.page.getByRole('region', { name: 'Checked again.csv: it can be imported' });
    await result.waitFor();
    expect(nth(count).search.get('dryRun')).toBe('true');
    expect(nth(count).search.get('advise')).toBe('false');
    expect((await entitlement(targetId)).version).toBe(versionBefore);

    await result.getByRole('button', { name: 'Import again.csv now' }).click();
    await suite.page.getByRole('region', { name: 'Imported again.csv' }).waitFor();
    expect(sent).toHaveLength(count + 2);
    expect(nth(count + 1).search.has('dryRun')).toBe(false);
    expect(nth(count + 1).search.get('advise')).toBe('false');
    expect((await entitlement(targetId)).note).toBe(note);
    await expect.poll(focusedId).toBe('import-result-title');
  });

  it('shows the row report when the check finds a bad row, and writes nothing', async () => {
    // A file the preview already refuses is not sent for a check either.
    await choose('empty.csv', '');
    await suite.page.locator('#import-refusal').waitFor();
    expect(await checkButton().isDisabled()).toBe(true);

    const targetId = suite.world.entitlements.triageTarget;
    const before = await entitlement(targetId);
    const csv = ['tenant_id,workload,note,target_date', `harbour-logistics.example,intune,Scanners enrolled; laptops next.,`, 'harbour-logistics.example,teams,Calls work now.,not-a-date'].join(
      '\r\n',
    );
    await choose('bad.csv', csv);
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();

    const count = sent.length;
    const answer = waitForImportAnswer();
    await checkButton().click();
    const response = await answer;
    expect(response.status()).toBe(422);
    expect(nth(count).search.get('dryRun')).toBe('true');

    const result = suite.page.getByRole('region', { name: 'Checked bad.csv: it would not be imported' });
    await result.waitFor();
    expect(await result.innerText()).toContain('Nothing was written: this was a check.');
    const report = result.getByRole('table', { name: 'Problems by row' });
    const rows = await report.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.some((r) => r[0] === '3' && r[1] === 'target_date')).toBe(true);
    await expect.poll(focusedId).toBe('import-result-title');
    await expectAccessible('import, a file checked and refused');

    const after = await entitlement(targetId);
    expect(after.version).toBe(before.version);
    expect(after.note).toBe(before.note);
    expect(consoleErrors).toEqual([]);
  });
});
