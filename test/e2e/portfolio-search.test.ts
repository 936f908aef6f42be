/**
 * The portfolio's search box follows the address: the text filter lives in the hash (`q=`), and when
 * the address changes without typing (Back, Forward, a link, the menu) the box shows the new text, not
 * the old one, while typing still writes the address. The real server (seeded SQLite) and the built web
 * app in Debian's Chromium, as in web.test.ts. Skips with a message when Chromium or web/dist is missing.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** The seed's customers and how many entitlements each has (test/e2e/support/seed.ts). */
const SEED = { harbour: 'Harbour Logistics', lindqvist: 'Lindqvist Dental Group', orchard: 'Orchard Valley Schools', total: 10 } as const;

describeInBrowser('portfolio search box and the address in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, go, signIn } = suite;

  const search = () => suite.page.getByLabel('Search', { exact: true });
  const count = () => suite.page.locator('.result-count');
  /** The customer cell of every row on screen (the first cell is the checkbox). */
  const customers = () => suite.page.locator('.vbody [role=row] [role=cell]:nth-child(2)').allInnerTexts();
  const qOf = (url: string) => new URLSearchParams(new URL(url).hash.split('?')[1] ?? '').get('q');

  /** Waits until the list has settled on `rows` rows, each of them (when given) of `customer`. */
  const expectList = async (rows: number, customer?: string) => {
    await expect.poll(() => count().innerText()).toBe(`${rows} entitlement(s)`);
    const names = await customers();
    expect(names.length).toBe(rows);
    if (customer) for (const name of names) expect(name).toContain(customer);
  };

  beforeAll(async () => {
    await signIn(suite.world.manager);
  });

  it('writes typed text to the address, as before', async () => {
    await go('#/portfolio');
    await expectList(SEED.total);
    await search().pressSequentially('Lindqvist', { delay: 20 });
    await suite.page.waitForURL((url) => qOf(url.href) === 'Lindqvist');
    await expectList(3, SEED.lindqvist);
    expect(await search().inputValue()).toBe('Lindqvist');
  });

  it('shows the q of a link followed with another q, and lists its rows', async () => {
    await go('#/portfolio?q=Orchard');
    await expect.poll(() => search().inputValue()).toBe('Orchard');
    await expectList(2, SEED.orchard);
    // The address is not written back with the old text once the typing pause has passed.
    await suite.page.waitForTimeout(500);
    expect(qOf(suite.page.url())).toBe('Orchard');
    expect(await search().inputValue()).toBe('Orchard');
  });

  it('shows the earlier q after Back, and the later one after Forward', async () => {
    await suite.page.goBack();
    await expect.poll(() => qOf(suite.page.url())).toBe('Lindqvist');
    await expect.poll(() => search().inputValue()).toBe('Lindqvist');
    await expectList(3, SEED.lindqvist);

    await suite.page.goForward();
    await expect.poll(() => search().inputValue()).toBe('Orchard');
    await expectList(2, SEED.orchard);
  });

  it('empties the box when the menu link opens the portfolio without a q', async () => {
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    await expect.poll(() => qOf(suite.page.url())).toBeNull();
    await expect.poll(() => search().inputValue()).toBe('');
    await expectList(SEED.total);
  });

  it('keeps what is being typed when the address catches up with it', async () => {
    await search().pressSequentially('Harb', { delay: 20 });
    await suite.page.waitForURL((url) => qOf(url.href) === 'Harb');
    // Typing on after the address took the first part: nothing is lost or put back.
    await search().pressSequentially('our', { delay: 20 });
    expect(await search().inputValue()).toBe('Harbour');
    await suite.page.waitForURL((url) => qOf(url.href) === 'Harbour');
    await expectList(5, SEED.harbour);
    expect(await search().inputValue()).toBe('Harbour');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
