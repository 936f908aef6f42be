/**
 * Addresses that are no page of the app, in Chromium (the real server on the test seed): a mistyped or
 * outdated hash address shows "Page not found" in the app's frame, with the address as typed and links
 * to the user's pages (also when it was opened before signing in), instead of going to the first page
 * without a word; the home address still goes to the first page; and a path-style link (`/portfolio`,
 * answered by the server with the app) opens the page it names at its hash address.
 */
import { expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('addresses that are no page of the app, in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, submitSignIn } = suite;
  const notFound = () => suite.page.getByRole('heading', { name: 'Page not found', level: 1 });
  const hash = () => suite.page.evaluate<string>('window.location.hash');

  it('shows "Page not found" after signing in at an unknown address, keeping the address, with working links', async () => {
    await suite.page.goto(`${suite.url}/#/portfolo`);
    await submitSignIn(suite.world.editor);
    await notFound().waitFor();
    expect(await hash()).toBe('#/portfolo');
    expect(await suite.page.locator('main').innerText()).toContain('#/portfolo');
    expect(await suite.page.title()).toBe('Page not found · Unblock');
    // The frame stays: the main menu is there, and the page offers the user's own pages.
    const links = suite.page.getByRole('list', { name: 'Your pages' }).getByRole('link');
    expect(await links.allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Import', 'Reports', 'Playbook']);
    await expectAccessible('page not found');
    await links.filter({ hasText: 'Portfolio' }).click();
    await suite.page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
    expect(await hash()).toBe('#/portfolio');
  });

  it('shows it for a page name followed by more path, and still sends the home address to the first page', async () => {
    await go('#/reports/nope');
    await notFound().waitFor();
    expect(await hash()).toBe('#/reports/nope');
    await go('#/');
    await suite.page.getByRole('heading', { name: 'Triage a status note', level: 1 }).waitFor();
    expect(await hash()).toBe('#/triage');
  });

  it('opens a path-style link at its hash address', async () => {
    await suite.page.goto(`${suite.url}/portfolio?l1=Blocked`);
    await suite.page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
    expect(new URL(suite.page.url()).pathname).toBe('/');
    expect(await hash()).toBe('#/portfolio?l1=Blocked');
    await suite.page.goto(`${suite.url}/nowhere`);
    await notFound().waitFor();
    expect(suite.page.url()).toBe(`${suite.url}/#/nowhere`);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
