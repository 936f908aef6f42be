/**
 * Reports fixes from the qa6 web pass, in Chromium on the test seed (plus one customer blocked for ten
 * different reasons): typing a To date digit by digit keeps From and applies only the whole date, and a
 * To before From is said next to the fields without touching the address; at 390 px the Ageing chart
 * grows with its ten-line legend instead of squeezing its bars flat, the Status flow labels take at
 * most two lines and do not overlap, and the downloads sit on a row of their own; tooltips read
 * "entitlements: 2"; and the focus ring has 3:1 contrast on the page and in the header.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, listEntitlements, SYSTEM_ACTOR, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** Every Blocked reason of the playbook: ten series in the Ageing chart's legend. */
const BLOCKED_REASONS = [
  'Adoption Readiness',
  'App Compatibility',
  'Billing, Licensing and Subscription',
  'Customer IT Infrastructure and Remediation',
  'IT Change Management and Resourcing',
  'Legal/Regulatory',
  'Partner Engagement',
  'Product Feature/Capability',
  'Security/Privacy (Non-Product/Feature)',
  'Service Reliability',
];
const WORKLOADS = ['exchange-online', 'outlook-mobile', 'sharepoint-online', 'onedrive', 'microsoft-365-apps', 'teams', 'yammer', 'windows', 'intune', 'defender'];

