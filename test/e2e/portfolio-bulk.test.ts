/**
 * The portfolio's bulk change and result line in Chromium, on the test seed plus 40 generated
 * entitlements and one Duplicate/Invalid customer: "select all" leaves Duplicate/Invalid rows out (and
 * says so), a hand-ticked one makes the panel warn, a change of more than 20 entitlements asks for a
 * confirmation first, its warnings come one line per kind, Blocked with only a date goes to the server
 * (which names each row whose own note does not explain the blocker), a capped list loads again for a
 * new sort, and a filter that matches nothing says so instead of "Loading…".
 */
import { beforeAll, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { SYSTEM_ACTOR, createCustomer, getEntitlement, listEntitlements, markCustomerDuplicateInvalid } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const BULK_URL = '/api/entitlements/bulk-status';

describeInBrowser('portfolio bulk change and result line in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 409, 422], extraEntitlements: 40 });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  let duplicateCustomerId: number;
  /** Bulk-change requests the page sent. */
  const bulkRequests: Request[] = [];

  const count = () => suite.page.locator('.result-count');
  const panel = () => suite.page.locator('form.bulk-panel');
  const waitForCount = () => expect.poll(async () => count().innerText(), { timeout: 15_000 }).toMatch(/^[\d,]+ entitlement\(s\)$/);

  beforeAll(async () => {
    const tracker = suite.services.tracker;
    const duplicate = await createCustomer(tracker, SYSTEM_ACTOR, { tenantId: 'harbour-sandbox.example', name: 'Harbour Sandbox', partnerId: suite.world.partnerId, workloads: ['teams', 'intune'] });
    duplicateCustomerId = duplicate.id;
    await markCustomerDuplicateInvalid(tracker, suite.world.editorActor, duplicate.id, { note: 'A sandbox tenant the partner uses for demos; the real customer is Harbour Logistics.' });
    suite.page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === BULK_URL) bulkRequests.push(request);
    });
    await signIn(suite.world.editor);
  });

  it('leaves Duplicate/Invalid entitlements out of "select all" and says so; ticked by hand, the panel warns', async () => {
    await go('#/portfolio?q=Harbour');
    await waitForCount();
    const shown = await suite.page.locator('.vbody [role=row]').count();
    expect(shown).toBeGreaterThan(2);
    await suite.page.getByRole('checkbox', { name: 'Select all shown entitlements' }).check();
    await suite.page.getByText('2 Duplicate/Invalid entitlements left out: restore them from their customer page.').waitFor();
    await suite.page.getByRole('button', { name: `Change status of ${shown - 2} selected` }).waitFor();
    expect(await suite.page.getByRole('checkbox', { name: 'Select Harbour Sandbox Teams' }).isChecked()).toBe(false);
    expect(await suite.page.getByRole('checkbox', { name: 'Select all shown entitlements' }).isChecked()).toBe(true);

    // A Duplicate/Invalid row can still be ticked by hand: the panel then warns and points to the customer page.
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Sandbox Teams' }).check();
    await suite.page.getByRole('button', { name: `Change status of ${shown - 1} selected` }).click();
    const warning = panel().getByRole('note');
    await warning.getByText('1 selected entitlement is Duplicate/Invalid: this change would take it out of Duplicate/Invalid.').waitFor();
    expect(await warning.getByRole('link', { name: 'Harbour Sandbox' }).getAttribute('href')).toBe(`#/customers/${duplicateCustomerId}`);
    await expectAccessible('bulk panel with a Duplicate/Invalid row');
    await warning.getByRole('button', { name: 'Untick the Duplicate/Invalid ones' }).click();
    await suite.page.getByRole('button', { name: `Change status of ${shown - 2} selected` }).waitFor();
    expect(await panel().getByRole('note').count()).toBe(0);
    await panel().getByRole('button', { name: 'Cancel' }).click();
    await suite.page.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('asks to confirm a change of more than 20 entitlements, naming the count and the change, and groups its warnings', async () => {
    await go('#/portfolio?q=Bench');
    await waitForCount();
    await suite.page.getByRole('checkbox', { name: 'Select all shown entitlements' }).check();
    await suite.page.getByRole('button', { name: 'Change status of 40 selected' }).click();
    await panel().getByLabel('L1 status').selectOption('In Progress');
    await panel().getByLabel('L2 reason').selectOption('Technical Onboarding and Deployment');
    // A short note the coach grades poor on every entitlement.
    await panel().getByLabel('Status note').fill('Working on it.');
    await panel().getByLabel('Target date').fill(addDays(new Date(), 60));
    const before = bulkRequests.length;
    await panel().getByRole('button', { name: 'Apply to 40' }).click();
    const confirm = panel().getByRole('group', { name: 'Change 40 entitlements across 3 customers?' });
    await confirm.waitFor();
    expect(await confirm.getByRole('listitem').allInnerTexts()).toEqual([
      'Status: In Progress / Technical Onboarding and Deployment',
      'Note: "Working on it." on every one',
      `Target date: ${addDays(new Date(), 60)}`,
      'Owner, next action and the other fields: not changed',
    ]);
    expect(bulkRequests.length).toBe(before);
    await expectAccessible('bulk confirmation');
    // Going back sends nothing; confirming sends the change once.
    await confirm.getByRole('button', { name: 'Go back' }).click();
    expect(await panel().getByRole('group').count()).toBe(0);
    await panel().getByRole('button', { name: 'Apply to 40' }).click();
    await panel().getByRole('button', { name: 'Yes, change 40 entitlements' }).click();
    const outcome = suite.page.locator('.bulk-outcome');
    await outcome.getByText(/^Updated 40 entitlement\(s\) to In Progress \/ Technical Onboarding and Deployment\./).waitFor({ timeout: 30_000 });
    expect(bulkRequests.length).toBe(before + 1);

    // One line per kind of warning with its count, not one line per entitlement.
    const lines = outcome.locator('.issue-groups > li');
    const summaries = await outcome.locator('.issue-groups > li > details > summary').allInnerTexts();
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.length).toBeLessThanOrEqual(3);
    expect(summaries).toContain('40 notes grade poor');
    expect(await suite.page.evaluate<number>('document.documentElement.scrollHeight')).toBeLessThan(2000);
    const poor = lines.filter({ hasText: '40 notes grade poor' });
    expect(await poor.locator('details ul li').first().isVisible()).toBe(false);
    await poor.locator('summary').click();
    const listed = poor.locator('details ul li');
    expect(await listed.count()).toBe(40);
    expect(await listed.first().innerText()).toMatch(/^Bench Customer 0000\d · .+: The note grades poor/);
    await expectAccessible('bulk outcome');
  });

  it('does not ask for a note when choosing Blocked with only a date; the server checks each row and names those it refuses', async () => {
    const tracker = suite.services.tracker;
    // Two entitlements whose own notes explain what blocks them, one whose note is empty.
    const harbour = (await listEntitlements(tracker, SYSTEM_ACTOR, { customerId: suite.world.customers.harbour, pageSize: 100 })).items;
    const explained = harbour.filter((e) => e.workload === 'exchange-online' || (e.workload === 'teams' && e.part === 'Nordic subsidiary'));
    expect(explained.map((e) => e.note.length > 40)).toEqual([true, true]);
    const notesBefore = explained.map((e) => e.note);

    await go('#/portfolio?q=Harbour Logistics');
    await waitForCount();
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Exchange Online' }).check();
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Teams Nordic subsidiary' }).check();
    await suite.page.getByRole('button', { name: 'Change status of 2 selected' }).click();
    await panel().getByLabel('L1 status').selectOption('Blocked');
    await panel().getByLabel('L2 reason').selectOption('Partner Engagement');
    await panel().getByLabel('Projected unblock date').fill(addDays(new Date(), 21));
    const [request] = await Promise.all([suite.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(BULK_URL)), panel().getByRole('button', { name: 'Apply to 2' }).click()]);
    const items = (request.postDataJSON() as { items: Record<string, unknown>[] }).items;
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['id', 'l1', 'l2', 'projectedUnblockDate', 'version']);
    await suite.page.getByText(/^Updated 2 entitlement\(s\) to Blocked \/ Partner Engagement\./).waitFor();
    const after = await Promise.all(explained.map((e) => getEntitlement(tracker, SYSTEM_ACTOR, e.id)));
    expect(after.map((e) => [e.l1, e.note, e.projectedUnblockDate])).toEqual(notesBefore.map((note) => ['Blocked', note, addDays(new Date(), 21)]));

    // A row whose own note is empty: sent all the same, and the server's refusal names it.
    await go('#/portfolio?q=Harbour Logistics');
    await waitForCount();
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Intune' }).check();
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics SharePoint Online' }).check();
    await suite.page.getByRole('button', { name: 'Change status of 2 selected' }).click();
    await panel().getByLabel('L1 status').selectOption('Blocked');
    await panel().getByLabel('L2 reason').selectOption('Partner Engagement');
    await panel().getByLabel('Projected unblock date').fill(addDays(new Date(), 21));
    await panel().getByRole('button', { name: 'Apply to 2' }).click();
    const refusal = panel().getByRole('alert');
    await refusal.locator('.issue-groups').waitFor();
    const summaries = await refusal.locator('.issue-groups summary').allInnerTexts();
    expect(summaries.some((s) => /^\d entitlements?: .*note/i.test(s)), summaries.join(' | ')).toBe(true);
    await refusal.locator('.issue-groups summary').first().click();
    expect(await refusal.locator('.issue-groups li li').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^Harbour Logistics · (Intune|SharePoint Online): /)]));
    await expectAccessible('bulk refusal');
    await panel().getByRole('button', { name: 'Cancel' }).click();
  });

  it('loads a capped list again in the new order when the sort changes, and re-sorts a full one in the browser', async () => {
    const listUrl = (url: URL) => url.pathname === '/api/entitlements';
    const lists: URL[] = [];
    const onRequest = (request: Request) => {
      const url = new URL(request.url());
      if (listUrl(url)) lists.push(url);
    };
    suite.page.on('request', onRequest);
    try {
      // Not capped: a new sort re-sorts the loaded rows, no request.
      await go('#/portfolio');
      await waitForCount();
      const loadedAt = lists.length;
      await suite.page.getByRole('button', { name: 'Customer', exact: true }).click();
      await suite.page.waitForURL(/sort=customer/);
      await suite.page.waitForTimeout(300);
      expect(lists.length).toBe(loadedAt);

      // Capped: the server says there are more rows than the page loads.
      await suite.page.route(listUrl, async (route) => {
        const response = await route.fetch();
        const json = (await response.json()) as { total: number };
        await route.fulfill({ response, json: { ...json, total: 60_845 } });
      });
      try {
        // Another filter (the same rows), so the list loads again through the route.
        await go('#/portfolio?sort=customer&minDays=0');
        await expect.poll(async () => count().innerText(), { timeout: 20_000 }).toMatch(/^Showing the first [\d,]+ of 60,845 entitlement\(s\)/);
        const before = lists.length;
        await suite.page.getByRole('button', { name: 'Workload', exact: true }).click();
        await expect.poll(() => lists.slice(before).map((u) => [u.searchParams.get('sort'), u.searchParams.get('order'), u.searchParams.get('page')])[0]).toEqual(['workload', 'asc', '1']);
        await expect.poll(async () => count().innerText(), { timeout: 20_000 }).toMatch(/^Showing the first [\d,]+ of 60,845 entitlement\(s\)/);
        // The rows are in the server's order, the order of the CSV export.
        const exportUrl = new URL((await suite.page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')) ?? '', suite.url);
        expect([exportUrl.searchParams.get('sort'), exportUrl.searchParams.get('order')]).toEqual(['workload', 'asc']);
      } finally {
        await suite.page.unroute(listUrl);
      }
    } finally {
      suite.page.off('request', onRequest);
    }
  });

  it('says how many match (none) instead of "Loading…", and points out Min days above Max days', async () => {
    // The server refuses Min days above Max days (400 BAD_ARGUMENTS): the page must not ask it.
    const contradicting: string[] = [];
    const onRequest = (request: { url(): string }) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/') && url.searchParams.get('minDays') === '100' && url.searchParams.get('maxDays') === '10') contradicting.push(url.pathname);
    };
    suite.page.on('request', onRequest);
    try {
      for (const hash of ['#/portfolio?owner=Lucas', '#/portfolio?q=Z%C3%BCrich', '#/portfolio?minDays=100&maxDays=10']) {
        await go(hash);
        await expect.poll(async () => count().innerText(), { message: hash }).toBe('0 entitlement(s)');
        await suite.page.getByText('No entitlement matches these filters.').waitFor();
      }
    } finally {
      suite.page.off('request', onRequest);
    }
    expect(contradicting).toEqual([]);
    // Nothing to export, and no link that would download the server's refusal.
    const exportLink = suite.page.locator('a.button', { hasText: 'Export CSV' });
    expect(await exportLink.getAttribute('href')).toBeNull();
    expect(await exportLink.getAttribute('aria-disabled')).toBe('true');
    const hint = suite.page.locator('#days-hint');
    expect(await hint.innerText()).toBe('Min days (100) is more than Max days (10), so nothing can match: lower Min days or raise Max days.');
    expect(await suite.page.getByLabel('Min days').getAttribute('aria-describedby')).toBe('days-hint');
    await suite.page.getByLabel('Max days').fill('200');
    await expect.poll(async () => hint.count()).toBe(0);
    expect(await exportLink.getAttribute('href')).toMatch(/minDays=100&maxDays=200|maxDays=200.*minDays=100|minDays=100.*maxDays=200/);
    await expectAccessible('portfolio with no match');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
