/**
 * QA of the web UI in Chromium on the test seed (session 12 of the web's QA passes).
 *
 * - Ageing: the chart's legend listed the reasons alphabetically (recharts' default `itemSorter`),
 *   while the data table's columns and the stacked bars follow the server's order, most entitlements
 *   first. Legend, tooltip and table now name them in that one order, so a reader matches a column to
 *   its colour in the legend, and the reason that counts most comes first everywhere.
 * - "Choose your own password" over a kept page: the page waited, hidden, under it with its own
 *   `<main id="main">` (and the account page's password form with the same field ids as the chooser's),
 *   so the document held duplicate ids. Now only the page shown has them.
 * - The entitlement page scrolled sideways (2,400 px wide at 390 px) when a note held a pasted link
 *   or an owner had no space: the history and the note coach's findings did not wrap.
 * - A save of an entitlement whose customer was deleted meanwhile said only "No entitlement with id 12".
 * - Change password turned `disabled` while it was sent, dropping the focus to the page.
 * - Signing out in another tab, or in as someone else, left this tab acting on the shared cookie: a
 *   save was refused in words about another user's role ("you are viewer" under an editor's name), or
 *   made as that other user. The tab now stops under "Your session has ended" at once, saying why.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, addEntitlement, createCustomer, createUser, deleteCustomer, listEntitlements, listHistory, setUserPassword, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const sol = { email: 'sol.sandoval@tidewater.test', name: 'Sol Sandoval', password: 'sol-own-choice-1' };

/** The ids the document holds more than once, each once (hidden elements included). */
const DUPLICATE_IDS = `(() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => id + ' x' + n);
})()`;

