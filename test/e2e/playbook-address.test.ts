/**
 * The playbook page and the address in Chromium: a code picked in the index shows that code alone
 * (`code=`), each pick is a step Back and Forward walk through, the text filter (`q=`) follows the
 * address both ways, and the index lists each code once.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('playbook page and the address in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;

  const index = () => suite.page.getByRole('navigation', { name: 'Codes' });
  const filter = () => suite.page.getByLabel('Filter codes');
  /** The heading of every code card shown. */
  const cards = () => suite.page.locator('article.code-card h2').allInnerTexts();
  const query = () => new URLSearchParams(new URL(suite.page.url()).hash.split('?')[1] ?? '');
  const expectOnly = async (heading: string) => {
    await expect.poll(cards).toEqual([heading]);
  };

  beforeAll(async () => {
    await signIn(suite.world.viewer);
  });

  it('shows the one code picked in the index, and moves focus to it', async () => {
    await go('#/playbook');
    await expect.poll(async () => (await cards()).length).toBeGreaterThan(10);
    await index().getByRole('link', { name: 'Migration', exact: true }).click();
    await expectOnly('In Progress / Migration');
    expect(query().get('code')).toBe('in-progress/migration');
    expect(query().get('q')).toBeNull();
    await expect.poll(() => suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('In Progress / Migration');
    expect(await index().getByRole('link', { name: 'Migration', exact: true }).getAttribute('aria-current')).toBe('true');
    await expectAccessible('playbook, one code');

    await index().getByRole('link', { name: 'Adoption Readiness', exact: true }).click();
    await expectOnly('Blocked / Adoption Readiness');
    await index().getByRole('link', { name: 'Legal/Regulatory', exact: true }).click();
    await expectOnly('Blocked / Legal/Regulatory');
  });

  it('follows Back and Forward between picked codes', async () => {
    await suite.page.goBack();
    await expectOnly('Blocked / Adoption Readiness');
    await suite.page.goBack();
    await expectOnly('In Progress / Migration');
    await suite.page.goForward();
    await expectOnly('Blocked / Adoption Readiness');
    await suite.page.getByRole('link', { name: 'Show every code' }).click();
    await expect.poll(async () => (await cards()).length).toBeGreaterThan(10);
    expect(query().get('code')).toBeNull();
  });

  it('writes the typed filter to the address, and shows the address\'s filter after Back and Forward', async () => {
    await go('#/playbook?q=Migration');
    await expect.poll(() => filter().inputValue()).toBe('Migration');
    const migration = await cards();
    expect(migration).toContain('In Progress / Migration');
    await go('#/playbook?q=Adoption%20Readiness');
    await expect.poll(() => filter().inputValue()).toBe('Adoption Readiness');
    await expect.poll(cards).toContain('Blocked / Adoption Readiness');

    await suite.page.goBack();
    await expect.poll(() => filter().inputValue()).toBe('Migration');
    await expect.poll(cards).toEqual(migration);
    await suite.page.goForward();
    await expect.poll(() => filter().inputValue()).toBe('Adoption Readiness');

    // Typing writes the address (one entry for the whole word, not one per letter) and leaves a picked code.
    await index().getByRole('link', { name: 'Service Reliability', exact: true }).click();
    await expectOnly('Blocked / Service Reliability');
    expect(await filter().inputValue()).toBe('');
    await filter().pressSequentially('Legal', { delay: 20 });
    await suite.page.waitForURL((url) => new URLSearchParams(url.hash.split('?')[1]).get('q') === 'Legal');
    expect(query().get('code')).toBeNull();
    await expect.poll(cards).toContain('Blocked / Legal/Regulatory');
    await suite.page.goBack();
    await expect.poll(() => filter().inputValue()).toBe('Adoption Readiness');
  });

  it('lists each code once in the index, and says so when the address names no code', async () => {
    await go('#/playbook');
    expect(await index().getByRole('link', { name: 'Duplicate/Invalid', exact: true }).count()).toBe(1);
    await index().getByRole('link', { name: 'Duplicate/Invalid', exact: true }).click();
    await expectOnly('Duplicate/Invalid');

    await go('#/playbook?code=nonsense');
    await suite.page.getByText('The playbook has no code “nonsense”.').waitFor();
    expect(await cards()).toEqual([]);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
