/**
 * Managing customers in the web app, end to end: a manager creates a customer with two workloads from
 * the portfolio (a taken tenant id is refused next to its field, with the form kept as typed), edits
 * its details, adds a split part of a workload (listed at once), and deletes it with a reason after a
 * keyboard-usable confirmation; a customer worked on meanwhile is refused with the server's message.
 * A name longer than the server keeps is said under its field (not cut), a 300-character one wraps
 * without widening the page, a customer deleted meanwhile is said to be gone, the "created with 0
 * workload(s)" notice goes once one is added, and edited details ask before a link drops them.
 * Editors and viewers see none of these controls. Same set-up as web.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer, createUser, deleteCustomer, getCustomer, listCustomers, listEntitlements, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('managing customers in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [400, 401, 404, 409] });
  const { consoleErrors, expectAccessible, go, signIn, signInFresh } = suite;
  let createdId: number;
  let raceId: number;

  const focusedId = () => suite.page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
  const entitlementsOf = async (customerId: number) =>
    (await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { customerId, sort: 'id' })).items.map((e) => [e.workload, e.part]);
  /** The text of the problem a control's aria-describedby names (its hint left out). */
  const problemOf = (id: string) =>
    suite.page.evaluate<string>(
      `(() => { const ids = (document.getElementById(${JSON.stringify(id)})?.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x.endsWith('-problem')); return ids.map((x) => document.getElementById(x)?.textContent ?? '').join(' '); })()`,
    );

  beforeAll(async () => {
    const race = await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: 'pier-seven.example', name: 'Pier Seven Storage', partnerId: suite.world.partnerId, workloads: ['teams'] });
    raceId = race.id;
    await signIn(suite.world.manager);
  });

  it('creates a customer with two workloads from the portfolio; a taken tenant id is refused next to its field and nothing typed is lost', async () => {
    await go('#/portfolio');
    await suite.page.getByRole('link', { name: 'New customer' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'New customer' }).waitFor();
    expect(new URL(suite.page.url()).hash).toBe('#/customers/new');
    await expect.poll(() => suite.page.title(), { timeout: 10_000 }).toBe('New customer · Unblock');

    // Nothing typed: the first field to fill says so and has the focus.
    await suite.page.getByRole('button', { name: 'Create customer' }).click();
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('new-customer-tenantId');
    expect(await problemOf('new-customer-tenantId')).toMatch(/Type the tenant id/);

    const tenant = suite.page.getByLabel('Tenant id', { exact: true });
    await tenant.fill('harbour-logistics.example');
    await suite.page.getByLabel('Name', { exact: true }).fill('Quayside Freight');
    await suite.page.getByLabel('Managed customer').check();
    await suite.page.getByLabel('Region (optional)').fill('EMEA');
    const workloads = suite.page.getByRole('group', { name: 'Workloads to start with' });
    await workloads.getByLabel('Teams', { exact: true }).check();
    await workloads.getByLabel('Intune', { exact: true }).check();
    const [response] = await Promise.all([
      suite.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/customers'),
      suite.page.getByRole('button', { name: 'Create customer' }).click(),
    ]);
    expect(response.status()).toBe(409);
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('new-customer-tenantId');
    expect(await tenant.getAttribute('aria-invalid')).toBe('true');
    expect(await problemOf('new-customer-tenantId')).toMatch(/Tenant id "harbour-logistics\.example" is already registered to your customer Harbour Logistics/);
    // The manager's own customer that has it is one click away.
    expect(await suite.page.locator('#new-customer-tenantId-problem').getByRole('link', { name: 'Open that customer' }).getAttribute('href')).toBe(`#/customers/${suite.world.customers.harbour}`);
    expect(await problemOf('new-customer-name')).toBe('');
    // The form is as it was typed.
    expect(await suite.page.getByLabel('Name', { exact: true }).inputValue()).toBe('Quayside Freight');
    expect(await suite.page.getByLabel('Managed customer').isChecked()).toBe(true);
    expect(await suite.page.getByLabel('Region (optional)').inputValue()).toBe('EMEA');
    expect(await workloads.getByLabel('Teams', { exact: true }).isChecked()).toBe(true);
    expect(await workloads.getByLabel('Intune', { exact: true }).isChecked()).toBe(true);
    await expectAccessible('new customer, tenant id refused');

    await tenant.fill('quayside-freight.example');
    await suite.page.getByRole('button', { name: 'Create customer' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Quayside Freight' }).waitFor();
    const found = (await listCustomers(suite.services.tracker, SYSTEM_ACTOR, { q: 'quayside-freight.example' })).items;
    expect(found.map((c) => [c.name, c.managed, c.region, c.partnerId])).toEqual([['Quayside Freight', true, 'EMEA', suite.world.partnerId]]);
    createdId = found[0]!.id;
    expect(new URL(suite.page.url()).hash).toBe(`#/customers/${createdId}`);
    await suite.page.getByRole('status').filter({ hasText: 'Created Quayside Freight with 2 workload(s).' }).waitFor();
    expect((await entitlementsOf(createdId)).sort()).toEqual([['intune', ''], ['teams', '']]);
    const table = suite.page.getByRole('region', { name: 'Entitlements of Quayside Freight' });
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual(['Intune', 'Teams']);
  });

  it('edits the details: a taken tenant id is refused next to its field, a new name is saved', async () => {
    await suite.page.getByRole('button', { name: 'Edit details' }).click();
    const form = suite.page.getByRole('form', { name: 'Edit details' });
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('edit-customer-tenantId');
    await form.getByLabel('Tenant id', { exact: true }).fill('lindqvist-dental.example');
    await form.getByLabel('Name', { exact: true }).fill('Quayside Freight Ltd');
    await form.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => problemOf('edit-customer-tenantId'), { timeout: 10_000 }).toMatch(/Tenant id "lindqvist-dental\.example" is already registered/);
    expect(await form.getByRole('link', { name: 'Open that customer' }).getAttribute('href')).toBe(`#/customers/${suite.world.customers.lindqvist}`);
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('edit-customer-tenantId');
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Quayside Freight Ltd');
    await expectAccessible('edit details, tenant id refused');

    await form.getByLabel('Tenant id', { exact: true }).fill('quayside-freight.example');
    await form.getByRole('button', { name: 'Save details' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Saved the details of Quayside Freight Ltd.' }).waitFor();
    await suite.page.getByRole('heading', { level: 1, name: 'Quayside Freight Ltd' }).waitFor();
    const saved = await getCustomer(suite.services.tracker, SYSTEM_ACTOR, createdId);
    expect([saved.name, saved.tenantId, saved.managed, saved.region]).toEqual(['Quayside Freight Ltd', 'quayside-freight.example', true, 'EMEA']);
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('edit-customer-open');
  });

  it('adds a split part of a workload, listed on the page at once', async () => {
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    const form = suite.page.getByRole('form', { name: 'Add a workload' });
    await form.getByLabel('Workload', { exact: true }).selectOption({ label: 'Teams' });
    await form.getByLabel('Part (optional)').fill('Rotterdam depot');
    await form.getByRole('button', { name: 'Add workload' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Added Teams (Rotterdam depot)' }).waitFor();
    const table = suite.page.getByRole('region', { name: 'Entitlements of Quayside Freight Ltd' });
    await table.getByRole('cell', { name: 'Rotterdam depot' }).waitFor();
    await table.getByText('split in 2 parts').waitFor();
    expect(await entitlementsOf(createdId)).toContainEqual(['teams', 'Rotterdam depot']);

    // The same part again: the server's refusal is under the part.
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    await form.getByLabel('Workload', { exact: true }).selectOption({ label: 'Teams' });
    await form.getByLabel('Part (optional)').fill('Rotterdam depot');
    await form.getByRole('button', { name: 'Add workload' }).click();
    // In the form's words: the customer's name and the workload's, not "Customer 12 already has teams".
    await expect.poll(() => problemOf('add-workload-part'), { timeout: 10_000 }).toBe('Quayside Freight Ltd already has a part “Rotterdam depot” of Teams. Name another part.');
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('add-workload-part');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes the customer after a confirmation asking why, and says so on the portfolio', async () => {
    const open = suite.page.getByRole('button', { name: 'Delete customer…' });
    await open.click();
    const dialog = suite.page.getByRole('dialog', { name: 'Delete Quayside Freight Ltd?' });
    await dialog.waitFor();
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('delete-reason');
    await expectAccessible('delete dialog');
    // Escape closes it and the focus goes back to the button that opened it.
    await suite.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Delete customer…');

    await open.click();
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await expect.poll(() => problemOf('delete-reason'), { timeout: 10_000 }).toMatch(/Say why/);
    expect(await getCustomer(suite.services.tracker, SYSTEM_ACTOR, createdId)).toBeTruthy();
    await dialog.getByLabel('Why delete it? (required)').fill('Created by mistake while testing the form.');
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Deleted Quayside Freight Ltd and its 3 entitlement(s).' }).waitFor();
    expect(new URL(suite.page.url()).hash).toBe('#/portfolio');
    await expect(getCustomer(suite.services.tracker, SYSTEM_ACTOR, createdId)).rejects.toThrow(/No customer/);
    const audit = await suite.services.db.kysely.selectFrom('audit_log').select(['action', 'details_json']).where('entity_id', '=', createdId).where('action', '=', 'customer.delete').execute();
    expect(audit.map((a) => (JSON.parse(a.details_json ?? '{}') as { reason?: string }).reason)).toEqual(['Created by mistake while testing the form.']);
    // The notice goes with the next page.
    await go('#/reports');
    await go('#/portfolio');
    expect(await suite.page.getByText('Deleted Quayside Freight Ltd').count()).toBe(0);
  });

  it('shows the server’s refusal for a customer worked on meanwhile, and offers no delete for one worked on', async () => {
    await go(`#/customers/${raceId}`);
    await suite.page.getByRole('button', { name: 'Delete customer…' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Delete Pier Seven Storage?' });
    await dialog.waitFor();
    // Someone changes a status while the dialog is open.
    const [teams] = (await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { customerId: raceId })).items;
    await updateStatus(suite.services.tracker, suite.world.editorActor, teams!.id, teams!.version, {
      l1: 'In Progress',
      l2: 'Technical Onboarding and Deployment',
      note: 'Teams rooms are being fitted in the two warehouses; the pilot group starts next week.',
      targetDate: addDays(new Date(), 45),
    });
    await dialog.getByLabel('Why delete it? (required)').fill('Duplicate of another record.');
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await dialog.getByRole('alert').filter({ hasText: /cannot be deleted; mark it Duplicate\/Invalid/ }).waitFor();
    expect(await getCustomer(suite.services.tracker, SYSTEM_ACTOR, raceId)).toBeTruthy();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await go(`#/customers/${suite.world.customers.harbour}`);
    await suite.page.getByRole('button', { name: 'Edit details' }).waitFor();
    await suite.page.getByText('This customer has status changes, so it cannot be deleted.').waitFor();
    expect(await suite.page.getByRole('button', { name: 'Delete customer…' }).count()).toBe(0);
  });

  it('says a name longer than the server keeps under its field, with nothing cut, and wraps a 300-character name without widening the page', async () => {
    await go('#/customers/new');
    const name = suite.page.getByLabel('Name', { exact: true });
    await suite.page.getByLabel('Tenant id', { exact: true }).fill('long-name.example');
    // Pasted with spaces around it: those are not counted (the form sends the name trimmed).
    await name.fill(`  ${'W'.repeat(320)}  `);
    await suite.page.getByRole('button', { name: 'Create customer' }).click();
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('new-customer-name');
    expect(await problemOf('new-customer-name')).toBe('The name is 320 characters long; the server keeps at most 300: shorten it by 20.');
    expect((await name.inputValue()).length).toBe(324);
    expect((await listCustomers(suite.services.tracker, SYSTEM_ACTOR, { q: 'long-name.example' })).items).toEqual([]);

    const long = `Ünïcødé 客户 ${'W'.repeat(286)}`;
    await name.fill(` ${long} `);
    await suite.page.getByRole('button', { name: 'Create customer' }).click();
    await suite.page.getByRole('heading', { level: 1, name: long }).waitFor();
    await suite.page.getByRole('status').filter({ hasText: `Created ${long}` }).waitFor();
    // The heading, the breadcrumb and the notice wrap: nothing makes the page scroll sideways.
    expect(await suite.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await suite.page.getByRole('button', { name: 'Delete customer…' }).click();
    await suite.page.getByRole('dialog', { name: `Delete ${long}?` }).waitFor();
    expect(await suite.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await suite.page.keyboard.press('Escape');
  });

  it('keeps the focus where the user put it before the form showed: what is typed goes into the field clicked, not the first one', async () => {
    const quick = await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: 'quick-hands.example', name: 'Quick Hands Co', partnerId: suite.world.partnerId, workloads: ['teams'] });
    await go(`#/customers/${quick.id}`);
    await suite.page.getByRole('button', { name: 'Edit details' }).waitFor();
    // The click on Edit details and a click into Name in the same frame: the form asked for focus on its
    // first field, Tenant id, in the next frame, after the user had chosen Name (CI once typed a name into
    // the tenant id this way, on a loaded machine).
    const focusedBeforeFrame = await suite.page.evaluate<string>(`new Promise((resolve) => {
      document.getElementById('edit-customer-open').click();
      const settle = () => {
        const name = document.getElementById('edit-customer-name');
        if (!name) return queueMicrotask(settle);
        name.focus();
        resolve(document.activeElement.id);
      };
      queueMicrotask(settle);
    })`);
    expect(focusedBeforeFrame).toBe('edit-customer-name');
    // Two frames later the first field's request has run (and gave way).
    await suite.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    expect(await focusedId()).toBe('edit-customer-name');
    await suite.page.keyboard.press('End');
    await suite.page.keyboard.type(' Ltd');
    const form = suite.page.getByRole('form', { name: 'Edit details' });
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Quick Hands Co Ltd');
    expect(await form.getByLabel('Tenant id', { exact: true }).inputValue()).toBe('quick-hands.example');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('says in words that a customer deleted meanwhile (in another tab) is gone, keeping what was typed', async () => {
    const gone = await createCustomer(suite.services.tracker, SYSTEM_ACTOR, { tenantId: 'two-tabs.example', name: 'Two Tabs Trading', partnerId: suite.world.partnerId, workloads: ['teams'] });
    await go(`#/customers/${gone.id}`);
    await suite.page.getByRole('button', { name: 'Edit details' }).click();
    const form = suite.page.getByRole('form', { name: 'Edit details' });
    await form.getByLabel('Name', { exact: true }).fill('Two Tabs Trading AB');
    await deleteCustomer(suite.services.tracker, SYSTEM_ACTOR, gone.id, { reason: 'Deleted in the other tab.' });
    await form.getByRole('button', { name: 'Save details' }).click();
    await form.getByRole('alert').filter({ hasText: 'This customer no longer exists: it was deleted, maybe in another tab or by someone else. Nothing was saved' }).waitFor();
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Two Tabs Trading AB');
    await form.getByRole('button', { name: 'Cancel' }).click();

    await suite.page.getByRole('button', { name: 'Delete customer…' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Delete Two Tabs Trading?' });
    await dialog.getByLabel('Why delete it? (required)').fill('A duplicate of another record.');
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'This customer was deleted already, maybe in another tab or by someone else.' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('drops the "created with 0 workload(s)" notice once a workload is added, and asks before a link drops edited details', async () => {
    await go('#/customers/new');
    await suite.page.getByLabel('Tenant id', { exact: true }).fill('no-workloads-yet.example');
    await suite.page.getByLabel('Name', { exact: true }).fill('Empty Start Ltd');
    await suite.page.getByRole('button', { name: 'Create customer' }).click();
    const created = suite.page.getByRole('status').filter({ hasText: 'Created Empty Start Ltd with 0 workload(s). Add its workloads below.' });
    await created.waitFor();
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    const add = suite.page.getByRole('form', { name: 'Add a workload' });
    await add.getByLabel('Workload', { exact: true }).selectOption({ label: 'Intune' });
    await add.getByRole('button', { name: 'Add workload' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Added Intune' }).waitFor();
    expect(await created.count()).toBe(0);

    await suite.page.getByRole('button', { name: 'Edit details' }).click();
    const form = suite.page.getByRole('form', { name: 'Edit details' });
    await form.getByLabel('Region (optional)').fill('APAC');
    await suite.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Portfolio' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.getByText('The details of Empty Start Ltd are not saved').waitFor();
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    expect(await form.getByLabel('Region (optional)').inputValue()).toBe('APAC');
    // Add workload holds a choice as well: one question names what each form would lose.
    await suite.page.getByRole('button', { name: 'Add workload' }).click();
    await add.getByLabel('Workload', { exact: true }).selectOption({ label: 'Teams' });
    await suite.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Portfolio' }).click();
    await dialog.getByText('The details of Empty Start Ltd are not saved: what you typed in Edit details would be lost. The workload you chose in Add workload is not added to Empty Start Ltd yet.').waitFor();
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    expect(await add.getByLabel('Workload', { exact: true }).inputValue()).toBe('teams');
    await add.getByRole('button', { name: 'Cancel' }).click();
    await form.getByRole('button', { name: 'Save details' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Saved the details of Empty Start Ltd.' }).waitFor();
    // Saved: leaving asks nothing.
    await suite.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Portfolio' }).click();
    await expect.poll(() => new URL(suite.page.url()).hash).toBe('#/portfolio');
  });

  it('fits the portfolio table to a short list (no tall empty box under a few rows), and scrolls a long one inside the window', async () => {
    const bodyHeight = () => suite.page.evaluate<number>("document.querySelector('.vbody').getBoundingClientRect().height");
    const rowCount = () => suite.page.evaluate<number>("document.querySelectorAll('.vbody [role=row]').length");
    await go('#/portfolio?q=harbour-logistics.example');
    await suite.page.locator('.result-count').filter({ hasText: /^\d entitlement\(s\)/ }).waitFor({ timeout: 15_000 });
    const shown = await suite.page.evaluate<number>("Number(document.querySelector('.vtable').getAttribute('aria-rowcount')) - 1");
    expect(shown).toBeGreaterThan(0);
    await expect.poll(rowCount).toBe(shown);
    // Its rows of 40 px, and at most a horizontal scrollbar's height more (it was 320 px at least).
    expect(await bodyHeight()).toBeGreaterThanOrEqual(shown * 40);
    expect(await bodyHeight()).toBeLessThanOrEqual(shown * 40 + 20);
    await go('#/portfolio');
    await suite.page.locator('.result-count').filter({ hasText: /entitlement\(s\)/ }).waitFor({ timeout: 15_000 });
    const total = await suite.page.evaluate<number>("Number(document.querySelector('.vtable').getAttribute('aria-rowcount')) - 1");
    const viewport = await suite.page.evaluate<number>('window.innerHeight');
    expect(await bodyHeight()).toBeLessThanOrEqual(Math.max(320, viewport - 330) + 1);
    if (total * 40 > Math.max(320, viewport - 330)) expect(await suite.page.evaluate<boolean>("(() => { const b = document.querySelector('.vbody'); return b.scrollHeight > b.clientHeight; })()")).toBe(true);
  });

  it('shows editors and viewers none of these controls', async () => {
    for (const login of [suite.world.editor, suite.world.viewer]) {
      await signInFresh(login);
      await go('#/portfolio');
      await suite.page.locator('.result-count').filter({ hasText: /entitlement\(s\)/ }).waitFor({ timeout: 15_000 });
      expect(await suite.page.getByRole('link', { name: 'New customer' }).count(), login.email).toBe(0);
      await go(`#/customers/${suite.world.customers.lindqvist}`);
      await suite.page.getByRole('heading', { level: 1, name: 'Lindqvist Dental Group' }).waitFor();
      for (const name of ['Edit details', 'Add workload', 'Delete customer…']) expect(await suite.page.getByRole('button', { name }).count(), `${login.email}: ${name}`).toBe(0);
      await go('#/customers/new');
      await suite.page.getByText('Only managers and administrators can add customers.').waitFor();
      expect(await suite.page.getByRole('button', { name: 'Create customer' }).count(), login.email).toBe(0);
    }
    expect(consoleErrors).toEqual([]);
  });

  it("starts an admin's new customer with the partner the portfolio was filtered by, and says a tenant id with a space under its field", async () => {
    const admin = { email: 'ada.admin@unblock.test', password: 'admin-pass-123', name: 'Ada Admin' };
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    await signInFresh(admin);
    await go(`#/portfolio?partnerId=${suite.world.partnerId}`);
    await suite.page.locator('.result-count').filter({ hasText: /entitlement\(s\)/ }).waitFor({ timeout: 15_000 });
    await suite.page.getByRole('link', { name: 'New customer' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'New customer' }).waitFor();
    expect(new URL(suite.page.url()).hash).toBe(`#/customers/new?partnerId=${suite.world.partnerId}`);
    const partner = suite.page.getByLabel('Partner', { exact: true });
    await expect.poll(() => partner.inputValue()).toBe(String(suite.world.partnerId));
    // Chosen for the user, not typed by them: leaving asks nothing.
    await suite.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Portfolio' }).click();
    await expect.poll(() => new URL(suite.page.url()).hash).toBe('#/portfolio');
    expect(await suite.page.getByRole('dialog', { name: 'Leave without saving?' }).count()).toBe(0);

    // A partner id nobody has is not kept.
    await go('#/customers/new?partnerId=99999');
    await suite.page.getByRole('heading', { level: 1, name: 'New customer' }).waitFor();
    await expect.poll(() => partner.inputValue()).toBe('');

    await go(`#/customers/new?partnerId=${suite.world.partnerId}`);
    await expect.poll(() => partner.inputValue()).toBe(String(suite.world.partnerId));
    await suite.page.getByLabel('Tenant id', { exact: true }).fill('spaced out.example');
    await suite.page.getByLabel('Name', { exact: true }).fill('Spaced Out Ltd');
    await suite.page.getByRole('button', { name: 'Create customer' }).click();
    await expect.poll(() => problemOf('new-customer-tenantId'), { timeout: 10_000 }).toBe('The tenant id "spaced out.example" has a space at character 7; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID.');
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('new-customer-tenantId');
    expect((await listCustomers(suite.services.tracker, SYSTEM_ACTOR, { q: 'spaced' })).items).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
