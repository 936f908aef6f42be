/**
 * A new partner's first steps. The admin cannot add it twice in another case ("northwind advisory"):
 * the import finds partners by name ignoring case, so two such names would mix their customers. With
 * no customers yet, its manager's portfolio says so and offers New customer and Import (not "Clear a
 * filter", which helps nobody when there is none); its editor is told a manager adds the customers; a
 * filter that matches nothing still says to clear it. The import's column help says Blocked needs a
 * projected unblock date (it read as optional). Another partner's manager sees none of the new
 * partner's customers, and a portfolio link naming another partner is dropped with a notice for a
 * manager (before, it hid every row behind a filter a manager has no control for). With its one
 * blocked entitlement, the Ageing chart names that reason in a legend (one series had none, so the
 * bar's colour meant nothing), and the forecast says history expects nothing rather than counting the
 * row beyond the window "from history" the partner does not have. Same set-up as web.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer, createPartner, createUser, listEntitlements, listPartners, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const manager = { email: 'nora.north@unblock.test', password: 'nora-north-2026', name: 'Nora North' };
const editor = { email: 'ed.north@unblock.test', password: 'ed-north-2026', name: 'Ed North' };

describeInBrowser('a new partner onboarding in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 404, 409] });
  const { consoleErrors, expectAccessible, go, signInFresh } = suite;
  const admin = { email: 'ada.admin@unblock.test', password: 'ada-admin-2026', name: 'Ada Admin' };
  const empty = () => suite.page.locator('.state-empty');
  let partnerId: number;

  beforeAll(async () => {
    const partner = await createPartner(suite.services.tracker, SYSTEM_ACTOR, { name: 'Northwind Advisory' });
    partnerId = partner.id;
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...manager, role: 'manager', partnerId: partner.id });
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...editor, role: 'editor', partnerId: partner.id });
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
  });

  it('refuses a partner named as one there is in another case, under the field, naming it', async () => {
    await signInFresh(admin);
    await go('#/users');
    const field = suite.page.getByLabel('Partner name');
    await field.fill(' northwind ADVISORY ');
    const [response] = await Promise.all([
      suite.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/partners'),
      suite.page.getByRole('button', { name: 'Add partner' }).click(),
    ]);
    expect(response.status()).toBe(409);
    const problem = suite.page.locator('#new-partner-name-problem');
    await expect.poll(() => problem.innerText(), { timeout: 10_000 }).toContain('A partner named "Northwind Advisory" already exists.');
    expect(await field.inputValue()).toBe(' northwind ADVISORY ');
    expect((await listPartners(suite.services.tracker, SYSTEM_ACTOR)).filter((p) => p.name.toLowerCase() === 'northwind advisory')).toHaveLength(1);
  });

  it('tells a new partner’s manager the portfolio is empty and where to start, not to clear filters', async () => {
    await signInFresh(manager);
    await go('#/portfolio');
    await suite.page.getByRole('status').filter({ hasText: '0 entitlement(s)' }).waitFor();
    await expect.poll(() => empty().innerText(), { timeout: 10_000 }).toBe(
      'No entitlements yet. Add a customer with New customer, or bring in a CSV file on the Import page.',
    );
    expect(await empty().getByRole('link', { name: 'New customer' }).getAttribute('href')).toBe('#/customers/new');
    expect(await empty().getByRole('link', { name: 'Import' }).getAttribute('href')).toBe('#/import');
    await expectAccessible('portfolio of a new partner');

    // The board says the same.
    await go('#/portfolio?view=board');
    await expect.poll(() => empty().innerText(), { timeout: 10_000 }).toMatch(/^No entitlements yet\./);

    // A filter that matches nothing: clearing it is the way on.
    await go('#/portfolio?q=nothing-like-this');
    await expect.poll(() => empty().innerText(), { timeout: 10_000 }).toBe('No entitlement matches these filters. Clear a filter to see more.');

    // Following the link opens the form.
    await go('#/portfolio');
    await empty().getByRole('link', { name: 'New customer' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'New customer' }).waitFor();
  });

  it('says in the import’s column help that Blocked needs a projected unblock date, as the import refuses one without', async () => {
    await go('#/import');
    await suite.page.locator('summary', { hasText: 'Columns the import reads' }).click();
    const row = suite.page.getByRole('row').filter({ has: suite.page.getByRole('cell', { name: 'projected_unblock_date', exact: true }) });
    expect(await row.getByRole('cell').nth(1).innerText()).toBe('YYYY-MM-DD; Blocked needs one (here or already stored), not in the past.');
  });

  it('tells its editor that a manager adds the customers', async () => {
    await signInFresh(editor);
    await go('#/portfolio');
    await expect.poll(() => empty().innerText(), { timeout: 10_000 }).toBe('No entitlements yet: a manager adds the customers.');
  });

  it('keeps the new partner’s customer from another partner’s manager', async () => {
    await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: 'nw-contoso.example', name: 'Contoso Northwind', partnerId, workloads: ['teams'] });
    await signInFresh(manager);
    await go('#/portfolio');
    await suite.page.getByRole('status').filter({ hasText: '1 entitlement(s)' }).waitFor();
    // A portfolio link naming another partner (shared by an admin): dropped with a notice, as the manager has no Partner filter to clear it with.
    await go(`#/portfolio?l1=Status+Unknown&partnerId=${suite.world.partnerId}`);
    await suite.page.getByText(`Ignored from the address: Partner "${suite.world.partnerId}" (not a partner you can see).`).waitFor();
    await suite.page.getByRole('status').filter({ hasText: '1 entitlement(s)' }).waitFor();
    expect(new URL(suite.page.url()).hash).toBe('#/portfolio?l1=Status+Unknown');
    await signInFresh(suite.world.manager);
    await go('#/portfolio?q=Contoso+Northwind');
    await suite.page.getByRole('status').filter({ hasText: '0 entitlement(s)' }).waitFor();
    expect(await empty().innerText()).toBe('No entitlement matches these filters. Clear a filter to see more.');
    expect(consoleErrors).toEqual([]);
  });

  it('names the only reason of the Ageing chart in a legend, and forecasts nothing from a history the partner has not', async () => {
    const [teams] = (await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { partnerId })).items;
    await updateStatus(suite.services.tracker, SYSTEM_ACTOR, teams!.id, teams!.version, {
      l1: 'Blocked',
      l2: 'Partner Engagement',
      note: 'The partner contact left; the new one starts next month and takes over the rollout.',
      projectedUnblockDate: addDays(new Date(), 30),
    });
    await signInFresh(manager);
    await go('#/reports?report=ageing');
    await suite.page.getByText('Blocked, as of').waitFor();
    const legend = suite.page.locator('.recharts-legend-wrapper');
    await legend.waitFor();
    expect(await legend.locator('.recharts-legend-item').allInnerTexts()).toEqual(['Partner Engagement']);

    // Nothing of this partner was ever unblocked: the forecast says history expects nothing, not that its one row is due beyond the window.
    await go('#/reports?report=forecast');
    await expect.poll(() => suite.page.locator('.report-facts').innerText(), { timeout: 10_000 }).toBe(
      '1 blocked in all · 0 overdue (projected date passed) · beyond the window: 0 projected · none expected from history: no blocked entitlement has been unblocked yet',
    );
    expect(consoleErrors).toEqual([]);
  });
});
