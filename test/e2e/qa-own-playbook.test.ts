/**
 * A partner's own playbook in Chromium: the Playbook page lists the problems of pages that no code
 * card shows (a page whose code cannot be told, an L1 overview page), which used to be nowhere on it,
 * and the problems across pages (two pages for one code) that the server reported and it did not show;
 * Reports on a playbook without a Blocked status say so instead of an error, and Ageing shows the L1
 * its list shows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Services } from '../../src/app/index.js';
import { SYSTEM_ACTOR, createCustomer, createUser, listEntitlements, listPartners } from '../../src/tracker/index.js';
import { describeInBrowser } from './support/suite.js';
import { expectAccessible, openPage, signIn } from './support/page.js';
import { startPlaybookSession, type PlaybookSession } from './support/playbook-server.js';
import { partnerPage } from '../partner-pages.js';

/** An "L1 - L2" page of the partner's own rollout taxonomy. */
function page(title: string, definition: string, scenarios: string[], status: string): string {
  return partnerPage({ title, definition, scenarios, status });
}

describeInBrowser('a partner playbook on the Playbook page in Chromium', () => {
  const login = { email: 'pia.partner@rollout.test', password: 'partner-pass-2026' };
  let pagesDir = '';
  let session: PlaybookSession | undefined;
  let tab: Page;
  let url = '';
  let services: Services;

  beforeAll(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'qa-own-pages-'));
    writeFileSync(join(pagesDir, 'paused--hardware-delay.md'), page('Paused - Hardware Delay', 'Ordered devices have not arrived.', ['Laptops stuck at customs.', 'Switches back-ordered for six weeks.', 'Docking stations late from the supplier.'], 'Hardware Delay'));
    writeFileSync(join(pagesDir, 'paused--budget-freeze.md'), page('Paused - Budget Freeze', 'Finance froze the money for the rollout.', ['Finance froze all purchases until April.', 'CFO cut the project budget by half.', 'Spending committee rejected the request.'], 'Budget Freeze'));
    // A second page for a code: a problem across pages, which no page lists as its own.
    writeFileSync(join(pagesDir, 'paused--hardware-delay-copy.md'), page('Paused - Hardware Delay', 'Devices ordered for the rollout are late.', ['The scanners are stuck in transit.', 'Routers delayed by the vendor.', 'Phones not delivered yet.'], 'Hardware Delay'));
    // A title with no separator: the page adds no code, so no code card shows it.
    writeFileSync(join(pagesDir, 'stalled--staffing-gap.md'), page('Stalled Staffing Gap', 'Nobody is free to do the work.', ['The only admin left the company.'], 'Staffing Gap'));
    session = await startPlaybookSession(pagesDir, { ...login, name: 'Pia Partner', role: 'viewer', partner: 'Rollout Partners' });
    ({ tab, url, services } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(pagesDir, { recursive: true, force: true });
  });

  it("lists the problems of a page whose code cannot be told, under the codes of the partner's own L1", async () => {
    await openPage(tab, url, '#/playbook');
    const cards = tab.locator('article.code-card h2');
    await expect.poll(() => cards.allInnerTexts()).toEqual(['Paused / Budget Freeze', 'Paused / Hardware Delay']);
    const other = tab.getByRole('region', { name: 'Other pages with lint problems' });
    await expect.poll(() => other.innerText()).toContain('stalled--staffing-gap.md:2:8 error PLAYBOOK_KIND_UNKNOWN');
    expect(await other.innerText()).toContain('its title "Stalled Staffing Gap" names none');
    await expectAccessible(tab, 'playbook with pages of no code');
    // One code picked: the list belongs to the whole playbook, not to that code.
    await openPage(tab, url, '#/playbook?code=paused/budget-freeze');
    await expect.poll(() => cards.allInnerTexts()).toEqual(['Paused / Budget Freeze']);
    expect(await other.count()).toBe(0);
    expect(session!.consoleErrors).toEqual([]);
  });

  it('lists the problems across pages (two pages for one code), which the server reported and the page did not show', async () => {
    await openPage(tab, url, '#/playbook');
    const across = tab.getByRole('region', { name: 'Problems across pages' });
    await expect.poll(() => across.innerText()).toMatch(/warning TAXONOMY_DUPLICATE_PAGE[\s\S]*Code "Paused - Hardware Delay" is also defined by/);
    // Only there: not repeated from a page's own list.
    const pageProblems = await tab.locator('article.code-card, section[aria-labelledby="pb-other-pages"]').allInnerTexts();
    expect(pageProblems.join('\n')).not.toContain('TAXONOMY_DUPLICATE_PAGE');
    await expectAccessible(tab, 'playbook with problems across pages');
    expect(session!.consoleErrors).toEqual([]);
  });

  it('offers no "Mark customer Duplicate/Invalid" for a playbook without that status, and its rules line names only the L1s the playbook has', async () => {
    const tracker = services.tracker;
    const partner = (await listPartners(tracker, SYSTEM_ACTOR)).find((p) => p.name === 'Rollout Partners')!;
    const editor = { email: 'eli.editor@rollout.test', password: 'editor-pass-2026' };
    await createUser(tracker, SYSTEM_ACTOR, { ...editor, name: 'Eli Editor', role: 'editor', partnerId: partner.id });
    const customer = await createCustomer(tracker, SYSTEM_ACTOR, { tenantId: 'own-playbook.example', name: 'Own Playbook Co', partnerId: partner.id, workloads: ['teams'] });
    await tab.context().clearCookies();
    await signIn(tab, url, editor);
    await openPage(tab, url, `#/customers/${customer.id}`);
    await tab.getByRole('heading', { level: 1, name: 'Own Playbook Co' }).waitFor();
    await tab.getByRole('region', { name: 'Entitlements of Own Playbook Co' }).waitFor();
    expect(await tab.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).count()).toBe(0);
    const entitlement = (await listEntitlements(tracker, SYSTEM_ACTOR, { customerId: customer.id })).items[0]!;
    await openPage(tab, url, `#/entitlements/${entitlement.id}`);
    await expect.poll(() => tab.locator('#status-rules').innerText()).toBe('Rules: the L2 belongs to the L1.');
    await tab.context().clearCookies();
    await signIn(tab, url, login);
  });

  it('reports on a playbook with no Blocked status: Blockers says there are none (it showed the server\'s "Unknown L1"), Ageing shows the L1 its list shows', async () => {
    await openPage(tab, url, '#/reports?report=blockers');
    await tab.locator('.report-facts').filter({ hasText: 'This playbook has no Blocked status, so no entitlement counts as blocked.' }).waitFor();
    expect(await tab.getByRole('alert').count()).toBe(0);
    await openPage(tab, url, '#/reports?report=ageing');
    const l1 = tab.getByLabel('L1', { exact: true });
    await expect.poll(() => l1.inputValue()).toBe('Paused');
    // The chart is of the L1 the list shows, not of a Blocked the playbook lacks.
    await tab.locator('.report-facts').filter({ hasText: /^Paused, as of \d{4}-\d{2}-\d{2}: 0 entitlement\(s\)/ }).waitFor();
    expect(session!.consoleErrors).toEqual([]);
  });
});
