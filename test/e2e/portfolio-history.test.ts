/**
 * The portfolio's address history, selection and Owner box in Chromium, on the test seed with three
 * owners set: a filter chosen from a list, a sort and the view are steps Back undoes, while typing in
 * the search box is not one step per keystroke; ticked rows that new filters no longer show are
 * unticked with a notice, so the bulk button counts (and acts on) only rows on screen and never does
 * nothing, and the bulk panel does not come back on its own; the Owner box says it matches a whole name
 * ignoring case and asks the server only on Enter, on leaving the box or on a name picked from its list;
 * saved views are each user's own.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, getEntitlement, listEntitlements, updateStatus } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** The seed has 10 entitlements: Harbour Logistics 5 (one Blocked: Teams), Lindqvist Dental Group 3, Orchard Valley Schools 2. */
const TOTAL = 10;

describeInBrowser('portfolio history, selection and Owner box in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  /** The query of every entitlement list request the page sent. */
  const listRequests: URLSearchParams[] = [];

  const count = () => suite.page.locator('.result-count');
  const l1 = () => suite.page.getByLabel('L1', { exact: true });
  const ownerBox = () => suite.page.getByRole('combobox', { name: /^Owner/ });
  const panel = () => suite.page.locator('form.bulk-panel');
  const bulkButton = () => suite.page.getByRole('button', { name: /^Change status of \d+ selected$/ });
  const query = () => new URLSearchParams(new URL(suite.page.url()).hash.split('?')[1] ?? '');
  const expectCount = (rows: number) => expect.poll(() => count().innerText()).toBe(`${rows} entitlement(s)`);

  beforeAll(async () => {
    const tracker = suite.services.tracker;
    const owners: [number, string, string][] = [
      [suite.world.customers.harbour, 'intune', 'Tomas Reyes'],
      [suite.world.customers.lindqvist, 'teams', 'Tomas Reyes'],
      [suite.world.customers.orchard, 'school-data-sync', 'Lucas Meyer'],
    ];
    for (const [customerId, workload, owner] of owners) {
      const row = (await listEntitlements(tracker, SYSTEM_ACTOR, { customerId, pageSize: 100 })).items.find((e) => e.workload === workload);
      if (!row) throw new Error(`no ${workload} entitlement`);
      const current = await getEntitlement(tracker, SYSTEM_ACTOR, row.id);
      await updateStatus(tracker, suite.world.editorActor, row.id, current.version, { owner });
    }
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/entitlements') listRequests.push(url.searchParams);
    });
    await signIn(suite.world.editor);
  });

  it('makes a filter chosen from a list, a sort and the view steps Back undoes; typed text replaces the entry', async () => {
    await go('#/triage');
    await go('#/portfolio');
    await expectCount(TOTAL);
    await suite.page.getByLabel('Search', { exact: true }).pressSequentially('Harbour', { delay: 20 });
    await suite.page.waitForURL((url) => url.hash.includes('q=Harbour'));
    await expectCount(5);
    await l1().selectOption('In Progress');
    await suite.page.waitForURL(/l1=In\+Progress/);
    await suite.page.getByLabel('L2', { exact: true }).selectOption('Migration');
    await suite.page.waitForURL(/l2=Migration/);
    await suite.page.getByRole('button', { name: 'Customer', exact: true }).click();
    await suite.page.waitForURL(/sort=customer/);
    await suite.page.getByRole('button', { name: 'Board by L1' }).click();
    await suite.page.waitForURL(/view=board/);

    await suite.page.goBack();
    await expect.poll(() => query().get('view')).toBeNull();
    expect(query().get('sort')).toBe('customer');
    await suite.page.goBack();
    await expect.poll(() => query().get('sort')).toBeNull();
    expect(query().get('l2')).toBe('Migration');
    await suite.page.goBack();
    await expect.poll(() => query().get('l2')).toBeNull();
    await expect.poll(() => suite.page.getByLabel('L2', { exact: true }).inputValue()).toBe('');
    expect(await l1().inputValue()).toBe('In Progress');
    await suite.page.goBack();
    await expect.poll(() => l1().inputValue()).toBe('');
    // The search was typed letter by letter, but it is one entry: the one the portfolio was opened with.
    expect(query().get('q')).toBe('Harbour');
    await expectCount(5);
    await suite.page.goBack();
    await suite.page.waitForURL((url) => url.hash === '#/triage');

    await suite.page.goForward();
    await suite.page.waitForURL((url) => url.hash.startsWith('#/portfolio'));
    expect(query().get('q')).toBe('Harbour');
  });

  it('unticks selected rows that new filters do not show, counts only rows on screen, and keeps the bulk panel closed', async () => {
    await go('#/portfolio?q=Harbour%20Logistics');
    await expectCount(5);
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Intune' }).check();
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics SharePoint Online' }).check();
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Teams', exact: true }).check();
    await suite.page.getByRole('button', { name: 'Change status of 3 selected' }).waitFor();

    // Blocked shows only Teams: the two others are unticked, and the notice says so.
    await l1().selectOption('Blocked');
    await expectCount(1);
    await suite.page.getByRole('button', { name: 'Change status of 1 selected' }).waitFor();
    expect(await suite.page.locator('.unselect-notice').innerText()).toContain('Unticked 2 selected entitlements that are not shown with these filters.');
    expect(await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Teams', exact: true }).isChecked()).toBe(true);

    // The button acts: the panel opens for the row shown.
    await bulkButton().click();
    await panel().getByRole('heading', { name: 'Change status of 1 entitlement(s) across 1 customer(s)' }).waitFor();
    await expectAccessible('bulk panel after a filter change');

    // A filter that shows none of the selected rows: nothing to act on, so no panel and a disabled button.
    await l1().selectOption('In Progress');
    await expectCount(2);
    await expect.poll(() => panel().count()).toBe(0);
    expect(await bulkButton().innerText()).toBe('Change status of 0 selected');
    expect(await bulkButton().isDisabled()).toBe(true);
    expect(await suite.page.locator('.unselect-notice').innerText()).toContain('Unticked 1 selected entitlement that is not shown');

    // Back to Blocked: the panel does not open by itself, and nothing hidden was kept ticked.
    await suite.page.goBack();
    await expect.poll(() => l1().inputValue()).toBe('Blocked');
    await expectCount(1);
    await suite.page.waitForTimeout(300);
    expect(await panel().count()).toBe(0);
    expect(await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Teams', exact: true }).isChecked()).toBe(false);
    expect(await bulkButton().isDisabled()).toBe(true);
  });

  it('shows no bulk button in the board, which has no checkboxes', async () => {
    await go('#/portfolio?q=Harbour%20Logistics');
    await expectCount(5);
    await suite.page.getByRole('checkbox', { name: 'Select Harbour Logistics Intune' }).check();
    await bulkButton().click();
    await panel().waitFor();
    await suite.page.getByRole('button', { name: 'Board by L1' }).click();
    await suite.page.getByRole('heading', { name: /^Blocked/ }).waitFor();
    expect(await bulkButton().count()).toBe(0);
    expect(await panel().count()).toBe(0);
    // Back in the table the selection is still there, but the panel waits to be asked for.
    await suite.page.getByRole('button', { name: 'Table', exact: true }).click();
    await suite.page.getByRole('button', { name: 'Change status of 1 selected' }).waitFor();
    expect(await panel().count()).toBe(0);
    await suite.page.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('says the Owner box matches a whole name ignoring case, and asks the server only when the name is applied', async () => {
    await go('#/portfolio');
    await expectCount(TOTAL);
    const described = (await ownerBox().getAttribute('aria-describedby')) ?? '';
    expect(described).not.toBe('');
    const description = (await Promise.all(described.split(' ').map((id) => suite.page.locator(`#${id}`).textContent()))).join(' ');
    expect(description).toContain('Matches a whole owner name, ignoring case');
    expect(await suite.page.locator('label[for=f-owner]').innerText()).toBe('Owner (whole name)');
    // Its list offers the owners of the rows loaded.
    const listed = suite.page.locator('#owner-list option');
    expect(await Promise.all((await listed.all()).map((o) => o.getAttribute('value')))).toEqual(['Lucas Meyer', 'Tomas Reyes']);

    const before = listRequests.length;
    await ownerBox().pressSequentially('tomas reyes', { delay: 20 });
    await suite.page.waitForTimeout(500);
    expect(listRequests.length).toBe(before);
    expect(query().get('owner')).toBeNull();
    await expectCount(TOTAL);

    await ownerBox().press('Enter');
    await expect.poll(() => query().get('owner')).toBe('tomas reyes');
    await expectCount(2);
    expect(listRequests.slice(before).map((q) => q.get('owner'))).toEqual(['tomas reyes']);
    // Filtered to one owner, the list still offers the others.
    expect(await suite.page.locator('#owner-list option').count()).toBe(2);

    // Leaving the box applies it too; a part of a name is not applied while typing.
    await ownerBox().fill('');
    await ownerBox().pressSequentially('Lucas Meyer', { delay: 20 });
    expect(query().get('owner')).toBe('tomas reyes');
    await ownerBox().press('Tab');
    await expect.poll(() => query().get('owner')).toBe('Lucas Meyer');
    await expectCount(1);

    // Applied owners are steps of history, and the box follows the address.
    await suite.page.goBack();
    await expect.poll(() => ownerBox().inputValue()).toBe('tomas reyes');
    await expectCount(2);

    // A name picked from the list applies at once. Headless Chromium shows no list to pick from, so the
    // pick is the event a browser sends for one: the whole value replaced, not typed.
    const beforePick = listRequests.length;
    await ownerBox().evaluate((el) => {
      // The tests compile without the DOM types: the little used here, typed by hand.
      const input = el as unknown as { dispatchEvent(event: unknown): boolean; ownerDocument: { defaultView: { InputEvent: new (type: string, init: object) => unknown } } };
      // React tracks the value it set; the prototype's setter changes it as the browser would.
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set;
      setter?.call(input, 'Lucas Meyer');
      input.dispatchEvent(new input.ownerDocument.defaultView.InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: 'Lucas Meyer' }));
    });
    await expect.poll(() => query().get('owner')).toBe('Lucas Meyer');
    await expectCount(1);
    expect(listRequests.slice(beforePick).map((q) => q.get('owner'))).toEqual(['Lucas Meyer']);
    await suite.page.goBack();
    await expect.poll(() => ownerBox().inputValue()).toBe('tomas reyes');

    // Escape puts back the owner applied.
    await ownerBox().fill('Someone');
    await ownerBox().press('Escape');
    expect(await ownerBox().inputValue()).toBe('tomas reyes');
  });

  it('keeps saved views per user', async () => {
    await go('#/portfolio?l1=Blocked');
    await expectCount(2);
    await suite.page.getByText(/^Saved views/).click();
    await suite.page.getByLabel('Name this view').fill('Editor blockers');
    await suite.page.getByRole('button', { name: 'Save view' }).click();
    await suite.page.getByRole('link', { name: 'Editor blockers' }).waitFor();
    expect(await suite.page.getByText(/^Saved views/).innerText()).toBe('Saved views (1)');

    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(suite.world.manager);
    await go('#/portfolio');
    expect(await suite.page.getByText(/^Saved views/).innerText()).toBe('Saved views (0)');

    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(suite.world.editor);
    await go('#/portfolio');
    expect(await suite.page.getByText(/^Saved views/).innerText()).toBe('Saved views (1)');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
