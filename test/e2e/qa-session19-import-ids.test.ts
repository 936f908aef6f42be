/**
 * The Import page's "another database" box (QA session 19 review), in Chromium against the real
 * server: a file whose ids another database wrote (naming another entitlement here, or none) is
 * refused without the box, the row report naming the box in the page's words rather than the query
 * parameter; with it ticked the check and the import send `?ignoreIds=true` and the rows are imported
 * by tenant_id, workload and part (read back through the API). Choosing another file clears the box.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const TENANT = 'qa19-ids.example';
const BOX = 'The file comes from another database: ignore its id and version columns';

interface StoredEntitlement {
  id: number;
  workload: string;
  owner: string | null;
}

describeInBrowser('importing another database\'s export in Chromium', () => {
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
  const call = <T>(path: string) =>
    suite.page.evaluate(async (p) => {
      const response = await fetch(p, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`GET ${p} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as unknown;
    }, path) as Promise<T>;
  const stored = async () => {
    const body = await call<StoredEntitlement[] | { items: StoredEntitlement[] }>(`/api/entitlements?customerId=${customerId}&sort=id`);
    return (Array.isArray(body) ? body : body.items).map((e) => `${e.workload}:${e.owner ?? ''}`);
  };
  const waitForImportAnswer = () => suite.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/import/entitlements');
  let file = '';

  beforeAll(async () => {
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/import/entitlements') sent.push(url.searchParams);
    });
    const customer = await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: TENANT, name: 'QA19 Ids Company', partnerId: suite.world.partnerId, workloads: ['teams', 'intune'] });
    customerId = customer.id;
    await signIn(suite.world.editor);
    const ids = Object.fromEntries(((await call<{ items: StoredEntitlement[] }>(`/api/entitlements?customerId=${customerId}&sort=id`)).items).map((e) => [e.workload, e.id]));
    // As another database numbered them: the teams row's id is this database's intune entitlement, the intune row's is nobody's.
    file = ['id,tenant_id,workload,owner', `${ids.intune},${TENANT},teams,Maya Lindqvist`, `2000000000,${TENANT},intune,Tomas Reyes`].join('\r\n');
    await go('#/import');
  });

  it('refuses the ids without the box, naming the box; imports with it ticked; clears it for the next file', async () => {
    await choose('other-database.csv', file);
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    expect(await box().isChecked()).toBe(false);

    let answer = waitForImportAnswer();
    await checkButton().click();
    expect((await answer).status()).toBe(422);
    expect(sent.at(-1)?.has('ignoreIds')).toBe(false);
    const checked = suite.page.getByRole('region', { name: 'Checked other-database.csv: it would not be imported' });
    await checked.waitFor();
    const report = checked.getByRole('table', { name: 'Problems by row' });
    expect(await report.locator('tbody tr').count()).toBe(2);
    const text = await report.innerText();
    expect(text).toContain(`tick “${BOX}” and import it again, or clear the id and version columns`);
    expect(text).not.toContain('ignoreIds=true');
    await expectAccessible('import, ids of another database refused');
    expect(await stored()).toEqual(['teams:', 'intune:']);

    await box().check();
    answer = waitForImportAnswer();
    await checkButton().click();
    expect((await answer).status()).toBe(200);
    expect(sent.at(-1)?.get('ignoreIds')).toBe('true');
    expect(sent.at(-1)?.get('dryRun')).toBe('true');
    await suite.page.getByRole('region', { name: 'Checked other-database.csv: it can be imported' }).waitFor();
    expect(await stored()).toEqual(['teams:', 'intune:']);

    answer = waitForImportAnswer();
    await importButton().click();
    expect((await answer).status()).toBe(200);
    expect(sent.at(-1)?.get('ignoreIds')).toBe('true');
    expect(sent.at(-1)?.has('dryRun')).toBe(false);
    await suite.page.getByRole('region', { name: 'Imported other-database.csv' }).waitFor();
    expect(await stored()).toEqual(['teams:Maya Lindqvist', 'intune:Tomas Reyes']);

    await choose('next.csv', ['tenant_id,workload,owner', `${TENANT},teams,Ana`].join('\r\n'));
    await suite.page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    expect(await box().isChecked()).toBe(false);
    expect(consoleErrors).toEqual([]);
  });
});
