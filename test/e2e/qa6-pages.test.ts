/**
 * Fixes from the qa6 web pass, in Chromium on the test seed: the customer page follows its address
 * (another customer, or Not found), a Triage link followed on Triage loads its note and names its
 * entitlement, Triage's prefill leaves the address once saved, focus after a conflict and after a
 * refused save (an error summary naming the fields), the note coach with the entitlement's workload
 * and one "reads as" line, lapsed dates as the API judges them, the note coach region the note field
 * points to, and signing in as another user after signing out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SYSTEM_ACTOR, getEntitlement, listEntitlements, updateStatus, type Actor } from '../../src/tracker/index.js';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './support/server.js';
import { expectAccessible, openBrowserPage, openPage } from './support/page.js';
import { addDays } from './support/seed.js';

const skipReason = findBrowserSkipReason();
if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('qa6 page fixes in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const go = (hash: string) => openPage(page, server.url, hash);
  /** Follows a link to `hash` as a click or the address bar does: a hash change in the running app. */
  const followLink = (hash: string) => page.evaluate((h) => { (globalThis as unknown as { location: { hash: string } }).location.hash = h; }, hash);
  /** The id of the focused element, or its tag when it has none. */
  const focused = () => page.evaluate<string>("document.activeElement?.id || document.activeElement?.tagName || ''");
  const signIn = async (login: { email: string; password: string }) => {
    await page.getByLabel('Email').fill(login.email);
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).waitFor();
  };
  /** The seeded entitlement of `customerId` for `workload` (and `part`). */
  const entitlementOf = async (customerId: number, workload: string, part = '') => {
    const { items } = await listEntitlements(server.services.tracker, SYSTEM_ACTOR, { customerId, pageSize: 100 });
    const e = items.find((x) => x.workload === workload && x.part === part);
    if (!e) throw new Error(`no entitlement ${customerId}/${workload}/${part}`);
    return e;
  };
  const managerActor = async (): Promise<Actor> => {
    const manager = await server.services.db.kysely.selectFrom('users').select('id').where('email', '=', server.world.manager.email).executeTakeFirstOrThrow();
    return { userId: manager.id, name: server.world.manager.name, role: 'manager', partnerId: server.world.partnerId };
  };

  beforeAll(async () => {
    server = await startE2eServer();
    ({ browser, context, page } = await openBrowserPage({ consoleErrors, allowedStatuses: [401, 404, 409, 422] }));
    await page.goto(server.url);
    await signIn(server.world.editor);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the customer of the address: another customer, or Not found, never the previous one', async () => {
    const { harbour, lindqvist } = server.world.customers;
    await go(`#/customers/${harbour}`);
    await page.getByRole('heading', { name: 'Harbour Logistics', level: 1 }).waitFor();
    // An action half done on this customer does not carry over to the next.
    await page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).click();
    await page.getByLabel('Why is this tenant a duplicate or invalid? (required)').fill('A test tenant');

    await followLink(`#/customers/${lindqvist}`);
    await page.getByRole('heading', { name: 'Lindqvist Dental Group', level: 1 }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Harbour Logistics');
    expect(await page.getByRole('form', { name: 'Mark every entitlement Duplicate/Invalid' }).count()).toBe(0);

    await followLink('#/customers/999999');
    await page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Lindqvist');
    expect(await page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).count()).toBe(0);

    await page.goBack();
    await page.getByRole('heading', { name: 'Lindqvist Dental Group', level: 1 }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Harbour Logistics', level: 1 }).waitFor();
  });

  it('loads the note of a Triage link followed while on Triage, names its entitlement and grades for its workload', async () => {
    const id = server.world.entitlements.triageTarget;
    const note = 'The proxy drops the Intune enrolment traffic; the network team will open the ports after the firewall change in January.';
    await go('#/triage');
    await page.getByLabel('Type or paste the status note').fill('something else entirely');
    const [grade] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/notes/grade') && (r.postDataJSON() as { text?: string }).text === note),
      followLink(`#/triage?entitlement=${id}&note=${encodeURIComponent(note)}`),
    ]);
    await expect.poll(() => page.getByLabel('Type or paste the status note').inputValue()).toBe(note);
    expect((grade.postDataJSON() as { workload?: string }).workload).toBe('intune');
    await page.getByRole('button', { name: /^Apply .* to Harbour Logistics · Intune$/ }).waitFor();
    const template = page.locator('.template em');
    await template.waitFor();
    expect(await template.innerText()).not.toContain('{workload}');
    expect(await template.innerText()).toContain('Intune');
    await expectAccessible(page, 'triage from a link');

    // A link to an entitlement that does not exist falls back to the search, saying why.
    await followLink(`#/triage?entitlement=999999&note=${encodeURIComponent(note)}`);
    await page.getByText('The link names entitlement 999999, which does not exist or is not one you can see.').waitFor();
    await page.getByLabel('Find the entitlement (customer, workload or tenant)').waitFor();
  });

  it('takes the triage prefill out of the address once saved, so a reload shows the newer status', async () => {
    const e = await entitlementOf(server.world.customers.orchard, 'school-data-sync');
    const note = 'The school board must approve the data protection terms for pupil records first; their counsel reviews them next month.';
    await go(`#/entitlements/${e.id}?l1=Blocked&l2=${encodeURIComponent('Legal/Regulatory')}&note=${encodeURIComponent(note)}`);
    await page.getByText('Prefilled from triage').waitFor();
    await page.getByLabel('Projected unblock date').fill(addDays(new Date(), 40));
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Saved.').waitFor();
    await page.waitForURL((url) => url.hash === `#/entitlements/${e.id}`);

    await page.getByLabel('L1 status').selectOption('Status Unknown');
    await page.getByLabel('L2 reason').selectOption('Customer Unresponsive');
    await page.getByLabel('Status note').fill('Three emails and two calls to the IT lead since October without any reply; managed account, escalated.');
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Saved.').waitFor();
    await expect.poll(async () => (await getEntitlement(server.services.tracker, SYSTEM_ACTOR, e.id)).l1).toBe('Status Unknown');

    await page.reload();
    await page.getByLabel('L1 status').waitFor();
    expect(await page.getByLabel('L1 status').inputValue()).toBe('Status Unknown');
    expect(await page.getByText('Prefilled from triage').count()).toBe(0);
    expect(page.url()).not.toContain('l1=');
  });

  it('moves focus to the conflict panel, and back to the form once the conflict is resolved', async () => {
    const id = server.world.entitlements.conflictTarget;
    await go(`#/entitlements/${id}`);
    await page.getByLabel('Status note').waitFor();
    const before = await getEntitlement(server.services.tracker, SYSTEM_ACTOR, id);
    await updateStatus(server.services.tracker, await managerActor(), id, before.version, {
      l1: 'In Progress',
      l2: 'Technical Onboarding and Deployment',
      note: 'Teams policies are being configured for the clinics; the pilot starts once the meeting rooms are set up.',
      targetDate: addDays(new Date(), 50),
    });
    await page.getByLabel('Owner').fill('Nina Berg');
    await page.getByLabel('Owner').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Someone else saved first' }).waitFor();
    await expect.poll(focused).toBe('conflict-heading');
    // The next Tab reaches the panel's choices, not the top of the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Discard mine and load theirs');
    await expectAccessible(page, 'conflict with focus');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Someone else saved first' }).count()).toBe(0);
    await expect.poll(focused).toBe('status-heading');
  });

  it('names the fields of a refused save in the summary and focuses the first one', async () => {
    await go(`#/entitlements/${server.world.entitlements.ruleTarget}`);
    await page.getByLabel('L1 status').selectOption('Blocked');
    await page.getByLabel('L2 reason').selectOption('Partner Engagement');
    await page.getByLabel('Status note').fill('ok');
    await page.getByRole('button', { name: 'Save status' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'before saving' });
    await summary.waitFor();
    // The note comes first in the form, so it takes the focus.
    await expect.poll(focused).toBe('status-note');
    expect(await summary.getByRole('button').allInnerTexts()).toEqual(['Status note', 'Projected unblock date']);
    expect(await summary.innerText()).toBe('Fix 2 problem(s) before saving, in Status note and Projected unblock date. Each problem is written under its field.');
    expect(await page.locator('#status-projectedUnblockDate-issues').innerText()).toContain('Blocked needs a projected unblock date.');
    await summary.getByRole('button', { name: 'Projected unblock date' }).click();
    await expect.poll(focused).toBe('status-projectedUnblockDate');
    await expectAccessible(page, 'error summary');
  });

  it('grades the note for the entitlement\'s workload and says "reads as another code" once', async () => {
    const e = await entitlementOf(server.world.customers.harbour, 'exchange-online');
    await go(`#/entitlements/${e.id}`);
    const [grade] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/notes/grade') && (r.postDataJSON() as { text?: string }).text === 'working on it'),
      page.getByLabel('Status note').fill('working on it'),
    ]);
    expect((grade.postDataJSON() as { workload?: string }).workload).toBe('exchange-online');
    const coach = page.locator('#status-note-coach');
    await coach.getByText('Note grade:').waitFor();
    await expect.poll(() => coach.innerText()).toContain('Exchange Online');
    expect(await coach.innerText()).not.toContain('{workload}');

    await page.getByLabel('Status note').fill('Customer IT has no change window until the CAB approves the rollout; we need their change manager to schedule it.');
    await expect.poll(() => coach.innerText()).toMatch(/reads as/);
    expect((await coach.innerText()).match(/reads as/g)).toHaveLength(1);

    // The note field always points to a coach region that exists, empty while the note is.
    await page.getByLabel('Status note').fill('');
    await expect.poll(() => coach.innerText()).toBe('');
    expect(await page.getByLabel('Status note').getAttribute('aria-describedby')).toContain('status-note-coach');
    expect(await coach.count()).toBe(1);
  });

  it('treats lapsed dates as the API does: a kept unblock date saves, a kept target date says what to do', async () => {
    const kysely = server.services.db.kysely;
    const past = addDays(new Date(), -5);
    const blocked = await entitlementOf(server.world.customers.lindqvist, 'onedrive');
    const inProgress = await entitlementOf(server.world.customers.harbour, 'teams', 'Nordic subsidiary');
    await kysely.updateTable('entitlements').set({ projected_unblock_date: past }).where('id', '=', blocked.id).execute();
    await kysely.updateTable('entitlements').set({ target_date: past }).where('id', '=', inProgress.id).execute();

    // Blocked with a past projected unblock date: an owner change keeps the date, and the API takes it.
    await go(`#/entitlements/${blocked.id}`);
    await page.getByLabel('Owner').fill('Nina Berg');
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Saved.').waitFor();
    const savedBlocked = await getEntitlement(server.services.tracker, SYSTEM_ACTOR, blocked.id);
    expect([savedBlocked.owner, savedBlocked.projectedUnblockDate]).toEqual(['Nina Berg', past]);

    // In Progress with a past target date: the API refuses any save that keeps it, so the page says so
    // before Save and names the field after it.
    await go(`#/entitlements/${inProgress.id}`);
    const notice = page.locator('#status-lapsed');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(`The target date ${past} has passed.`);
    expect(await notice.innerText()).toContain('set a new target date');
    await expectAccessible(page, 'lapsed target date');
    await page.getByLabel('Owner').fill('Nina Berg');
    await page.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(focused).toBe('status-targetDate');
    expect(await page.locator('#status-targetDate-issues').innerText()).toContain('even one that changes only the owner or the note: set a new target date');
    expect((await getEntitlement(server.services.tracker, SYSTEM_ACTOR, inProgress.id)).owner).toBeNull();

    await page.getByLabel('Target date').fill(addDays(new Date(), 30));
    expect(await notice.count()).toBe(0);
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await getEntitlement(server.services.tracker, SYSTEM_ACTOR, inProgress.id)).owner).toBe('Nina Berg');
  });

  it('starts another user who signs in after a sign-out on their own first page, the same user where they were', async () => {
    const address = `#/entitlements/${server.world.entitlements.blocked}`;
    await go(address);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.hash === address);
    await signIn(server.world.viewer);
    await page.waitForURL((url) => url.hash === '#/triage');

    await go(address);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.hash === address);
    await signIn(server.world.viewer);
    await page.getByRole('heading', { name: /Harbour Logistics · Teams/, level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe(address);
    await context.clearCookies();
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
