/**
 * Leaving an entitlement that holds Triage's prefill, and pages opened from the menu starting afresh,
 * in Chromium on the test seed: Back from the status form Apply opened (prefilled, not saved) asks
 * "Leave without saving?", as docs/WEB.md says of Triage's prefill; and Triage left for a page whose code
 * is still loading, then opened again from the menu, is a new Triage, not the one left (React keeps the
 * page left mounted, hidden, until the next page's code has loaded).
 */
import { expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('Leaving a prefilled form, and pages opened afresh, in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, go, signIn } = suite;

  const menuLink = (name: string) => suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const noteBox = () => suite.page.getByLabel('Type or paste the status note');
  const hash = () => new URL(suite.page.url()).hash;
  const leaveDialog = () => suite.page.getByRole('dialog', { name: 'Leave without saving?' });

  it('asks before Back leaves the status form Triage’s Apply prefilled', async () => {
    await signIn(suite.world.editor);
    // From the menu, as a user opens it (the next test opens the address over itself).
    await menuLink('Triage').click();
    await expect.poll(hash).toBe('#/triage');
    const note = 'The customer wants Intune, but their firewall and proxy block device enrolment traffic until the network team changes the rules.';
    await noteBox().fill(note);
    await suite.page.getByRole('group', { name: 'Candidates, best first' }).waitFor();
    await suite.page.getByLabel('Find the entitlement (customer, workload or tenant)').fill('Harbour');
    await suite.page.getByRole('button', { name: /Harbour Logistics · Intune/ }).click();
    await suite.page.getByText('Prefilled from triage').waitFor();
    const entitlementHash = hash();
    expect(entitlementHash).toMatch(/^#\/entitlements\/\d+\?/);

    await suite.page.goBack();
    await leaveDialog().waitFor();
    expect(await leaveDialog().innerText()).toContain('Harbour Logistics · Intune');
    // Staying keeps the address and the prefilled form.
    await leaveDialog().getByRole('button', { name: 'Stay on this page' }).click();
    await expect.poll(hash).toBe(entitlementHash);
    await suite.page.getByText('Prefilled from triage').waitFor();
    expect(await suite.page.getByLabel('Status note').inputValue()).toBe(note);

    await suite.page.goBack();
    await leaveDialog().getByRole('button', { name: 'Leave without saving' }).click();
    await expect.poll(hash).toBe('#/triage');
  });

  it('asks too when Triage was opened over its own address (a new entry with no hash change)', async () => {
    await go('#/triage');
    // The same address again: Chromium makes a new history entry and fires popstate, not hashchange.
    await suite.page.goto(suite.page.url());
    await noteBox().fill('The customer wants Intune, but their proxy blocks device enrolment until the network team opens it.');
    await suite.page.getByRole('group', { name: 'Candidates, best first' }).waitFor();
    await suite.page.getByLabel('Find the entitlement (customer, workload or tenant)').fill('Harbour');
    await suite.page.getByRole('button', { name: /Harbour Logistics · Intune/ }).click();
    await suite.page.getByText('Prefilled from triage').waitFor();
    const entitlementHash = hash();
    await suite.page.goBack();
    await leaveDialog().waitFor();
    await leaveDialog().getByRole('button', { name: 'Stay on this page' }).click();
    await expect.poll(hash).toBe(entitlementHash);
    await suite.page.goBack();
    await leaveDialog().getByRole('button', { name: 'Leave without saving' }).click();
    await expect.poll(hash).toBe('#/triage');
  });

  it('opens a new Triage from the menu while the page left for is still loading its code', async () => {
    // A new document: no page's code is loaded yet but Triage's.
    await go('#/triage');
    await suite.page.reload();
    await noteBox().waitFor();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The Portfolio's code arrives only once Triage has been opened again.
    await suite.page.route(/\/assets\/portfolio-[^/]+\.js$/, async (route) => {
      await held;
      // The route may be gone by then (unrouted after the test): nothing to answer.
      await route.continue().catch(() => undefined);
    });
    await noteBox().fill('A note typed on the Triage that is left.');
    await menuLink('Portfolio').click();
    await expect.poll(hash).toBe('#/portfolio');
    await menuLink('Triage').click();
    await expect.poll(hash).toBe('#/triage');
    await noteBox().waitFor();
    try {
      expect(await noteBox().inputValue()).toBe('');
      await suite.page.getByText('Start typing a note to see the suggested reason code.').waitFor();
    } finally {
      release();
      await suite.page.unroute(/\/assets\/portfolio-[^/]+\.js$/);
    }
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
