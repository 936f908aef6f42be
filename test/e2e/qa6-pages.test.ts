/**
 * Fixes from the qa6 web pass, in Chromium on the test seed: the customer page follows its address
 * (another customer, or Not found), a Triage link followed on Triage loads its note and names its
 * entitlement, Triage's prefill leaves the address once saved, focus after a conflict and after a
 * refused save (an error summary naming the fields), the note coach with the entitlement's workload
 * and one "reads as" line, lapsed dates as the API judges them, the note coach region the note field
 * points to, and signing in as another user after signing out.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, getEntitlement, listEntitlements, updateStatus, type Actor } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('qa6 page fixes in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 404, 409, 422] });
  const { consoleErrors, expectAccessible, go, signIn, submitSignIn } = suite;

  /** Follows a link to `hash` as a click or the address bar does: a hash change in the running app. */
  const followLink = (hash: string) => suite.page.evaluate((h) => { (globalThis as unknown as { location: { hash: string } }).location.hash = h; }, hash);
  /** The id of the focused element, or its tag when it has none. */
  const focused = () => suite.page.evaluate<string>("document.activeElement?.id || document.activeElement?.tagName || ''");
  /** The seeded entitlement of `customerId` for `workload` (and `part`). */
  const entitlementOf = async (customerId: number, workload: string, part = '') => {
    const { items } = await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { customerId, pageSize: 100 });
    const e = items.find((x) => x.workload === workload && x.part === part);
    if (!e) throw new Error(`no entitlement ${customerId}/${workload}/${part}`);
    return e;
  };
  const managerActor = async (): Promise<Actor> => {
    const manager = await suite.services.db.kysely.selectFrom('users').select('id').where('email', '=', suite.world.manager.email).executeTakeFirstOrThrow();
    return { userId: manager.id, name: suite.world.manager.name, role: 'manager', partnerId: suite.world.partnerId };
  };

  beforeAll(async () => {
    await signIn(suite.world.editor);
  });

  it('shows the customer of the address: another customer, or Not found, never the previous one', async () => {
    const { harbour, lindqvist } = suite.world.customers;
    await go(`#/customers/${harbour}`);
    await suite.page.getByRole('heading', { name: 'Harbour Logistics', level: 1 }).waitFor();
    // An action half done on this customer does not carry over to the next.
    await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).click();
    await suite.page.getByLabel('Why is this tenant a duplicate or invalid? (required)').fill('A test tenant');

    await followLink(`#/customers/${lindqvist}`);
    await suite.page.getByRole('heading', { name: 'Lindqvist Dental Group', level: 1 }).waitFor();
    expect(await suite.page.locator('main').innerText()).not.toContain('Harbour Logistics');
    expect(await suite.page.getByRole('form', { name: 'Mark every entitlement Duplicate/Invalid' }).count()).toBe(0);

    await followLink('#/customers/999999');
    await suite.page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
    expect(await suite.page.locator('main').innerText()).not.toContain('Lindqvist');
    expect(await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).count()).toBe(0);

    await suite.page.goBack();
    await suite.page.getByRole('heading', { name: 'Lindqvist Dental Group', level: 1 }).waitFor();
    await suite.page.goBack();
    await suite.page.getByRole('heading', { name: 'Harbour Logistics', level: 1 }).waitFor();
  });

  it('loads the note of a Triage link followed while on Triage, names its entitlement and grades for its workload', async () => {
    const id = suite.world.entitlements.triageTarget;
    const note = 'The proxy drops the Intune enrolment traffic; the network team will open the ports after the firewall change in January.';
    await go('#/triage');
    await suite.page.getByLabel('Type or paste the status note').fill('something else entirely');
    const [grade] = await Promise.all([
      suite.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/notes/grade') && (r.postDataJSON() as { text?: string }).text === note),
      followLink(`#/triage?entitlement=${id}&note=${encodeURIComponent(note)}`),
    ]);
    await expect.poll(() => suite.page.getByLabel('Type or paste the status note').inputValue()).toBe(note);
    expect((grade.postDataJSON() as { workload?: string }).workload).toBe('intune');
    await suite.page.getByRole('button', { name: /^Apply .* to Harbour Logistics · Intune$/ }).waitFor();
    const template = suite.page.locator('.template em');
    await template.waitFor();
    expect(await template.innerText()).not.toContain('{workload}');
    expect(await template.innerText()).toContain('Intune');
    await expectAccessible('triage from a link');

    // A link to an entitlement that does not exist falls back to the search, saying why.
    await followLink(`#/triage?entitlement=999999&note=${encodeURIComponent(note)}`);
    await suite.page.getByText('The link names entitlement 999999, which does not exist or is not one you can see.').waitFor();
    await suite.page.getByLabel('Find the entitlement (customer, workload or tenant)').waitFor();
  });

  it('takes the triage prefill out of the address once saved, so a reload shows the newer status', async () => {
    const e = await entitlementOf(suite.world.customers.orchard, 'school-data-sync');
    const note = 'The school board must approve the data protection terms for pupil records first; their counsel reviews them next month.';
    await go(`#/entitlements/${e.id}?l1=Blocked&l2=${encodeURIComponent('Legal/Regulatory')}&note=${encodeURIComponent(note)}`);
    await suite.page.getByText('Prefilled from triage').waitFor();
    await suite.page.getByLabel('Projected unblock date').fill(addDays(new Date(), 40));
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    await suite.page.waitForURL((url) => url.hash === `#/entitlements/${e.id}`);

    await suite.page.getByLabel('L1 status').selectOption('Status Unknown');
    await suite.page.getByLabel('L2 reason').selectOption('Customer Unresponsive');
    await suite.page.getByLabel('Status note').fill('Three emails and two calls to the IT lead since October without any reply; managed account, escalated.');
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    await expect.poll(async () => (await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, e.id)).l1).toBe('Status Unknown');

    await suite.page.reload();
    await suite.page.getByLabel('L1 status').waitFor();
    expect(await suite.page.getByLabel('L1 status').inputValue()).toBe('Status Unknown');
    expect(await suite.page.getByText('Prefilled from triage').count()).toBe(0);
    expect(suite.page.url()).not.toContain('l1=');
  });

  it('moves focus to the conflict panel, and back to the form once the conflict is resolved', async () => {
    const id = suite.world.entitlements.conflictTarget;
    await go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Status note').waitFor();
    const before = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    await updateStatus(suite.services.tracker, await managerActor(), id, before.version, {
      l1: 'In Progress',
      l2: 'Technical Onboarding and Deployment',
      note: 'Teams policies are being configured for the clinics; the pilot starts once the meeting rooms are set up.',
      targetDate: addDays(new Date(), 50),
    });
    await suite.page.getByLabel('Owner').fill('Nina Berg');
    await suite.page.getByLabel('Owner').press('Enter');
    await suite.page.getByRole('alert').filter({ hasText: 'Someone else saved first' }).waitFor();
    await expect.poll(focused).toBe('conflict-heading');
    // The next Tab reaches the panel's choices, not the top of the page.
    await suite.page.keyboard.press('Tab');
    expect(await suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Discard mine and load theirs');
    await expectAccessible('conflict with focus');
    await suite.page.keyboard.press('Enter');
    await expect.poll(() => suite.page.getByRole('alert').filter({ hasText: 'Someone else saved first' }).count()).toBe(0);
    await expect.poll(focused).toBe('status-heading');
  });

  it('names the fields of a refused save in the summary and focuses the first one', async () => {
    await go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('L1 status').selectOption('Blocked');
    await suite.page.getByLabel('L2 reason').selectOption('Partner Engagement');
    await suite.page.getByLabel('Status note').fill('ok');
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const summary = suite.page.getByRole('alert').filter({ hasText: 'before saving' });
    await summary.waitFor();
    // The note comes first in the form, so it takes the focus.
    await expect.poll(focused).toBe('status-note');
    expect(await summary.getByRole('button').allInnerTexts()).toEqual(['Status note', 'Projected unblock date']);
    expect(await summary.innerText()).toBe('Fix 2 problem(s) before saving, in Status note and Projected unblock date. Each problem is written under its field.');
    expect(await suite.page.locator('#status-projectedUnblockDate-issues').innerText()).toContain('Blocked needs a projected unblock date.');
    await summary.getByRole('button', { name: 'Projected unblock date' }).click();
    await expect.poll(focused).toBe('status-projectedUnblockDate');
    await expectAccessible('error summary');
  });

  it('grades the note for the entitlement\'s workload and says "reads as another code" once', async () => {
    const e = await entitlementOf(suite.world.customers.harbour, 'exchange-online');
    await go(`#/entitlements/${e.id}`);
    const [grade] = await Promise.all([
      suite.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/notes/grade') && (r.postDataJSON() as { text?: string }).text === 'working on it'),
      suite.page.getByLabel('Status note').fill('working on it'),
    ]);
    expect((grade.postDataJSON() as { workload?: string }).workload).toBe('exchange-online');
    const coach = suite.page.locator('#status-note-coach');
    await coach.getByText('Note grade:').waitFor();
    await expect.poll(() => coach.innerText()).toContain('Exchange Online');
    expect(await coach.innerText()).not.toContain('{workload}');

    await suite.page.getByLabel('Status note').fill('Customer IT has no change window until the CAB approves the rollout; we need their change manager to schedule it.');
    await expect.poll(() => coach.innerText()).toMatch(/reads as/);
    expect((await coach.innerText()).match(/reads as/g)).toHaveLength(1);

    // The note field always points to a coach region that exists, empty while the note is.
    await suite.page.getByLabel('Status note').fill('');
    await expect.poll(() => coach.innerText()).toBe('');
    expect(await suite.page.getByLabel('Status note').getAttribute('aria-describedby')).toContain('status-note-coach');
    expect(await coach.count()).toBe(1);
  });

  it('treats lapsed dates as the API does: a kept unblock date saves, a kept target date says what to do', async () => {
    const kysely = suite.services.db.kysely;
    const past = addDays(new Date(), -5);
    const blocked = await entitlementOf(suite.world.customers.lindqvist, 'onedrive');
    const inProgress = await entitlementOf(suite.world.customers.harbour, 'teams', 'Nordic subsidiary');
    await kysely.updateTable('entitlements').set({ projected_unblock_date: past }).where('id', '=', blocked.id).execute();
    await kysely.updateTable('entitlements').set({ target_date: past }).where('id', '=', inProgress.id).execute();

    // Blocked with a past projected unblock date: an owner change keeps the date, and the API takes it.
    await go(`#/entitlements/${blocked.id}`);
    await suite.page.getByLabel('Owner').fill('Nina Berg');
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const savedBlocked = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, blocked.id);
    expect([savedBlocked.owner, savedBlocked.projectedUnblockDate]).toEqual(['Nina Berg', past]);

    // In Progress with a past target date: the API refuses any save that keeps it, so the page says so
    // before Save and names the field after it.
    await go(`#/entitlements/${inProgress.id}`);
    const notice = suite.page.locator('#status-lapsed');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(`The target date ${past} has passed.`);
    expect(await notice.innerText()).toContain('set a new target date');
    await expectAccessible('lapsed target date');
    await suite.page.getByLabel('Owner').fill('Nina Berg');
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(focused).toBe('status-targetDate');
    expect(await suite.page.locator('#status-targetDate-issues').innerText()).toContain('even one that changes only the owner or the note: set a new target date');
    expect((await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, inProgress.id)).owner).toBeNull();

    await suite.page.getByLabel('Target date').fill(addDays(new Date(), 30));
    expect(await notice.count()).toBe(0);
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    expect((await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, inProgress.id)).owner).toBe('Nina Berg');
  });

  it('starts another user who signs in after a sign-out on their own first page, the same user where they were', async () => {
    const address = `#/entitlements/${suite.world.entitlements.blocked}`;
    await go(address);
    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    await suite.page.goBack();
    await suite.page.waitForURL((url) => url.hash === address);
    await submitSignIn(suite.world.viewer);
    await suite.page.waitForURL((url) => url.hash === '#/triage');

    await go(address);
    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    await suite.page.goBack();
    await suite.page.waitForURL((url) => url.hash === address);
    await submitSignIn(suite.world.viewer);
    await suite.page.getByRole('heading', { name: /Harbour Logistics · Teams/, level: 1 }).waitFor();
    expect(new URL(suite.page.url()).hash).toBe(address);
    await suite.context.clearCookies();
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
