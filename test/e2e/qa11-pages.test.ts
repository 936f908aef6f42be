/**
 * Fixes from the qa11 web pass, in Chromium on the test seed: Triage's "Find the entitlement" finds a
 * customer's entitlement by customer and workload (`Lindqvist Teams`, as its placeholder shows), though
 * the list's text search does not read workload names; restoring a customer says each warning once with
 * how many entitlements it concerns, instead of the same sentences once per entitlement; the fields
 * named in "Fix N problem(s) before saving" sit in the sentence without a space before the comma or the
 * full stop; My account says what changing the password will do, not as if it had been done.
 */
import { beforeAll, expect, it } from 'vitest';
import { markCustomerDuplicateInvalid } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** A DOM Range, as far as the gap check below uses it. */
interface PageRange {
  selectNodeContents(node: unknown): void;
  setStart(node: unknown, offset: number): void;
  setEnd(node: unknown, offset: number): void;
  getBoundingClientRect(): { left: number; right: number };
}

describeInBrowser('qa11 page fixes in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [] });
  const { consoleErrors, go, signIn } = suite;

  beforeAll(async () => {
    await signIn(suite.world.editor);
  });

  it('finds an entitlement on Triage by customer and workload', async () => {
    const page = suite.page;
    await go('#/triage');
    await page.getByLabel('Type or paste the status note').fill('The customer wants Teams calling but the proxy drops the media traffic until the network team opens the ports.');
    const search = page.getByLabel('Find the entitlement (customer, workload or tenant)');
    await search.fill('Lindqvist Teams');
    const picks = page.getByRole('list', { name: 'Entitlements to apply to' }).getByRole('button');
    // The customer's Teams entitlement, though none of its notes says "Teams"; first, as it is the one named.
    await expect.poll(() => picks.first().textContent()).toMatch(/^Lindqvist Dental Group · Teams now /);
    // A workload's slug works too, and the text around it as typed still searches (a part of a name).
    await search.fill('school-data-sync Orchard');
    await expect.poll(() => picks.first().textContent()).toMatch(/^Orchard Valley Schools · School Data Sync now /);
    await search.fill('Lindqvist');
    await expect.poll(() => picks.count()).toBe(3);
    expect(consoleErrors).toEqual([]);
  });

  it('says each warning of a restore once, with how many entitlements it concerns', async () => {
    const page = suite.page;
    const lindqvist = suite.world.customers.lindqvist;
    await markCustomerDuplicateInvalid(suite.services.tracker, suite.world.editorActor, lindqvist, { note: 'Created twice by mistake during onboarding; the other record is the real one.' });
    await go(`#/customers/${lindqvist}`);
    await page.getByRole('button', { name: 'Restore customer…' }).click();
    // A note that grades poor for the status chosen: every entitlement gets it, so every one the same warnings.
    await page.locator('#restore-note').fill('Restored: this record is the real one after all');
    await page.getByRole('button', { name: 'Restore 3 entitlement(s)' }).click();
    const notice = page.getByText(/^Restored 3 entitlement\(s\) to /);
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/ On 3 entitlements: The note /);
    // No sentence twice (it was said once per entitlement).
    const sentences = text.split(/(?<=\.)\s+/).filter((s) => s.length > 0);
    expect(sentences.length).toBeGreaterThan(2);
    expect(new Set(sentences).size).toBe(sentences.length);
  });

  it('lists the fields to fix without a space before the comma or full stop, and says what a password change will do', async () => {
    const page = suite.page;
    await go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await page.getByLabel('L1 status').selectOption('Blocked');
    await page.getByLabel('L2 reason').selectOption({ index: 1 });
    await page.getByLabel('Status note').fill('');
    await page.getByRole('button', { name: 'Save status' }).click();
    const sentence = page.locator('#status-errors p.field-error');
    await expect.poll(() => sentence.textContent()).toMatch(/^Fix 2 problem\(s\) before saving, in Status note and Projected unblock date\. /);
    // The gap between each field's name and the text after it (" and ", "."): no more than a letter's edge.
    const gaps = await sentence.evaluate((p) =>
      [...p.querySelectorAll('button')].map((button) => {
        // The tests compile without the DOM's types: the little of `document` used here, typed by hand.
        const dom = (globalThis as unknown as { document: { createRange(): PageRange } }).document;
        const own = dom.createRange();
        own.selectNodeContents(button);
        const after = button.nextSibling;
        if (!after || after.nodeType !== 3 /* Node.TEXT_NODE; the callback runs in the page, without this module's names */) return Number.NaN;
        const next = dom.createRange();
        next.setStart(after, 0);
        next.setEnd(after, 1);
        return next.getBoundingClientRect().left - own.getBoundingClientRect().right;
      }),
    );
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeLessThan(1);
    await page.getByRole('button', { name: 'Discard changes' }).click();

    await go('#/account');
    const form = page.getByRole('region', { name: 'Change password' }).or(page.locator('form').filter({ has: page.getByRole('heading', { name: 'Change password' }) }));
    await expect.poll(() => form.first().textContent()).toContain('Changing it signs you out of your other sessions; this one stays signed in.');
    expect(consoleErrors).toEqual([]);
  });
});