describeInBrowser('web QA 12 in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 404, 409, 503] });
  const { consoleErrors, expectAccessible } = suite;
  let solId = 0;

  beforeAll(async () => {
    const ctx = suite.services.tracker;
    solId = (await createUser(ctx, SYSTEM_ACTOR, { ...sol, role: 'editor', partnerId: suite.world.partnerId })).id;
    // Four Legal/Regulatory blockers beside the seed's one Customer IT blocker: by count Legal/Regulatory
    // comes first, alphabetically last.
    const quay = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'quayside-freight.example', name: 'Quayside Freight', partnerId: suite.world.partnerId, managed: true, region: 'EMEA', workloads: ['teams', 'onedrive', 'intune'] });
    await addEntitlement(ctx, SYSTEM_ACTOR, { customerId: quay.id, workload: 'teams', part: 'Rotterdam depot' });
    const now = suite.services.clock.now();
    for (const e of (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: quay.id, pageSize: 100 })).items) {
      await updateStatus(ctx, suite.world.editorActor, e.id, e.version, {
        l1: 'Blocked',
        l2: 'Legal/Regulatory',
        note: 'The port authority must approve storing cargo manifests in the cloud before this workload can start.',
        projectedUnblockDate: addDays(now, 40),
      });
    }
  });

  it('names the Ageing reasons in one order in the legend, the tooltip and the data table: most entitlements first', async () => {
    await suite.signIn(suite.world.editor);
    await suite.go('#/reports?report=ageing');
    const chart = suite.page.getByTestId('report-chart');
    await chart.locator('.recharts-legend-item-text').first().waitFor();
    const legend = await chart.locator('.recharts-legend-item-text').allInnerTexts();
    await suite.page.getByText('Data table').click();
    const columns = await suite.page.getByRole('region', { name: 'Ageing data' }).locator('th').allInnerTexts();
    expect(columns).toEqual(['days', 'Legal/Regulatory', 'Customer IT Infrastructure and Remediation']);
    expect(legend).toEqual(columns.slice(1));
    // The tooltip of a bar lists them in the same order.
    await chart.locator('.recharts-bar-rectangle').first().hover();
    const tooltip = chart.locator('.recharts-tooltip-item-name');
    await tooltip.first().waitFor();
    expect(await tooltip.allInnerTexts()).toEqual(columns.slice(1));
    // Note quality and the forecast: the legend in the table's order too.
    await suite.go('#/reports?report=forecast');
    await chart.locator('.recharts-legend-item-text').first().waitFor();
    expect(await chart.locator('.recharts-legend-item-text').allInnerTexts()).toEqual(['projected date', 'history of the reason']);
  });

  it('keeps one #main (and no other id twice) while a page waits under "Choose your own password"', async () => {
    await suite.signInFresh(sol);
    await suite.go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('Owner').fill('Sol in the first tab');
    expect(await suite.page.evaluate<string[]>(DUPLICATE_IDS)).toEqual([]);
    // A manager sets Sol's password (the session ends); signing in again leads to the chooser over the page.
    const given = 'given-by-maria-sol-1';
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, solId, given, { mustChangePassword: true });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.getByLabel('Password').fill(given);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
    await suite.page.getByText('The page you were on is kept as you left it').waitFor();
    expect(await suite.page.evaluate<number>("document.querySelectorAll('[id=\"main\"]').length")).toBe(1);
    expect(await suite.page.evaluate<string[]>(DUPLICATE_IDS)).toEqual([]);
    // The one #main is the chooser's, the page shown; the kept page's main is hidden, not a second landmark.
    expect(await suite.page.evaluate<boolean>("document.getElementById('main')?.classList.contains('choose-password') ?? false")).toBe(true);
    expect(await suite.page.evaluate<number>("[...document.querySelectorAll('main')].filter((m) => !m.hidden).length")).toBe(1);

    // Chosen: the page is back, with its #main (the skip link's target) and what was typed.
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill('sol-own-choice-2');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('sol-own-choice-2');
    await form.getByRole('button', { name: 'Save my password' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Your password is now your own' }).waitFor();
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Sol in the first tab');
    expect(await suite.page.evaluate<string | null>("document.getElementById('main')?.getAttribute('data-route') ?? null")).toBe(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    expect(await suite.page.evaluate<boolean>("document.getElementById('main')?.hidden ?? true")).toBe(false);
    expect(await suite.page.evaluate<string[]>(DUPLICATE_IDS)).toEqual([]);
    // The skip link still goes to the page's main.
    await suite.page.evaluate("document.querySelector('.skip-link')?.click()");
    expect(await suite.page.evaluate<string | null>("document.activeElement?.getAttribute('data-route') ?? null")).toBe(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
  });

  it('keeps My account’s password form from repeating the chooser’s field ids when it waits under it', async () => {
    await suite.go('#/account');
    await suite.page.getByRole('heading', { level: 2, name: 'Change password' }).waitFor();
    expect(await suite.page.evaluate<string[]>(DUPLICATE_IDS)).toEqual([]);
    await suite.page.getByLabel('Current password', { exact: true }).fill('typed on my account page');
    const given = 'given-by-maria-sol-2';
    await setUserPassword(suite.services.tracker, SYSTEM_ACTOR, solId, given, { mustChangePassword: true });
    // Any request now answers 401: the account page's own form sends one.
    await suite.page.getByLabel('New password', { exact: true }).fill('sol-own-choice-3');
    await suite.page.getByLabel('Repeat the new password', { exact: true }).fill('sol-own-choice-3');
    await suite.page.getByRole('button', { name: 'Change password' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.getByLabel('Password').fill(given);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
    await suite.page.getByText('The page you were on is kept as you left it').waitFor();
    expect(await suite.page.evaluate<string[]>(DUPLICATE_IDS)).toEqual([]);
    // The chooser's labels name its own fields.
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    expect(await suite.page.evaluate<string | null>('document.activeElement?.closest("main")?.className ?? null')).toContain('choose-password');
    await expectAccessible('choose your own password over My account');
    expect(consoleErrors).toEqual([]);
  });

  it('wraps a pasted link in a note and an owner with no space on the entitlement page and Triage at 390 and 1280 px, and shows a cut name or owner whole on hover in the portfolio', async () => {
    const ctx = suite.services.tracker;
    const name = 'Consolidated Intercontinental Maritime Logistics and Warehousing Services Holding Company '.repeat(3).trim();
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'consolidated-maritime.example', name, partnerId: suite.world.partnerId, managed: true, region: 'EMEA', workloads: ['teams'] });
    const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, pageSize: 10 })).items;
    const link = `https://contoso.sharepoint.example/sites/${'x'.repeat(240)}`;
    const owner = 'Maximiliana-Alexandrovna-Konstantinopoulou-Featherstonehaugh-Wolfeschlegelsteinhausenbergerdorff'.repeat(2).slice(0, 200);
    await updateStatus(ctx, suite.world.editorActor, e!.id, e!.version, {
      l1: 'Blocked',
      l2: 'Customer IT Infrastructure and Remediation',
      note: `The proxy drops real-time media traffic, so calls fail; the ticket is at ${link} and waits for the network team.`,
      owner,
      projectedUnblockDate: addDays(suite.services.clock.now(), 30),
    });
    await suite.signInFresh(suite.world.editor);
    for (const width of [390, 1280]) {
      await suite.page.setViewportSize({ width, height: 860 });
      await suite.go(`#/entitlements/${e!.id}`);
      await suite.page.getByRole('list', { name: 'Status history, newest first' }).waitFor();
      // The note coach names the link too.
      await suite.page.locator('.coach-findings').waitFor();
      const wide = await suite.page.evaluate<{ page: number; window: number; past: string[] }>(`(() => ({
        page: document.documentElement.scrollWidth,
        window: window.innerWidth,
        past: [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-scroll')).slice(0, 5).map((el) => el.tagName + '.' + el.className),
      }))()`);
      expect(wide, `${width} px`).toEqual({ page: width, window: width, past: [] });
    }
    // Triage: the note with its deciding words marked, and the grade's findings quoting the link.
    const pageWidth = () => suite.page.evaluate<number>('document.documentElement.scrollWidth');
    await suite.go('#/triage');
    const graded = suite.page.waitForResponse((response) => response.url().includes('/api/notes/grade'));
    await suite.page.locator('main textarea').first().fill(`The proxy drops real-time media; the ticket ${link} waits for the network team to open the ports.`);
    await graded;
    await suite.page.locator('.highlighted-note').waitFor();
    await suite.page.locator('.findings').first().waitFor();
    for (const width of [390, 1280]) {
      await suite.page.setViewportSize({ width, height: 860 });
      await expect.poll(pageWidth, { message: `Triage at ${width} px` }).toBe(width);
    }
    await suite.page.setViewportSize({ width: 1280, height: 860 });
    // The portfolio cuts the long name and owner with "…" in their cells; hovering shows them whole.
    await suite.go(`#/portfolio?q=${encodeURIComponent('Consolidated Intercontinental')}`);
    const row = suite.page.locator(`[role=row][data-row-id="${e!.id}"]`);
    await row.waitFor();
    expect(await row.locator('[role=cell]').nth(1).getAttribute('title')).toBe(name);
    expect(await row.locator('[role=cell]').nth(4).getAttribute('title')).toBe(owner);
    // The first entry's kind is a word of its own, not run into the name before it ("systemcreate").
    await suite.go(`#/entitlements/${e!.id}`);
    expect(await suite.page.locator('.timeline-head').last().innerText()).toMatch(/ · \S+ create$/);
    await suite.page.setViewportSize({ width: 1280, height: 860 });
  });

  it('says in words that an entitlement deleted meanwhile cannot be saved, instead of the API’s "No entitlement with id"', async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'made-by-mistake.example', name: 'Made By Mistake Ltd', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    const [e] = (await listEntitlements(ctx, SYSTEM_ACTOR, { customerId: customer.id, pageSize: 10 })).items;
    await suite.signInFresh(suite.world.editor);
    await suite.go(`#/entitlements/${e!.id}`);
    await suite.page.getByLabel('Owner').fill('Eddie Ramires');
    // A manager deletes the customer (created by mistake) in the meantime.
    await deleteCustomer(ctx, SYSTEM_ACTOR, customer.id, { reason: 'created by mistake' });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const refusal = suite.page.getByRole('alert').filter({ hasText: 'not saved' });
    await refusal.waitFor();
    const words = await refusal.innerText();
    expect(words).toContain('Your change was not saved: this entitlement no longer exists');
    expect(words).not.toContain('No entitlement with id');
    await refusal.getByRole('link', { name: 'portfolio' }).waitFor();
  });

  it('keeps the focus on Change password while it is sent and after a refusal, as every button that sends a request does', async () => {
    await suite.signInFresh(suite.world.editor);
    await suite.go('#/account');
    const form = suite.page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password', { exact: true }).fill(suite.world.editor.password);
    await form.getByLabel('New password', { exact: true }).fill('eddie-own-choice-9');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('eddie-own-choice-9');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await suite.page.route('**/api/me/password', async (route) => {
      await held;
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'The database is busy; try again in a moment.' } }) });
    });
    const button = form.getByRole('button', { name: /Change password|Changing/ });
    await button.click();
    const focusedText = () => suite.page.evaluate<string>("(document.activeElement?.tagName ?? '') + ':' + (document.activeElement?.textContent ?? '').trim()");
    await expect.poll(focusedText).toBe('BUTTON:Changing…');
    release();
    await form.getByRole('alert').filter({ hasText: 'The database is busy' }).waitFor();
    expect(await focusedText()).toBe('BUTTON:Change password');
    await suite.page.unroute('**/api/me/password');
  });

  it('stops a tab whose session another tab signed out of, or into as someone else, before it acts as them', async () => {
    const { editor, viewer } = suite.world;
    const id = suite.world.entitlements.conflictTarget;
    await suite.signInFresh(editor);
    await suite.go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Owner').fill('Typed by Eddie in the first tab');
    const dialog = suite.page.getByRole('dialog', { name: 'Your session has ended' });
    const other = await suite.context.newPage();
    try {
      // Signing out in another tab: this one says so at once, without waiting for a refused request.
      await other.goto(`${suite.url}/#/triage`);
      await other.getByRole('button', { name: 'Sign out' }).click();
      await other.getByLabel('Email').waitFor();
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('You signed out in another tab or window of this browser');
      await dialog.getByLabel('Password').fill(editor.password);
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      await dialog.waitFor({ state: 'detached' });

      // Another user signs in there: this tab no longer acts as Eddie, so it stops before a save made as Vera.
      await other.getByLabel('Email').fill(viewer.email);
      await other.getByLabel('Password').fill(viewer.password);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('navigation', { name: 'Main' }).waitFor();
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('Someone signed in as another user in another tab');
      expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Typed by Eddie in the first tab');

      // Eddie signs in again over there: the dialog here goes by itself, and the save is Eddie's.
      await other.getByRole('button', { name: 'Sign out' }).click();
      await other.getByLabel('Email').fill(editor.email);
      await other.getByLabel('Password').fill(editor.password);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('navigation', { name: 'Main' }).waitFor();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await other.close();
    }
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const history = await listHistory(suite.services.tracker, SYSTEM_ACTOR, id);
    expect(history.at(-1)?.changedByName).toBe(editor.name);
    expect(consoleErrors).toEqual([]);
  });
});
