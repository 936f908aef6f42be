/**
 * Web QA of the portfolio's saved views, keyboard only at 375 px (session 18, second pass).
 *
 * - **Save view** with the name box empty (or only spaces) did nothing and said nothing: a keyboard or
 *   screen reader user pressed it and could not tell whether a view was saved. It now says that the view
 *   needs a name, on the box, and keeps the focus there; a view saved is said in words, and a name used
 *   before says that the older view of that name was replaced.
 */
import { expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('web QA session 18 (portfolio saved views) in Chromium at 375 px', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401], context: { viewport: { width: 375, height: 800 } } });
  const { consoleErrors } = suite;

  it('says why Save view saved nothing without a name, and what it saved or replaced', async () => {
    await suite.signInFresh(suite.world.manager);
    await suite.go('#/portfolio?l1=Blocked');
    const views = suite.page.locator('details.saved-views');
    await views.locator('summary').focus();
    await suite.page.keyboard.press('Enter');
    const box = views.getByLabel('Name this view');
    await box.focus();
    await suite.page.keyboard.type('   ');
    await suite.page.keyboard.press('Enter');
    await views.getByText('Give the view a name to save it.').waitFor();
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await suite.page.evaluate<string>("document.activeElement?.id ?? ''")).toBe('view-name');
    expect(await views.locator('summary').innerText()).toBe('Saved views (0)');

    await box.fill('');
    await suite.page.keyboard.type('Blocked at Tidewater');
    await suite.page.keyboard.press('Enter');
    await views.getByRole('status').filter({ hasText: 'Saved the view “Blocked at Tidewater”.' }).waitFor();
    expect(await box.getAttribute('aria-invalid')).toBeNull();
    expect(await views.locator('summary').innerText()).toBe('Saved views (1)');

    await suite.go('#/portfolio?l1=Blocked&sort=owner');
    await suite.page.evaluate("document.querySelector('details.saved-views').open = true");
    await suite.page.locator('details.saved-views').getByLabel('Name this view').fill('blocked at tidewater ');
    await suite.page.locator('details.saved-views').getByRole('button', { name: 'Save view' }).click();
    await suite.page.locator('details.saved-views').getByRole('status').filter({ hasText: 'replaced' }).waitFor();
    expect(await suite.page.locator('details.saved-views summary').innerText()).toBe('Saved views (1)');
    expect(consoleErrors).toEqual([]);
  });
});