/** WCAG contrast of two `rgb(r, g, b)` / `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const channels = (color: string): number[] => {
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
    const parts = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    return parts.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  };
  const luminance = (color: string) => {
    const [r = 0, g = 0, b = 0] = channels(color);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describeInBrowser('Reports fixes (qa6) in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  /** The report requests the page sent, as path and query. */
  const reportRequests: string[] = [];

  const query = () => new URLSearchParams(new URL(suite.page.url()).hash.split('?')[1] ?? '');
  const chart = () => suite.page.getByTestId('report-chart');

  beforeAll(async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'tenfold-blocked.example', name: 'Tenfold Blocked Holdings', partnerId: suite.world.partnerId, managed: true, region: 'EMEA', workloads: WORKLOADS });
    const items = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, pageSize: 100 })).items;
    const now = suite.services.clock.now();
    for (const [i, l2] of BLOCKED_REASONS.entries()) {
      const entitlement = items.find((e) => e.workload === WORKLOADS[i]);
      if (!entitlement) throw new Error(`no entitlement for ${WORKLOADS[i]}`);
      await updateStatus(ctx, suite.world.editorActor, entitlement.id, entitlement.version, {
        l1: 'Blocked',
        l2,
        note: `The customer cannot go on until the ${l2.toLowerCase()} question is settled by their project board next quarter.`,
        projectedUnblockDate: addDays(now, 20 + i * 7),
      });
    }
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/reports/')) reportRequests.push(`${url.pathname}${url.search}`);
    });
    await signIn(suite.world.manager);
  });

  it('keeps From while a To is typed, and applies the To only once its year is whole', async () => {
    await go('#/reports?report=quality&from=2025-03-01');
    await suite.page.locator('.report-facts').waitFor();
    const from = suite.page.getByLabel('From', { exact: true });
    const to = suite.page.getByLabel('To', { exact: true });
    expect(await from.inputValue()).toBe('2025-03-01');
    reportRequests.length = 0;

    // The month part, then month, day and year as a keyboard user types them.
    await to.click({ position: { x: 12, y: 10 } });
    await suite.page.keyboard.type('06302025', { delay: 60 });
    await expect.poll(() => query().get('to')).toBe('2025-06-30');
    expect(query().get('from')).toBe('2025-03-01');
    expect(await from.inputValue()).toBe('2025-03-01');
    expect(await to.inputValue()).toBe('2025-06-30');
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
    expect(await suite.page.locator('#r-period-problem').count()).toBe(0);
    await suite.page.locator('[data-testid=report-chart], .state-empty').first().waitFor();
    // No request for the years 0002, 0020 or 0202 the field reported on the way.
    expect(reportRequests.length).toBeGreaterThan(0);
    for (const request of reportRequests) expect(new URLSearchParams(request.split('?')[1]).get('to'), request).toBe('2025-06-30');
  });

  it('says next to the fields when To is before From, keeps both typed dates, and leaves the address alone', async () => {
    const from = suite.page.getByLabel('From', { exact: true });
    const to = suite.page.getByLabel('To', { exact: true });
    reportRequests.length = 0;
    await to.click({ position: { x: 12, y: 10 } });
    await suite.page.keyboard.type('01312025', { delay: 60 });
    const problem = suite.page.locator('#r-period-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('role')).toBe('alert');
    expect(await problem.innerText()).toContain('To (2025-01-31) is before From (2025-03-01)');
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await to.getAttribute('aria-describedby')).toBe('r-period-problem');
    // What was typed stays in the fields; the address and the report keep the last period that worked.
    expect(await to.inputValue()).toBe('2025-01-31');
    expect(await from.inputValue()).toBe('2025-03-01');
    expect(query().get('from')).toBe('2025-03-01');
    expect(query().get('to')).toBe('2025-06-30');
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
    await expectAccessible('reports, To before From');

    // An earlier From makes the period work: both go to the address together.
    await from.click({ position: { x: 12, y: 10 } });
    await suite.page.keyboard.type('01012025', { delay: 60 });
    await expect.poll(() => `${query().get('from')} ${query().get('to')}`).toBe('2025-01-01 2025-01-31');
    expect(await problem.count()).toBe(0);
    expect(await to.getAttribute('aria-invalid')).toBeNull();
    for (const request of reportRequests) {
      const params = new URLSearchParams(request.split('?')[1]);
      expect(`${params.get('from')} ${params.get('to')}`, request).not.toMatch(/^0|\s0/);
    }
  });

  it('waits for a date cleared in part, and says so once the field is left', async () => {
    const to = suite.page.getByLabel('To', { exact: true });
    const before = suite.page.url();
    await to.click({ position: { x: 12, y: 10 } });
    // Clears the month only: the field holds no whole date, and nothing is applied yet.
    await suite.page.keyboard.press('Backspace');
    expect(await suite.page.evaluate<boolean>("document.getElementById('r-to').validity.badInput")).toBe(true);
    await suite.page.waitForTimeout(300);
    expect(suite.page.url()).toBe(before);
    expect(await suite.page.locator('#r-period-problem').count()).toBe(0);
    await suite.page.getByLabel('From', { exact: true }).focus();
    await suite.page.locator('#r-period-problem').getByText('To is not a whole date yet').waitFor();
    expect(suite.page.url()).toBe(before);
  });

  it('writes tooltips as "name: value"', async () => {
    await go('#/reports?report=blockers');
    const bar = chart().locator('.recharts-bar-rectangle').first();
    await bar.waitFor();
    await bar.hover();
    const item = chart().locator('.recharts-tooltip-item');
    await item.first().waitFor();
    expect(await item.first().innerText()).toMatch(/^entitlements: \d+$/);
  });

  it('draws the focus ring with 3:1 contrast on the page and in the dark header', async () => {
    await go('#/reports?report=blockers');
    await chart().locator('.recharts-bar-rectangle').first().waitFor();
    const focused = () =>
      suite.page.evaluate<{ inMain: boolean; inHeader: boolean; visible: boolean; outline: string; width: string }>(`(() => {
        const el = document.activeElement;
        const style = el ? getComputedStyle(el) : null;
        return { inMain: !!el?.closest('main'), inHeader: !!el?.closest('.app-header'), visible: !!el?.matches(':focus-visible'), outline: style?.outlineColor ?? '', width: style?.outlineWidth ?? '' };
      })()`);
    let header: Awaited<ReturnType<typeof focused>> | undefined;
    let main: Awaited<ReturnType<typeof focused>> | undefined;
    for (let i = 0; i < 40 && !(header && main); i++) {
      await suite.page.keyboard.press('Tab');
      const now = await focused();
      if (now.visible && now.inHeader && !header) header = now;
      if (now.visible && now.inMain && !main) main = now;
    }
    expect(header, 'a control in the header took the focus').toBeDefined();
    expect(main, 'a control in the page took the focus').toBeDefined();
    expect(main!.width).toBe('3px');
    // On white cards and on the page background.
    expect(contrast(main!.outline, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrast(main!.outline, '#f6f8fa')).toBeGreaterThanOrEqual(3);
    // On the dark header.
    expect(contrast(header!.outline, '#0d1b2a')).toBeGreaterThanOrEqual(3);
  });

  describe('at 390 px wide', () => {
    beforeAll(async () => {
      await suite.page.setViewportSize({ width: 390, height: 844 });
    });

    it('gives the Ageing chart room for its ten-reason legend: the bars keep their height', async () => {
      await go('#/reports?report=ageing');
      const legend = chart().locator('.recharts-legend-wrapper');
      await legend.waitFor();
      expect(await legend.locator('.recharts-legend-item').count()).toBe(BLOCKED_REASONS.length);
      await expect.poll(async () => Math.round((await chart().locator('.recharts-cartesian-grid').boundingBox())?.height ?? 0)).toBeGreaterThanOrEqual(250);
      const legendBox = await legend.boundingBox();
      expect(legendBox?.height ?? 0).toBeGreaterThan(120);
      // The legend is below the plot, inside the chart, and the page does not scroll sideways.
      const plot = await chart().locator('.recharts-cartesian-grid').boundingBox();
      const figure = await chart().boundingBox();
      expect((legendBox?.y ?? 0) + (legendBox?.height ?? 0)).toBeLessThanOrEqual((figure?.y ?? 0) + (figure?.height ?? 0) + 1);
      expect(legendBox?.y ?? 0).toBeGreaterThan(plot?.y ?? 0);
      expect(await suite.page.evaluate<number>('document.documentElement.scrollWidth')).toBe(390);
      await expectAccessible('ageing at 390 px');
    });

    it('wraps each Status flow label into at most two lines, none over its neighbour', async () => {
      await go('#/reports?report=flow');
      await chart().locator('.recharts-yAxis-tick-labels text').first().waitFor();
      const labels = await suite.page.evaluate<{ text: string; lines: number; top: number; bottom: number }[]>(`[...document.querySelectorAll('[data-testid=report-chart] .recharts-yAxis-tick-labels text')].map((t) => {
        const box = t.getBoundingClientRect();
        return { text: t.textContent, lines: t.querySelectorAll('tspan').length, top: box.top, bottom: box.bottom };
      })`);
      expect(labels.length).toBeGreaterThanOrEqual(10);
      for (const label of labels) expect(label.lines, label.text).toBeLessThanOrEqual(2);
      const sorted = [...labels].sort((a, b) => a.top - b.top);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.top, `${sorted[i - 1]!.text} / ${sorted[i]!.text}`).toBeGreaterThanOrEqual(sorted[i - 1]!.bottom - 0.5);
      // The downloads take a row of their own below the filters, not a place next to To.
      const to = await suite.page.getByLabel('To', { exact: true }).boundingBox();
      const downloads = await suite.page.locator('.report .downloads').boundingBox();
      expect(downloads?.y ?? 0).toBeGreaterThanOrEqual((to?.y ?? 0) + (to?.height ?? 0));
      expect(await suite.page.evaluate<number>('document.documentElement.scrollWidth')).toBe(390);
    });
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
