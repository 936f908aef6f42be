/**
 * What Back brings back, in Chromium on the test seed (plus 40 generated entitlements, so the
 * portfolio's virtualised table scrolls): Triage's note, its result and the candidate picked, after
 * Apply and Back (a visit from the menu still starts empty); and on the Portfolio the focus on the row
 * link that was followed (in the table, also a row scrolled far down, and on the board), as Reports
 * does, but the page's heading when that row is no longer listed or the portfolio was opened afresh.
 */
import { expect, it } from 'vitest';
import { getEntitlement, SYSTEM_ACTOR, updateStatus } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** The little of the page's DOM the test reads in the page (the tests compile without the DOM types). */
interface ShownRoute {
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
}

describeInBrowser('Back restores Triage and the Portfolio focus in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401], extraEntitlements: 40 });
  const { consoleErrors, go, signIn } = suite;

  const menuLink = (name: string) => suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const noteBox = () => suite.page.getByLabel('Type or paste the status note');
  const chosenLabel = () => suite.page.locator('.candidate.chosen .candidate-label strong').innerText();
  /** The focused element: its tag, its href and the aria-rowindex of its table row (or `card` on the board). */
  const focused = () =>
    suite.page.evaluate<string>(
      "(() => { const a = document.activeElement; if (!a) return ''; const row = a.closest('[role=row]'); const place = row ? row.getAttribute('aria-rowindex') : a.closest('.board-card') ? 'card' : '-'; return `${a.tagName}:${a.getAttribute('href') ?? (a.textContent ?? '').trim().slice(0, 40)}:${place}`; })()",
    );
  /** Waits for the portfolio's list to have loaded completely. */
  const listLoaded = () => suite.page.locator('.result-count').filter({ hasText: /^\d+ entitlement\(s\)$/ }).waitFor();
  /**
   * The page shown after a move: its main is marked with the hash it rendered for (a function: the app's
   * CSP refuses eval), and its heading is on screen. Until then the page left is still there, hidden, while
   * the new one loads, and a move back at once would find it as it was.
   */
  const shown = async (hash: RegExp) => {
    await suite.page.waitForFunction((pattern) => new RegExp(pattern).test((globalThis as unknown as ShownRoute).document.querySelector('main')?.getAttribute('data-route') ?? ''), hash.source);
    await suite.page.locator('main h1').first().waitFor();
  };

  /** Answers the leave question when the page left asks it (an entitlement form holding Triage's prefill may). */
  const leaveIfAsked = async () => {
    const dialog = suite.page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor({ timeout: 1_500 }).then(
      () => dialog.getByRole('button', { name: 'Leave without saving' }).click(),
      () => undefined,
    );
  };

  it('brings the note, its result and the candidate picked back after Apply and Back; the menu opens Triage empty', async () => {
    await signIn(suite.world.editor);
    await go('#/triage');
    const note = 'The customer wants Intune, but their firewall and proxy block device enrolment traffic until the network team changes the rules.';
    await noteBox().fill(note);
    const candidates = suite.page.getByRole('group', { name: 'Candidates, best first' });
    await candidates.waitFor();
    // Not the top candidate: Back must bring back the user's choice, not a new ranking's first.
    await candidates.getByRole('radio').nth(1).check();
    const picked = await chosenLabel();

    await suite.page.getByLabel('Find the entitlement (customer, workload or tenant)').fill('Harbour');
    await suite.page.getByRole('button', { name: /Harbour Logistics · Intune/ }).click();
    await suite.page.getByText('Prefilled from triage').waitFor();
    await suite.page.goBack();
    await leaveIfAsked();
    await shown(/^#\/triage$/);

    await expect.poll(() => noteBox().inputValue()).toBe(note);
    await candidates.waitFor();
    await expect.poll(chosenLabel).toBe(picked);
    await suite.page.getByText('Note grade:').waitFor();

    // A visit from the menu is a new entry: it starts empty, as it always did.
    await menuLink('Portfolio').click();
    await shown(/^#\/portfolio/);
    await menuLink('Triage').click();
    await shown(/^#\/triage$/);
    await suite.page.getByText('Start typing a note to see the suggested reason code.').waitFor();
    expect(await noteBox().inputValue()).toBe('');

    // Back to the portfolio and Back again: the entry left with the note still has it, and the new one
    // (Forward twice) is still empty.
    await suite.page.goBack();
    await shown(/^#\/portfolio/);
    await suite.page.goBack();
    await shown(/^#\/triage$/);
    await expect.poll(() => noteBox().inputValue()).toBe(note);
    await expect.poll(chosenLabel).toBe(picked);
    await suite.page.goForward();
    await shown(/^#\/portfolio/);
    await suite.page.goForward();
    await shown(/^#\/triage$/);
    await suite.page.getByText('Start typing a note to see the suggested reason code.').waitFor();
    expect(await noteBox().inputValue()).toBe('');
  });

  it('puts the focus back on the row link followed from the portfolio table, not on a like link of another row', async () => {
    await go('#/portfolio?q=harbour&sort=customer');
    await listLoaded();
    // Harbour's rows all link the same customer: the second row's link is the one to come back to.
    const link = suite.page.locator('.vbody [role=row][aria-rowindex="3"] a[href^="#/customers/"]');
    const href = await link.getAttribute('href');
    await link.focus();
    await suite.page.keyboard.press('Enter');
    await shown(/^#\/customers\//);
    await suite.page.goBack();
    await shown(/^#\/portfolio\?/);
    await expect.poll(focused, { timeout: 10_000 }).toBe(`A:${href}:3`);
  });

  it('scrolls the table back to a row far down and focuses its link', async () => {
    await go('#/portfolio?sort=customer');
    await listLoaded();
    const total = Number((await suite.page.locator('.vtable').getAttribute('aria-rowcount')) ?? 0);
    expect(total).toBeGreaterThan(40);
    await suite.page.locator('.vbody').evaluate((body) => body.scrollTo(0, body.scrollHeight));
    const last = suite.page.locator(`.vbody [role=row][aria-rowindex="${total}"] a[href^="#/entitlements/"]`);
    const href = await last.getAttribute('href');
    await last.click();
    await shown(/^#\/entitlements\//);
    await suite.page.goBack();
    await shown(/^#\/portfolio\?/);
    await expect.poll(focused, { timeout: 10_000 }).toBe(`A:${href}:${total}`);

    // The portfolio opened afresh (the menu) starts on its heading.
    await last.click();
    await shown(/^#\/entitlements\//);
    await menuLink('Portfolio').click();
    await shown(/^#\/portfolio$/);
    await listLoaded();
    await expect.poll(focused).toBe('H1:Portfolio:-');
  });

  it('focuses the card followed on the board', async () => {
    await go('#/portfolio?view=board');
    await listLoaded();
    const card = suite.page.locator('.board-card a').nth(2);
    const href = await card.getAttribute('href');
    await card.click();
    await shown(/^#\/entitlements\//);
    await suite.page.goBack();
    await shown(/^#\/portfolio\?view=board$/);
    await expect.poll(focused, { timeout: 10_000 }).toBe(`A:${href}:card`);
  });

  it('leaves the focus on the heading when the row followed is no longer listed', async () => {
    await go('#/portfolio?l1=Blocked');
    await listLoaded();
    const id = suite.world.entitlements.blocked;
    await suite.page.locator(`.vbody a[href="#/entitlements/${id}"]`).click();
    await shown(/^#\/entitlements\//);
    // Someone else unblocks it meanwhile: the Blocked list no longer has it.
    const current = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    await updateStatus(suite.services.tracker, suite.world.editorActor, id, current.version, {
      l1: 'In Progress',
      l2: 'Technical Onboarding and Deployment',
      note: 'The network team opened the media ports; calls now work from the warehouse and the rollout goes on.',
      targetDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });
    await suite.page.goBack();
    await shown(/^#\/portfolio\?l1=Blocked$/);
    await listLoaded();
    await expect.poll(focused).toBe('H1:Portfolio:-');
    await suite.page.waitForTimeout(300);
    expect(await focused()).toBe('H1:Portfolio:-');
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
