/**
 * Admins add partner organisations on the Users page, end to end: the Partners section lists each
 * partner with how many users it has; a name is needed, and one longer than the server keeps is said
 * under the field before anything is sent (not cut). An added partner (its name trimmed) is listed at
 * once, and is a choice of "Add a user" and of the new-customer form without the page being loaded
 * again. A taken name is refused next to the field, with the name kept and the focus on it. Managers
 * see no Partners section. Same set-up as web.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, listPartners, listUsers, updateUser } from '../../src/tracker/index.js';
import { TEXT_LIMITS } from '../../src/tracker/limits.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const admin = { email: 'pia.admin@unblock.test', password: 'pia-admin-2026', name: 'Pia Admin' };

describeInBrowser('adding partners on the Users page', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 409] });
  const { consoleErrors, expectAccessible, go, signIn, signInFresh } = suite;
  /** The POST /api/partners requests the page sent, as their bodies. */
  const posts: string[] = [];

  const focusedId = () => suite.page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
  /** The text of the problem a control's aria-describedby names (its hint left out). */
  const problemOf = (id: string) =>
    suite.page.evaluate<string>(
      `(() => { const ids = (document.getElementById(${JSON.stringify(id)})?.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x.endsWith('-problem')); return ids.map((x) => document.getElementById(x)?.textContent ?? '').join(' '); })()`,
    );
  const section = () => suite.page.getByRole('region', { name: 'Partners', exact: true });
  const partnerRow = (name: string) => section().getByRole('row').filter({ has: suite.page.getByRole('cell', { name, exact: true }) });
  /** The names of the options of the select `id`. */
  const optionsOf = (id: string) => suite.page.evaluate<string[]>(`[...document.querySelectorAll('#${id} option')].map((o) => o.textContent)`);
  /** True while the page is the one loaded at sign-in (a reload would drop the mark). */
  const sameLoad = () => suite.page.evaluate<boolean>('window.__partnersTestMark === true');

  beforeAll(async () => {
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    // A user who left: still the partner's, but no longer counted with those who can sign in.
    const tidewater = (await listPartners(suite.services.tracker, SYSTEM_ACTOR)).find((p) => p.name === 'Tidewater Cloud Partners')!;
    const left = await createUser(suite.services.tracker, SYSTEM_ACTOR, { email: 'left@tidewater.test', name: 'Lee Left', role: 'viewer', partnerId: tidewater.id });
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, left.id, { disabled: true });
    suite.page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/partners') posts.push(request.postData() ?? '');
    });
    await signIn(admin);
  });

  it('lists the partners with how many users each has, and checks the name before sending it', async () => {
    await go('#/users');
    await suite.page.getByRole('heading', { level: 2, name: 'Partners' }).waitFor();
    expect(await partnerRow('Tidewater Cloud Partners').getByRole('cell').allInnerTexts()).toEqual(['Tidewater Cloud Partners', '3 users, 1 disabled']);

    // Nothing typed: said under the field, which takes the focus.
    const field = suite.page.getByLabel('Partner name');
    await suite.page.getByRole('button', { name: 'Add partner' }).click();
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('new-partner-name');
    expect(await problemOf('new-partner-name')).toBe('Type the partner’s name.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    // Longer than the server keeps: said with its length, the text kept whole, nothing sent.
    const long = 'L'.repeat(TEXT_LIMITS.partnerName + 1);
    await field.fill(long);
    await suite.page.getByRole('button', { name: 'Add partner' }).click();
    await expect.poll(() => problemOf('new-partner-name'), { timeout: 10_000 }).toBe('The name is 201 characters long; the server keeps at most 200: shorten it by 1.');
    expect(await field.inputValue()).toBe(long);
    expect(posts).toEqual([]);
    await expectAccessible('partners, name too long');
  });

  it('adds a partner, listed at once and offered in "Add a user" and the new-customer form without a reload', async () => {
    await suite.page.evaluate('window.__partnersTestMark = true');
    const field = suite.page.getByLabel('Partner name');
    await field.fill('  Northwind Advisory  ');
    await suite.page.getByRole('button', { name: 'Add partner' }).click();
    await section().getByRole('status').filter({ hasText: 'Northwind Advisory is added.' }).waitFor();
    expect(posts).toEqual([JSON.stringify({ name: 'Northwind Advisory' })]);
    expect((await listPartners(suite.services.tracker, SYSTEM_ACTOR)).map((p) => p.name)).toContain('Northwind Advisory');
    await expect.poll(async () => partnerRow('Northwind Advisory').getByRole('cell').allInnerTexts(), { timeout: 10_000 }).toEqual(['Northwind Advisory', '0 users']);
    expect(await field.inputValue()).toBe('');
    expect(await problemOf('new-partner-name')).toBe('');

    // Its first user, added on the same page: the partner is a choice of "Add a user", and its count goes up.
    const userForm = suite.page.getByRole('form', { name: 'Add a user' });
    await userForm.getByLabel('Email').fill('nils.north@unblock.test');
    await userForm.getByLabel('Name', { exact: true }).fill('Nils North');
    await userForm.getByLabel('Role').selectOption('manager');
    expect(await optionsOf('new-user-partner')).toContain('Northwind Advisory');
    await userForm.getByLabel('Partner').selectOption({ label: 'Northwind Advisory' });
    await userForm.getByRole('button', { name: 'Add user' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Nils North is added.' }).waitFor();
    await expect.poll(async () => partnerRow('Northwind Advisory').getByRole('cell').allInnerTexts(), { timeout: 10_000 }).toEqual(['Northwind Advisory', '1 user']);
    const partnerId = (await listPartners(suite.services.tracker, SYSTEM_ACTOR)).find((p) => p.name === 'Northwind Advisory')!.id;
    expect((await listUsers(suite.services.tracker, SYSTEM_ACTOR)).find((u) => u.email === 'nils.north@unblock.test')?.partnerId).toBe(partnerId);

    // The new-customer form, opened in the same page load.
    await suite.page.evaluate("location.hash = '#/customers/new'");
    await suite.page.getByRole('heading', { level: 1, name: 'New customer' }).waitFor();
    await expect.poll(() => optionsOf('new-customer-partnerId'), { timeout: 10_000 }).toContain('Northwind Advisory');
    expect(await sameLoad()).toBe(true);
  });

  it('refuses a taken name next to the field, keeping it', async () => {
    await suite.page.evaluate("location.hash = '#/users'");
    await suite.page.getByRole('heading', { level: 2, name: 'Partners' }).waitFor();
    const field = suite.page.getByLabel('Partner name');
    await field.fill('Tidewater Cloud Partners');
    const [response] = await Promise.all([
      suite.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/partners'),
      suite.page.getByRole('button', { name: 'Add partner' }).click(),
    ]);
    expect(response.status()).toBe(409);
    await expect.poll(() => problemOf('new-partner-name'), { timeout: 10_000 }).toMatch(/Tidewater Cloud Partners.*already exists/);
    await expect.poll(focusedId, { timeout: 10_000 }).toBe('new-partner-name');
    expect(await field.inputValue()).toBe('Tidewater Cloud Partners');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await section().getByRole('status').count()).toBe(0);
    expect((await listPartners(suite.services.tracker, SYSTEM_ACTOR)).filter((p) => p.name === 'Tidewater Cloud Partners')).toHaveLength(1);
    expect(await sameLoad()).toBe(true);
    await expectAccessible('partners, name taken');
  });

  it('shows managers no Partners section', async () => {
    await signInFresh(suite.world.manager);
    await go('#/users');
    await suite.page.getByRole('form', { name: 'Add a user' }).waitFor();
    expect(await suite.page.getByRole('heading', { name: 'Partners' }).count()).toBe(0);
    expect(await suite.page.getByLabel('Partner name').count()).toBe(0);
    expect(await suite.page.getByRole('button', { name: 'Add partner' }).count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
