/**
 * Labels of an older playbook in the portfolio, in Chromium on the test seed plus two entitlements
 * still carrying a reason the playbook no longer has ("Waiting on Legal", as rows saved before a
 * playbook change keep it). The server filters by such a label while rows carry it; the portfolio now
 * offers it in its L2 list (under "No longer in the playbook") and keeps it in the address, where it
 * used to drop it with "not an L2 of the playbook" and list every entitlement instead. An entitlement's
 * page says the label is no longer in the playbook (it said "not under Blocked") and grades its note.
 */
import { beforeAll, expect, it } from 'vitest';
import { createCustomer, listEntitlements, SYSTEM_ACTOR, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('Labels of an older playbook in the portfolio, in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  const oldIds: number[] = [];

  const hash = () => decodeURIComponent(new URL(suite.page.url()).hash).replace(/\+/g, ' ');
  const count = () => suite.page.locator('.result-count');
  const listedIds = async () =>
    (await suite.page.locator('.vbody [role=row] a[href^="#/entitlements/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')))
      .map((href) => Number(href.split('/').pop()))
      .sort((a, b) => a - b);

  beforeAll(async () => {
    const ctx = suite.services.tracker;
    const now = suite.services.clock.now();
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'retired-label.example', name: 'Retired Label Ltd', partnerId: suite.world.partnerId, workloads: ['teams', 'intune'] });
    for (const e of (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, pageSize: 10 })).items) {
      await updateStatus(ctx, suite.world.editorActor, e.id, e.version, {
        l1: 'Blocked',
        l2: 'Legal/Regulatory',
        note: `The ${e.workload} rollout waits for the works council to approve the data processing agreement.`,
        projectedUnblockDate: addDays(now, 30),
      });
      await suite.services.db.kysely.updateTable('entitlements').set({ l2: 'Waiting on Legal', code: 'blocked/waiting-on-legal' }).where('id', '=', e.id).execute();
      oldIds.push(e.id);
    }
    await signIn(suite.world.manager);
  });

  it('keeps an older label in the address and lists the entitlements that carry it', async () => {
    await go('#/portfolio?l1=Blocked&l2=Waiting on Legal');
    await expect.poll(() => count().innerText()).toBe('2 entitlement(s)');
    expect(await listedIds()).toEqual([...oldIds].sort((a, b) => a - b));
    expect(hash()).toBe('#/portfolio?l1=Blocked&l2=Waiting on Legal');
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
    // The L2 list shows it, apart from the playbook's own reasons, and it is the one chosen.
    const group = suite.page.locator('#f-l2 optgroup[label="No longer in the playbook"]');
    expect(await group.locator('option').allInnerTexts()).toEqual(['Waiting on Legal']);
    expect(await suite.page.locator('#f-l2').inputValue()).toBe('Waiting on Legal');
    await expectAccessible('portfolio filtered by an older label');
  });

  it('offers the older label in the L2 list, and choosing it filters by it', async () => {
    await go('#/portfolio');
    await expect.poll(() => count().innerText()).toMatch(/entitlement\(s\)$/);
    await suite.page.locator('#f-l2').selectOption('Waiting on Legal');
    await expect.poll(hash).toBe('#/portfolio?l2=Waiting on Legal');
    await expect.poll(() => count().innerText()).toBe('2 entitlement(s)');
  });

  it('still drops a label that no entitlement carries and the playbook does not define', async () => {
    await go('#/portfolio?l1=Blocked&l2=Waiting on Godot');
    await expect.poll(hash).toBe('#/portfolio?l1=Blocked');
    expect(await suite.page.locator('.url-notice').innerText()).toContain('L2 "Waiting on Godot" (not a reason under Blocked)');
  });

  it("shows an entitlement's older label as such on its page, and grades its note (the grader refused the older code)", async () => {
    await go(`#/entitlements/${oldIds[0]}`);
    const l2 = suite.page.getByLabel('L2 reason');
    await expect.poll(() => l2.evaluate((el) => (el as unknown as { selectedOptions: ArrayLike<{ textContent: string | null }> }).selectedOptions[0]?.textContent ?? '')).toBe('Waiting on Legal (no longer in the playbook)');
    // The coach grades the stored note on its own (it asked with the older code and got 400 UNKNOWN_CODE).
    await suite.page.getByText('Note grade:').waitFor();
    expect(await suite.page.getByLabel('L1 status').inputValue()).toBe('Blocked');
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
