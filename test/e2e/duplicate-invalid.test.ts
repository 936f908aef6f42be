/**
 * Duplicate/Invalid customers in the web app, end to end: an editor marks a whole customer
 * Duplicate/Invalid from its page, edits one entitlement's owner while it stays so, and restores the
 * customer (every entitlement in one version-checked bulk change, refused first because someone else
 * saved in between); a viewer sees neither action. Same set-up as web.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, addEntitlement, createCustomer, listEntitlements, updateStatus } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const REASON = 'Lab tenant the customer uses to try Intune policies; production is tracked as Harbour Logistics.';

describeInBrowser('Duplicate/Invalid customers in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 409, 422] });
  const { consoleErrors, go, expectAccessible, signIn, signInFresh } = suite;
  let customerId: number;

  const rows = async () => (await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { customerId, sort: 'id' })).items;

  beforeAll(async () => {
    const tracker = suite.services.tracker;
    const customer = await createCustomer(tracker, SYSTEM_ACTOR, { tenantId: 'harbour-lab.example', name: 'Harbour Lab Tenant', partnerId: suite.world.partnerId, workloads: ['teams', 'intune'] });
    customerId = customer.id;
    await addEntitlement(tracker, SYSTEM_ACTOR, { customerId, workload: 'teams', part: 'Test ring' });
  });

  it('marks the whole customer Duplicate/Invalid after saying how many entitlements change', async () => {
    await signIn(suite.world.editor);
    await go(`#/customers/${customerId}`);
    expect(await suite.page.getByRole('button', { name: 'Restore customer…' }).count()).toBe(0);
    await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).click();
    const form = suite.page.getByRole('form', { name: 'Mark every entitlement Duplicate/Invalid' });
    await form.getByText('All 3 entitlement(s) of this customer change together').waitFor();
    const submit = form.getByRole('button', { name: 'Mark 3 entitlement(s) Duplicate/Invalid' });
    // The reason is required.
    expect(await submit.isDisabled()).toBe(true);
    await form.getByLabel('Why is this tenant a duplicate or invalid? (required)').fill(REASON);
    await expectAccessible('customer, mark form');
    await submit.click();
    await suite.page.getByRole('status').filter({ hasText: 'Marked 3 entitlement(s) Duplicate/Invalid' }).waitFor();
    expect((await rows()).map((e) => [e.l1, e.note])).toEqual([['Duplicate/Invalid', REASON], ['Duplicate/Invalid', REASON], ['Duplicate/Invalid', REASON]]);
    await suite.page.getByText('so the customer is left out of every report').waitFor();
    await suite.page.getByRole('button', { name: 'Restore customer…' }).waitFor();
    expect(await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).count()).toBe(0);
  });

  it('changes the owner of one entitlement while it stays Duplicate/Invalid', async () => {
    const [first, second] = await rows();
    await go(`#/entitlements/${first!.id}`);
    await suite.page.getByText('This customer is Duplicate/Invalid and left out of every report.').waitFor();
    await suite.page.getByLabel('Owner').fill('Maria Okafor');
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const [after, sibling] = await rows();
    expect([after!.l1, after!.owner, after!.version]).toEqual(['Duplicate/Invalid', 'Maria Okafor', first!.version + 1]);
    expect(sibling!.version).toBe(second!.version);
  });

  it('restores the customer in one change, refused first because another user saved in between', async () => {
    await go(`#/customers/${customerId}`);
    await suite.page.getByRole('button', { name: 'Restore customer…' }).click();
    const form = suite.page.getByRole('form', { name: 'Restore every entitlement' });
    expect(await form.getByLabel('L1 status').inputValue()).toBe('Status Unknown');
    expect(await form.getByLabel('L2 reason').inputValue()).toBe('New Subscription or Workload');
    expect(await form.getByLabel('L1 status').locator('option', { hasText: 'Duplicate/Invalid' }).count()).toBe(0);
    await form.getByLabel('Status note').fill('Not a lab after all: this is the tenant of the Harbour depot staff, who start on Teams next month.');
    await expectAccessible('customer, restore form');

    // Someone else edits one entitlement after this page loaded it.
    const stale = (await rows())[2]!;
    await updateStatus(suite.services.tracker, suite.world.editorActor, stale.id, stale.version, { nextAction: 'Confirm with the account team' });
    await form.getByRole('button', { name: 'Restore 3 entitlement(s)' }).click();
    const refusal = form.getByRole('alert');
    await refusal.filter({ hasText: 'changed since you read them; nothing was saved' }).waitFor();
    expect(await refusal.innerText()).toContain('Teams (Test ring) changed since this page loaded it.');
    expect((await rows()).every((e) => e.l1 === 'Duplicate/Invalid')).toBe(true);

    // Reloading keeps the form and what was typed; the button waits for the fresh versions.
    await Promise.all([
      suite.page.waitForResponse((r) => r.url().includes(`/api/entitlements?`) && r.url().includes(`customerId=${customerId}`)),
      form.getByRole('button', { name: 'Reload the customer' }).click(),
    ]);
    expect(await form.getByRole('alert').count()).toBe(0);
    expect(await form.getByLabel('Status note').inputValue()).toMatch(/^Not a lab after all/);

    // A manager adds a workload meanwhile: it starts Duplicate/Invalid, and this page does not know it.
    await addEntitlement(suite.services.tracker, SYSTEM_ACTOR, { customerId, workload: 'exchange-online' });
    await form.getByRole('button', { name: 'Restore 3 entitlement(s)' }).click();
    await form.getByRole('alert').filter({ hasText: 'has an entitlement this page did not show' }).waitFor();
    expect((await rows()).every((e) => e.l1 === 'Duplicate/Invalid')).toBe(true);
    await Promise.all([
      suite.page.waitForResponse((r) => r.url().includes(`/api/entitlements?`) && r.url().includes(`customerId=${customerId}`)),
      form.getByRole('button', { name: 'Reload the customer' }).click(),
    ]);
    await form.getByRole('button', { name: 'Restore 4 entitlement(s)' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Restored 4 entitlement(s) to Status Unknown / New Subscription or Workload' }).waitFor();
    const restored = await rows();
    expect(restored.map((e) => e.code)).toEqual(Array(4).fill('status-unknown/new-subscription-or-workload'));
    expect(restored.every((e) => e.note.startsWith('Not a lab after all'))).toBe(true);
    // The owner and next action set meanwhile stay.
    expect([restored[0]!.owner, restored[2]!.nextAction]).toEqual(['Maria Okafor', 'Confirm with the account team']);
    await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('shows a viewer neither action', async () => {
    await signInFresh(suite.world.viewer);
    await go(`#/customers/${customerId}`);
    await suite.page.getByText('Teams').first().waitFor();
    expect(await suite.page.getByRole('button', { name: /Mark customer|Restore customer/ }).count()).toBe(0);
  });
});
