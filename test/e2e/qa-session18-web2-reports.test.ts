/**
 * Web QA of Reports at 375 px, keyboard only (session 18, second pass).
 *
 * - A partner with no entitlements opened each report with no filter chosen and read "Nothing to report
 *   for these filters.", as if a filter hid something. Without a filter chosen, each report now says
 *   what there is none of; the filters' sentence stays for a filter that matches nothing.
 * - Tab went through five nameless stops inside each chart (recharts' layers, one of them 0 × 0, so the
 *   focus vanished) between the chart and its Data table. Only the chart itself is a stop now.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createPartner, createUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const nadia = { email: 'nadia.berg@fresh-partner.test', name: 'Nadia Berg', password: 'nadia-own-choice-18' };

const EMPTY: Record<string, string> = {
  blockers: 'No entitlement you can see is blocked',
  ageing: 'No entitlement you can see is in this status now',
  forecast: 'No blocked entitlement is expected to unblock',
  quality: 'No note was graded in this period',
  flow: 'No entitlement changed status in this period',
};

describeInBrowser('web QA session 18 (reports) in Chromium at 375 px', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401], context: { viewport: { width: 375, height: 800 } } });
  const { consoleErrors } = suite;

  beforeAll(async () => {
    const partner = await createPartner(suite.services.tracker, SYSTEM_ACTOR, { name: 'Fresh Partner 18' });
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...nadia, role: 'manager', partnerId: partner.id });
  });

  it('says what each report has none of for a partner with no entitlements, and names the filters only when one is chosen', async () => {
    await suite.signInFresh(nadia);
    for (const [report, words] of Object.entries(EMPTY)) {
      await suite.go(`#/reports?report=${report}`);
      const body = suite.page.locator('.report-body');
      await body.getByText(words).waitFor();
      expect(await body.innerText()).not.toContain('for these filters');
    }
    await suite.go('#/reports?report=blockers&workload=teams');
    await suite.page.locator('.report-body').getByText('Nothing to report for these filters.').waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('tabs from the downloads to the chart and then to its Data table, with no nameless stop inside the chart', async () => {
    await suite.signInFresh(suite.world.manager);
    await suite.go('#/reports?report=blockers');
    await suite.page.getByTestId('report-chart').locator('svg').first().waitFor();
    await suite.page.getByRole('button', { name: 'Download PNG' }).focus();
    const stops: string[] = [];
    for (let i = 0; i < 8; i++) {
      await suite.page.keyboard.press('Tab');
      const stop = await suite.page.evaluate<string>(
        "(() => { const a = document.activeElement; return a ? a.tagName.toLowerCase() + (a.tagName === 'SUMMARY' ? ':' + a.textContent : '') : 'none'; })()",
      );
      stops.push(stop);
      if (stop.startsWith('summary')) break;
    }
    expect(stops).toEqual(['svg', 'summary:Data table']);
    expect(consoleErrors).toEqual([]);
  });
});
