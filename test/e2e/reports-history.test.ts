/**
 * The Reports page's address history in Chromium, on the test seed: choosing a report, a filter from a
 * list and an applied period are each a step Back undoes, one at a time, until Back leaves Reports;
 * a value typed into Weeks ahead or a date field is one step however many keys it took; and the
 * address's own corrections (a bad value dropped, with a notice) rewrite the entry instead of adding
 * one, so Back does not return to the bad address.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('Reports history in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, go, signIn } = suite;

  const hash = () => decodeURIComponent(new URL(suite.page.url()).hash).replace(/\+/g, ' ');
  const heading = () => suite.page.locator('#report-title');
  const tab = (name: string) => suite.page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name, exact: true });
  const field = (label: string) => suite.page.getByLabel(label, { exact: true });
  /** Back one entry: the address and the report shown must both follow. */
  const back = async (address: string, title: string) => {
    await suite.page.goBack();
    await expect.poll(hash).toBe(address);
    await expect.poll(() => heading().innerText()).toBe(title);
  };

  beforeAll(async () => {
    await signIn(suite.world.manager);
  });

  it('walks Back through report, filter and period changes one at a time, then leaves Reports', async () => {
    await go('#/triage');
    await go('#/reports');
    await expect.poll(() => heading().innerText()).toBe('Blockers by reason');

    await tab('Ageing').click();
    await expect.poll(hash).toBe('#/reports?report=ageing');
    await field('L1').selectOption('In Progress');
    await expect.poll(hash).toBe('#/reports?report=ageing&l1=In Progress');
    await expect.poll(() => suite.page.locator('.report-facts').innerText()).toMatch(/^In Progress, as of/);
    await field('Workload').selectOption('teams');
    await expect.poll(hash).toBe('#/reports?report=ageing&l1=In Progress&workload=teams');

    await tab('Unblock forecast').click();
    await expect.poll(hash).toBe('#/reports?report=forecast');
    // Two keys, one step: the entry is replaced as they are typed, and kept once the box is left.
    await field('Weeks ahead').click();
    await suite.page.keyboard.type('20', { delay: 60 });
    await expect.poll(hash).toBe('#/reports?report=forecast&weeks=20');
    await suite.page.keyboard.press('Tab');
    await field('Workload').selectOption('teams');
    await expect.poll(hash).toBe('#/reports?report=forecast&weeks=20&workload=teams');

    await tab('Note quality').click();
    await expect.poll(hash).toBe('#/reports?report=quality');
    // A date typed digit by digit (its year reported as 0002, 0020, 0202, then 2025) is one step, kept on Enter.
    await field('To').click({ position: { x: 12, y: 10 } });
    await suite.page.keyboard.type('06302025', { delay: 60 });
    await expect.poll(hash).toBe('#/reports?report=quality&to=2025-06-30');
    await suite.page.keyboard.press('Enter');
    await field('From').click({ position: { x: 12, y: 10 } });
    await suite.page.keyboard.type('01152025', { delay: 60 });
    await expect.poll(hash).toBe('#/reports?report=quality&to=2025-06-30&from=2025-01-15');
    // Leaving the field keeps the From typed as a step of its own.
    await field('From').blur();

    await back('#/reports?report=quality&to=2025-06-30', 'Note quality');
    expect(await field('From').inputValue()).toBe('');
    expect(await field('To').inputValue()).toBe('2025-06-30');
    await back('#/reports?report=quality', 'Note quality');
    await expect.poll(() => field('To').inputValue()).toBe('');
    await back('#/reports?report=forecast&weeks=20&workload=teams', 'Unblock forecast');
    await expect.poll(() => field('Workload').inputValue()).toBe('teams');
    await back('#/reports?report=forecast&weeks=20', 'Unblock forecast');
    await expect.poll(() => field('Workload').inputValue()).toBe('');
    expect(await field('Weeks ahead').inputValue()).toBe('20');
    await back('#/reports?report=forecast', 'Unblock forecast');
    await expect.poll(() => field('Weeks ahead').inputValue()).toBe('');
    await back('#/reports?report=ageing&l1=In Progress&workload=teams', 'Ageing');
    await expect.poll(() => field('Workload').inputValue()).toBe('teams');
    await back('#/reports?report=ageing&l1=In Progress', 'Ageing');
    await expect.poll(() => field('Workload').inputValue()).toBe('');
    expect(await field('L1').inputValue()).toBe('In Progress');
    await back('#/reports?report=ageing', 'Ageing');
    await expect.poll(() => field('L1').inputValue()).toBe('Blocked');
    await expect.poll(() => suite.page.locator('.report-facts').innerText()).toMatch(/^Blocked, as of/);
    await back('#/reports', 'Blockers by reason');
    await suite.page.goBack();
    await suite.page.waitForURL((url) => url.hash === '#/triage');

    await suite.page.goForward();
    await suite.page.waitForURL((url) => url.hash === '#/reports');
    await suite.page.goForward();
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=ageing');
    await expect.poll(() => heading().innerText()).toBe('Ageing');
  });

  it('rewrites a bad address in place: Back does not return to it', async () => {
    await go('#/reports?report=blockers');
    await expect.poll(() => heading().innerText()).toBe('Blockers by reason');
    // An edited address entered in the open app: the bad L1 is dropped from it, with a notice.
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&l1=Bogus'`);
    await suite.page.locator('.url-notice').filter({ hasText: 'L1 "Bogus"' }).waitFor();
    await expect.poll(hash).toBe('#/reports?report=ageing');
    await back('#/reports?report=blockers', 'Blockers by reason');

    // A bad value typed into Weeks ahead is corrected in place too, and leaving the box adds no step.
    await tab('Unblock forecast').click();
    await expect.poll(hash).toBe('#/reports?report=forecast');
    await field('Weeks ahead').click();
    await suite.page.keyboard.type('0');
    await suite.page.locator('.url-notice').filter({ hasText: 'Weeks ahead "0"' }).waitFor();
    await expect.poll(hash).toBe('#/reports?report=forecast');
    await suite.page.keyboard.press('Tab');
    await back('#/reports?report=blockers', 'Blockers by reason');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
