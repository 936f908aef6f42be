/**
 * From the Reports page to the portfolio, in Chromium on the test seed (plus one customer blocked for
 * two reasons, some of it for 10 or 40 days, and one entitlement still carrying an older playbook's
 * reason): a Blocked reason in the Blockers data table, its bar in the chart, an Ageing bucket and one
 * reason's count in it each open the portfolio filtered by that reason or those days and the report's
 * own workload, listing exactly the entitlements the report counted; the older reason links as stored.
 * Back from the portfolio finds the data table open with the focus on the link followed.
 */
import { beforeAll, expect, it } from 'vitest';
import { createCustomer, listEntitlements, SYSTEM_ACTOR, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const DAY = 86_400_000;

describeInBrowser('Reports drill down to the portfolio in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;

  /** The ids of the entitlements set up below, by what the test expects of them. */
  const ids = { legalNow: 0, legal10: 0, legal40: 0, adoption10: 0, oldReason: 0, seedLegal: 0 };

  const hash = () => decodeURIComponent(new URL(suite.page.url()).hash).replace(/\+/g, ' ');
  const count = () => suite.page.locator('.result-count');
  const table = (title: string) => suite.page.getByRole('region', { name: `${title} data` });
  /** A link by its whole accessible name, anywhere on the page (so also inside a row's filter). */
  const link = (name: string | RegExp) => suite.page.getByRole('link', typeof name === 'string' ? { name, exact: true } : { name });
  /** The ids of the entitlements the portfolio lists. */
  const listedIds = async () =>
    (await suite.page.locator('.vbody [role=row] a[href^="#/entitlements/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')))
      .map((href) => Number(href.split('/').pop()))
      .sort((a, b) => a - b);
  /** Opens a report and its data table, once the report has loaded. */
  const openReport = async (address: string, title: string) => {
    await go(address);
    await expect.poll(() => suite.page.locator('#report-title').innerText()).toBe(title);
    await suite.page.getByTestId('report-chart').waitFor();
    // The table stays open from one report address to the next.
    if (!(await table(title).isVisible())) await suite.page.getByText('Data table', { exact: true }).click();
    await table(title).waitFor();
  };
  /** Waits for the portfolio at `address` to list exactly `expected` (`count` of them, the number the report showed). */
  const expectPortfolio = async (address: string, shown: number, expected: number[]) => {
    await expect.poll(hash).toBe(address);
    await expect.poll(() => count().innerText()).toBe(`${shown} entitlement(s)`);
    expect(await listedIds()).toEqual([...expected].sort((a, b) => a - b));
    // The portfolio kept the address as the link wrote it (nothing dropped or respelled).
    expect(hash()).toBe(address);
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
  };

  beforeAll(async () => {
    const ctx = suite.services.tracker;
    const kysely = suite.services.db.kysely;
    const now = suite.services.clock.now();
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, {
      tenantId: 'drilldown-freight.example',
      name: 'Drilldown Freight',
      partnerId: suite.world.partnerId,
      managed: true,
      region: 'EMEA',
      workloads: ['exchange-online', 'intune', 'windows', 'sharepoint-online', 'onedrive'],
    });
    const items = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, pageSize: 100 })).items;
    const block = async (workload: string, l2: string, daysAgo: number): Promise<number> => {
      const e = items.find((x) => x.workload === workload);
      if (!e) throw new Error(`no entitlement for ${workload}`);
      await updateStatus(ctx, suite.world.editorActor, e.id, e.version, {
        l1: 'Blocked',
        l2,
        note: `The ${workload} rollout waits until the ${l2.toLowerCase()} question is settled by the customer's project board.`,
        projectedUnblockDate: addDays(now, 60),
      });
      // Half a day inside the bucket, clear of its edges whenever the report and the portfolio are read.
      if (daysAgo > 0) await kysely.updateTable('entitlements').set({ since: new Date(now.getTime() - (daysAgo + 0.5) * DAY).toISOString() }).where('id', '=', e.id).execute();
      return e.id;
    };
    ids.legalNow = await block('exchange-online', 'Legal/Regulatory', 0);
    ids.legal10 = await block('intune', 'Legal/Regulatory', 10);
    ids.legal40 = await block('windows', 'Legal/Regulatory', 40);
    ids.adoption10 = await block('sharepoint-online', 'Adoption Readiness', 10);
    // A reason the playbook no longer has, as rows saved under an older playbook carry it.
    ids.oldReason = await block('onedrive', 'Legal/Regulatory', 0);
    await kysely.updateTable('entitlements').set({ l2: 'Waiting on Legal', code: 'blocked/waiting-on-legal' }).where('id', '=', ids.oldReason).execute();
    // The seed's own Legal/Regulatory entitlement (Lindqvist's OneDrive, blocked just now).
    const seeded = await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: suite.world.customers.lindqvist, pageSize: 100 });
    ids.seedLegal = seeded.items.find((e) => e.l2 === 'Legal/Regulatory')!.id;
    await signIn(suite.world.manager);
  });

  it('links each Blocked reason of the data table to its entitlements in the portfolio', async () => {
    await openReport('#/reports?report=blockers', 'Blockers by reason');
    const reason = link('Open the 4 blocked entitlements of Legal/Regulatory in the portfolio');
    expect(await reason.innerText()).toBe('Legal/Regulatory');
    // The count in the report's row is the one the link names.
    const row = table('Blockers by reason').getByRole('row').filter({ has: reason });
    expect(await row.getByRole('cell').nth(1).innerText()).toBe('4');
    // A reason of an older playbook that a row still carries links too, as stored.
    const old = table('Blockers by reason').getByRole('row').filter({ hasText: 'Waiting on Legal' });
    expect(await old.getByRole('cell').nth(1).innerText()).toBe('1');
    expect(await old.getByRole('link').getAttribute('aria-label')).toBe('Open the 1 blocked entitlement of Waiting on Legal in the portfolio');
    await expectAccessible('reports, blockers data table with links');

    await reason.click();
    await expectPortfolio('#/portfolio?l1=Blocked&l2=Legal/Regulatory', 4, [ids.seedLegal, ids.legalNow, ids.legal10, ids.legal40]);
  });

  it('opens the entitlements still carrying an older playbook’s reason, which the portfolio keeps', async () => {
    await openReport('#/reports?report=blockers', 'Blockers by reason');
    await link('Open the 1 blocked entitlement of Waiting on Legal in the portfolio').click();
    await expectPortfolio('#/portfolio?l1=Blocked&l2=Waiting on Legal', 1, [ids.oldReason]);
  });

  it('keeps the report’s workload filter in the link', async () => {
    await openReport('#/reports?report=blockers&workload=intune', 'Blockers by reason');
    const reason = table('Blockers by reason').getByRole('link', { name: /of Legal\/Regulatory in the portfolio$/ });
    expect(await reason.getAttribute('aria-label')).toBe('Open the 1 blocked entitlement of Legal/Regulatory in the portfolio');
    await reason.click();
    await expectPortfolio('#/portfolio?l1=Blocked&l2=Legal/Regulatory&workload=intune', 1, [ids.legal10]);
  });

  it('opens the same list from the reason’s bar in the chart', async () => {
    await openReport('#/reports?report=blockers', 'Blockers by reason');
    const reasons = await table('Blockers by reason').locator('tbody tr td:first-child').allInnerTexts();
    const index = reasons.indexOf('Legal/Regulatory');
    expect(index).toBeGreaterThanOrEqual(0);
    const bars = suite.page.getByTestId('report-chart').locator('.recharts-bar-rectangle');
    expect(await bars.count()).toBe(reasons.length);
    await bars.nth(index).click();
    await expectPortfolio('#/portfolio?l1=Blocked&l2=Legal/Regulatory', 4, [ids.seedLegal, ids.legalNow, ids.legal10, ids.legal40]);
  });

  it('links an Ageing bucket, and a reason’s count in it, to the entitlements of those days', async () => {
    await openReport('#/reports?report=ageing', 'Ageing');
    const ageing = table('Ageing');
    const bucket = link('Open the 2 entitlements in Blocked for 8-14 days, in the portfolio');
    expect(await bucket.innerText()).toBe('8-14 days');
    // The bucket's counts in the report add up to the number the link names.
    const columns = await ageing.locator('thead th').allInnerTexts();
    const cells = await ageing.getByRole('row').filter({ has: bucket }).getByRole('cell').allInnerTexts();
    expect(cells.slice(1).reduce((sum, n) => sum + Number(n || 0), 0)).toBe(2);
    expect(cells[columns.indexOf('Adoption Readiness')]).toBe('1');
    // The older reason's count links as the others do; its bucket's link lists it with the rest.
    const oldColumn = columns.indexOf('Waiting on Legal');
    expect(oldColumn).toBeGreaterThan(0);
    expect(await ageing.getByRole('row').filter({ hasText: '0-7 days' }).getByRole('cell').nth(oldColumn).getByRole('link').getAttribute('aria-label')).toBe(
      'Open the 1 entitlement in Blocked / Waiting on Legal for 0-7 days, in the portfolio',
    );
    await expectAccessible('reports, ageing data table with links');

    await bucket.click();
    await expectPortfolio('#/portfolio?l1=Blocked&minDays=8&maxDays=14', 2, [ids.legal10, ids.adoption10]);

    await openReport('#/reports?report=ageing', 'Ageing');
    const cell = link('Open the 1 entitlement in Blocked / Legal/Regulatory for 31-60 days, in the portfolio');
    expect(await cell.innerText()).toBe('1');
    await cell.click();
    await expectPortfolio('#/portfolio?l1=Blocked&l2=Legal/Regulatory&minDays=31&maxDays=60', 1, [ids.legal40]);

    // The first bucket has no Min days: all blocked just now, the older reason too.
    await openReport('#/reports?report=ageing', 'Ageing');
    const first = table('Ageing').getByRole('link', { name: /in Blocked for 0-7 days, in the portfolio$/ });
    expect(await first.getAttribute('aria-label')).toBe('Open the 4 entitlements in Blocked for 0-7 days, in the portfolio');
    await first.click();
    const harbourTeams = suite.world.entitlements.blocked;
    await expectPortfolio('#/portfolio?l1=Blocked&maxDays=7', 4, [harbourTeams, ids.seedLegal, ids.legalNow, ids.oldReason]);
  });

  it('Back from the portfolio shows the report with its data table open and the focus on the link followed', async () => {
    await openReport('#/reports?report=blockers&workload=intune', 'Blockers by reason');
    const name = 'Open the 1 blocked entitlement of Legal/Regulatory in the portfolio';
    // By keyboard, as someone who cannot use the chart would.
    await link(name).focus();
    await suite.page.keyboard.press('Enter');
    await expectPortfolio('#/portfolio?l1=Blocked&l2=Legal/Regulatory&workload=intune', 1, [ids.legal10]);
    await suite.page.goBack();
    await expect.poll(hash).toBe('#/reports?report=blockers&workload=intune');
    await table('Blockers by reason').waitFor();
    await expect.poll(() => suite.page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? ''"), { timeout: 10_000 }).toBe(name);
    // Only that return: the report opened afresh starts with its table closed.
    await go('#/portfolio');
    await go('#/reports?report=blockers&workload=intune');
    await suite.page.getByTestId('report-chart').waitFor();
    expect(await table('Blockers by reason').isVisible()).toBe(false);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
