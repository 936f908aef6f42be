/**
 * Accounts in the browser: My account (details and changing your password, with the API's refusals
 * and its rate limit), the Users page (setting a password typed or generated, adding a user without a
 * password: the generated one shown once), and the Reports page's checks of filters in the address.
 * The real server (seeded SQLite) and the built web app in Debian's Chromium, as in web.test.ts; one
 * browser for the file, the steps run in order. Skips with a message when Chromium or web/dist is missing.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, authenticatePassword, createUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const admin = { email: 'ada.admin@unblock.test', password: 'admin-pass-2026', name: 'Ada Admin' };

describeInBrowser('accounts and report addresses in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [400, 401, 403, 409, 429] });
  const { consoleErrors, expectAccessible, signOut } = suite;
  /** Every report request the app made, as path and query. */
  const reportRequests: string[] = [];
  /** Every request the app made for the list of users. */
  const userListRequests: string[] = [];

  /**
   * Signs in from the sign-in page; resolves once the menu shows ('in'), once the page asks to choose
   * your own password instead ('choose': the password was set by a manager or admin), or once the form
   * says why not.
   */
  const signIn = async (email: string, password: string): Promise<'in' | 'choose' | string> => {
    await suite.page.goto(suite.url);
    await suite.page.getByLabel('Email').fill(email);
    await suite.page.getByLabel('Password').fill(password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    const menu = suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' });
    const choose = suite.page.getByRole('form', { name: 'Choose your own password' });
    const refusal = suite.page.locator('.sign-in-card [role=alert]');
    await menu.or(choose).or(refusal).first().waitFor();
    if ((await menu.count()) > 0) return 'in';
    return (await choose.count()) > 0 ? 'choose' : refusal.innerText();
  };

  /** On "Choose your own password": replaces the `given` password with `own`, and waits for the app. */
  const chooseOwn = async (given: string, own: string) => {
    const form = suite.page.getByRole('form', { name: 'Choose your own password' });
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByLabel('New password', { exact: true }).fill(own);
    await form.getByLabel('Repeat the new password', { exact: true }).fill(own);
    await form.getByRole('button', { name: 'Save my password' }).click();
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).waitFor();
  };

  beforeAll(async () => {
    await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...admin, role: 'admin', partnerId: null });
    await suite.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.url });
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/reports/')) reportRequests.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/api/users') userListRequests.push(url.pathname);
    });
  });

  it('opens My account from the user name and shows the email, role and partner', async () => {
    const { editor } = suite.world;
    expect(await signIn(editor.email, editor.password)).toBe('in');
    await suite.page.getByRole('banner').getByRole('link', { name: editor.name }).click();
    await suite.page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
    expect(suite.page.url()).toMatch(/#\/account$/);
    const facts = suite.page.locator('.account-facts');
    await expect.poll(() => facts.innerText()).toContain(editor.email);
    // The partner's name comes with the partners list, which may load after the rest.
    await expect.poll(() => facts.innerText()).not.toContain('Loading');
    const text = await facts.innerText();
    expect(text).toMatch(/Role\s+editor/);
    expect(text).toMatch(/Partner\s+Tidewater Cloud Partners/);
    expect(text).toContain(editor.name);
    expect(await suite.page.getByRole('banner').getByRole('link', { name: editor.name }).getAttribute('aria-current')).toBe('page');
    // The email comes with GET /api/me: the page does not fetch the list of users to find it.
    await suite.page.reload();
    await expect.poll(() => facts.innerText()).toContain(editor.email);
    expect(userListRequests).toEqual([]);
    await expectAccessible('my account');
  });

  it('changes your password with clear errors, and only the new one signs in afterwards', async () => {
    const { editor } = suite.world;
    const form = suite.page.getByRole('form', { name: 'Change password' });
    const current = form.getByLabel('Current password', { exact: true });
    const next = form.getByLabel('New password', { exact: true });
    const repeat = form.getByLabel('Repeat the new password', { exact: true });
    const submit = form.getByRole('button', { name: 'Change password' });

    // Checked before sending: too short, then two different new passwords.
    await current.fill(editor.password);
    await next.fill('short');
    await repeat.fill('short');
    await submit.click();
    await form.getByText('Use at least 8 characters.').waitFor();
    expect(await next.getAttribute('aria-invalid')).toBe('true');
    await next.fill('a-new-editor-pass');
    await repeat.fill('a-new-editor-pas');
    await submit.click();
    await form.getByText('This is not the same as the new password.').waitFor();
    expect(await repeat.getAttribute('aria-invalid')).toBe('true');

    // Refused by the server: the current password is wrong.
    await current.fill('not-my-password');
    await repeat.fill('a-new-editor-pass');
    await submit.click();
    await form.getByText('The current password is wrong.').waitFor();
    expect(await current.getAttribute('aria-invalid')).toBe('true');
    expect(await next.getAttribute('aria-invalid')).toBeNull();
    await expectAccessible('change password refused');

    await current.fill(editor.password);
    await submit.click();
    await form.getByText('Your password has been changed.').waitFor();
    expect(await current.inputValue()).toBe('');
    expect(await current.getAttribute('aria-invalid')).toBeNull();

    // This session stays signed in; after signing out only the new password works.
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolio' }).click();
    await suite.page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
    await signOut();
    expect(await signIn(editor.email, editor.password)).toMatch(/wrong/);
    expect(await signIn(editor.email, 'a-new-editor-pass')).toBe('in');
    editor.password = 'a-new-editor-pass';
    await signOut();
  });

  it('lets a manager set a typed password, or generate one that is shown once', async () => {
    const { manager, viewer, editor } = suite.world;
    expect(await signIn(manager.email, manager.password)).toBe('in');
    const menu = suite.page.getByRole('navigation', { name: 'Main' });
    expect(await menu.getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Import', 'Reports', 'Playbook', 'Users']);
    await menu.getByRole('link', { name: 'Users' }).click();
    await suite.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    // Your own password is changed on My account, where the current one is asked for.
    const ownRow = suite.page.getByRole('row').filter({ hasText: manager.email });
    expect(await ownRow.getByRole('button').count()).toBe(0);
    await ownRow.getByRole('link', { name: 'Change yours on My account' }).waitFor();

    // Typed: twice, checked before sending.
    await suite.page.getByRole('button', { name: `Set password for ${viewer.name}` }).click();
    const setForm = suite.page.getByRole('form', { name: new RegExp(`Set a password for ${viewer.name}`) });
    await setForm.getByLabel('New password', { exact: true }).fill('viewer-new-pass-1');
    await setForm.getByLabel('Repeat it').fill('viewer-new-pass-2');
    await setForm.getByRole('button', { name: 'Set this password' }).click();
    await setForm.getByText('The two new passwords are not the same.').waitFor();
    await setForm.getByLabel('Repeat it').fill('viewer-new-pass-1');
    await setForm.getByRole('button', { name: 'Set this password' }).click();
    await suite.page.getByRole('status').filter({ hasText: `The password of ${viewer.name} is set.` }).waitFor();
    expect(await setForm.count()).toBe(0);

    // Generated: shown once, with a Copy button and the warning.
    await suite.page.getByRole('button', { name: `Set password for ${editor.name}` }).click();
    await suite.page.getByRole('form', { name: new RegExp(`Set a password for ${editor.name}`) }).getByRole('button', { name: 'Generate one' }).click();
    const shown = suite.page.locator('.one-time-password');
    await shown.getByRole('heading', { name: `New password for ${editor.name} (${editor.email})` }).waitFor();
    await shown.getByText('This password will not be shown again.').waitFor();
    const generated = (await shown.locator('code.secret').innerText()).trim();
    expect(generated).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByText('Copied.').waitFor();
    expect(await suite.page.evaluate('navigator.clipboard.readText()')).toBe(generated);
    await expectAccessible('users with a generated password');

    // Not shown after a reload.
    await suite.page.reload();
    await suite.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await suite.page.getByRole('row').filter({ hasText: editor.email }).waitFor();
    expect(await suite.page.locator('.one-time-password').count()).toBe(0);
    expect(await suite.page.content()).not.toContain(generated);
    await signOut();

    // Only the new passwords sign in, and each user must then replace the one the manager chose.
    expect(await signIn(viewer.email, viewer.password)).toMatch(/wrong/);
    expect(await signIn(viewer.email, 'viewer-new-pass-1')).toBe('choose');
    await chooseOwn('viewer-new-pass-1', 'viewer-own-pass-1');
    viewer.password = 'viewer-own-pass-1';
    await signOut();
    expect(await signIn(editor.email, editor.password)).toMatch(/wrong/);
    expect(await signIn(editor.email, generated)).toBe('choose');
    await chooseOwn(generated, 'editor-own-pass-1');
    editor.password = 'editor-own-pass-1';
    await signOut();
  });

  it('keeps each generated password on screen until its own Done, while passwords are set for others', async () => {
    const { manager, partnerId } = suite.world;
    const ctx = suite.services.tracker;
    const pia = { email: 'pia.pilot@tidewater.test', name: 'Pia Pilot' };
    const quinn = { email: 'quinn.quarry@tidewater.test', name: 'Quinn Quarry' };
    for (const u of [pia, quinn]) await createUser(ctx, SYSTEM_ACTOR, { ...u, role: 'viewer', partnerId, password: 'first-pass-123' });
    expect(await signIn(manager.email, manager.password)).toBe('in');
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await suite.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const shownFor = (u: { name: string; email: string }) => suite.page.getByRole('region', { name: `New password for ${u.name} (${u.email})` });
    const generateFor = async (u: { name: string }) => {
      await suite.page.getByRole('button', { name: `Set password for ${u.name}` }).click();
      await suite.page.getByRole('form', { name: new RegExp(`Set a password for ${u.name}`) }).getByRole('button', { name: 'Generate one' }).click();
    };

    await generateFor(pia);
    await shownFor(pia).waitFor();
    const piaPassword = (await shownFor(pia).locator('code.secret').innerText()).trim();

    // Opening Set password for someone else leaves Pia's password where it is, not yet copied.
    await suite.page.getByRole('button', { name: `Set password for ${quinn.name}` }).click();
    const quinnForm = suite.page.getByRole('form', { name: new RegExp(`Set a password for ${quinn.name}`) });
    await quinnForm.waitFor();
    expect((await shownFor(pia).locator('code.secret').innerText()).trim()).toBe(piaPassword);
    await quinnForm.getByRole('button', { name: 'Generate one' }).click();
    await shownFor(quinn).waitFor();
    const quinnPassword = (await shownFor(quinn).locator('code.secret').innerText()).trim();
    expect(quinnPassword).not.toBe(piaPassword);
    expect(await suite.page.locator('.one-time-password').count()).toBe(2);
    expect((await shownFor(pia).locator('code.secret').innerText()).trim()).toBe(piaPassword);
    await expectAccessible('users with two generated passwords');

    // Each has its own Copy and Done.
    await shownFor(pia).getByRole('button', { name: 'Copy' }).click();
    await shownFor(pia).getByText('Copied.').waitFor();
    expect(await suite.page.evaluate('navigator.clipboard.readText()')).toBe(piaPassword);
    await shownFor(pia).getByRole('button', { name: 'Done' }).click();
    expect(await shownFor(pia).count()).toBe(0);
    expect((await shownFor(quinn).locator('code.secret').innerText()).trim()).toBe(quinnPassword);

    // A password typed for Quinn replaces the generated one, which no longer works, so it goes.
    await suite.page.getByRole('button', { name: `Set password for ${quinn.name}` }).click();
    await quinnForm.getByLabel('New password', { exact: true }).fill('quinn-typed-pass');
    await quinnForm.getByLabel('Repeat it').fill('quinn-typed-pass');
    await quinnForm.getByRole('button', { name: 'Set this password' }).click();
    await suite.page.getByRole('status').filter({ hasText: `The password of ${quinn.name} is set.` }).waitFor();
    expect(await suite.page.locator('.one-time-password').count()).toBe(0);

    expect(await authenticatePassword(ctx, pia.email, piaPassword)).toBeDefined();
    expect(await authenticatePassword(ctx, quinn.email, 'quinn-typed-pass')).toBeDefined();
    await signOut();
  });

  it('adds a user without a password and shows the generated one once; a typed one is not shown', async () => {
    expect(await signIn(admin.email, admin.password)).toBe('in');
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await suite.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const form = suite.page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email').fill('nia.new@tidewater.test');
    await form.getByLabel('Name').fill('Nia Newcomer');
    await form.getByLabel('Role').selectOption('viewer');
    // A partner is needed for anyone but an admin.
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByText('Choose the partner this user works for.').waitFor();
    await form.getByLabel('Partner').selectOption({ label: 'Tidewater Cloud Partners' });
    await form.getByRole('button', { name: 'Add user' }).click();

    const shown = suite.page.locator('.one-time-password');
    await shown.getByRole('heading', { name: 'Password for Nia Newcomer (nia.new@tidewater.test)' }).waitFor();
    await shown.getByText('This password will not be shown again.').waitFor();
    await shown.getByRole('button', { name: 'Copy' }).waitFor();
    const generated = (await shown.locator('code.secret').innerText()).trim();
    expect(generated.length).toBeGreaterThanOrEqual(16);
    await suite.page.getByRole('row').filter({ hasText: 'nia.new@tidewater.test' }).waitFor();
    expect(await form.getByLabel('Email').inputValue()).toBe('');

    await shown.getByRole('button', { name: 'Done' }).click();
    expect(await suite.page.locator('.one-time-password').count()).toBe(0);
    expect(await suite.page.content()).not.toContain(generated);

    await form.getByLabel('Email').fill('tom.typed@tidewater.test');
    await form.getByLabel('Name').fill('Tom Typed');
    await form.getByLabel('Role').selectOption('editor');
    await form.getByLabel('Partner').selectOption({ label: 'Tidewater Cloud Partners' });
    await form.getByLabel('Password (optional)').fill('tom-typed-pass-1');
    await form.getByRole('button', { name: 'Add user' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Tom Typed is added, with the password you typed.' }).waitFor();
    expect(await suite.page.locator('.one-time-password').count()).toBe(0);

    // Refusals are said next to the email field, in words, not as the API's raw validation text.
    await form.getByLabel('Email').fill('tom.typed@tidewater.test');
    await form.getByLabel('Name').fill('Tom Again');
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByText('This email already belongs to a user.', { exact: false }).waitFor();
    await form.getByLabel('Email').fill('tom@tidewater');
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByText('That is not an email address the server accepts', { exact: false }).waitFor();
    expect(await form.innerText()).not.toMatch(/Invalid request body|Something went wrong/);
    await form.getByLabel('Email').fill('');
    await form.getByLabel('Name').fill('');
    await suite.page.getByRole('row').filter({ hasText: 'tom.typed@tidewater.test' }).waitFor();
    await signOut();

    // The generated password signs the new user in (to choose their own first), and My account shows who they are.
    expect(await signIn('nia.new@tidewater.test', generated)).toBe('choose');
    await chooseOwn(generated, 'nia-own-pass-1');
    expect(await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Reports', 'Playbook']);
    await suite.page.getByRole('banner').getByRole('link', { name: 'Nia Newcomer' }).click();
    await expect.poll(() => suite.page.locator('.account-facts').innerText()).toMatch(/nia\.new@tidewater\.test[\s\S]*viewer[\s\S]*Tidewater Cloud Partners/);
    await signOut();
    expect(await signIn('tom.typed@tidewater.test', 'tom-typed-pass-1')).toBe('choose');
    await chooseOwn('tom-typed-pass-1', 'tom-own-pass-1');
    await signOut();
  });

  it('drops bad report filters in the address with a notice naming them, and shows the report without filters', async () => {
    const { manager } = suite.world;
    expect(await signIn(manager.email, manager.password)).toBe('in');
    const facts = suite.page.locator('.report-facts');
    const tableRows = suite.page.locator('.report details table tbody tr');

    // The unfiltered ageing report, to compare with.
    await suite.page.goto(`${suite.url}/#/reports?report=ageing`);
    await suite.page.locator('[data-testid=report-chart] svg.recharts-surface').first().waitFor();
    const plain = await facts.innerText();
    expect(plain).toMatch(/^Blocked, as of/);
    const plainRows = await tableRows.allTextContents();

    // A filtered chart first, so a stale one would show.
    await suite.page.goto(`${suite.url}/#/reports?report=ageing&l1=${encodeURIComponent('In Progress')}`);
    await expect.poll(() => facts.innerText()).toMatch(/^In Progress, as of/);

    reportRequests.length = 0;
    // A hash change in the open app (no reload), as when an edited address is entered.
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&l1=Bogus&workload=fax&partnerId=999&weeks=0&from=2026-02-30&level=team'`);
    const notice = suite.page.locator('.url-notice');
    await notice.waitFor();
    const said = await notice.innerText();
    for (const part of ['L1 "Bogus"', 'Workload "fax"', 'Partner "999"', 'Weeks ahead "0"', 'From "2026-02-30"', 'Level "team"']) expect(said).toContain(part);
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=ageing');
    await expect.poll(() => facts.innerText()).toBe(plain);
    expect(await tableRows.allTextContents()).toEqual(plainRows);
    expect(await suite.page.locator('.state-error').count()).toBe(0);
    expect(await suite.page.locator('.state-loading').count()).toBe(0);
    expect(await suite.page.getByLabel('L1', { exact: true }).inputValue()).toBe('Blocked');
    expect(await suite.page.getByLabel('Workload', { exact: true }).inputValue()).toBe('');
    // No bad value reached the server.
    expect(reportRequests.filter((r) => /Bogus|fax|999|weeks=0|2026-02-30|team/.test(r))).toEqual([]);
    await expectAccessible('report with a corrected address');

    // Respelled values are kept without a notice: a lower-case L1 and a workload by its name.
    await suite.page.getByRole('button', { name: 'Dismiss' }).click();
    await suite.page.goto(`${suite.url}/#/reports?report=ageing&l1=no%20intent&workload=Teams`);
    await suite.page.waitForURL((url) => url.hash.includes('l1=No+Intent') && url.hash.includes('workload=teams'));
    await expect.poll(() => facts.innerText()).toMatch(/^No Intent, as of/);
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
  });

  it('keeps a notice about the address only while that address is shown, and drops unknown keys when it rewrites the address', async () => {
    const facts = suite.page.locator('.report-facts');
    const notice = suite.page.locator('.url-notice');
    const hashNow = () => decodeURIComponent(new URL(suite.page.url()).hash).replace(/\+/g, ' ');

    // A bad filter next to keys the page does not know: the rewritten address keeps neither.
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&l1=Bogus&utm_source=mail&colour=blue'`);
    await notice.filter({ hasText: 'L1 "Bogus"' }).waitFor();
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=ageing');
    await facts.waitFor();

    // Fixing the filters with the controls changes the address: the notice was about the old one.
    await suite.page.getByLabel('L1', { exact: true }).selectOption('In Progress');
    await expect.poll(() => facts.innerText()).toMatch(/^In Progress, as of/);
    expect(hashNow()).toBe('#/reports?report=ageing&l1=In Progress');
    expect(await notice.count()).toBe(0);

    // Another bad address, then a good one for the same report entered in the open app: no notice left over.
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&workload=fax'`);
    await notice.filter({ hasText: 'Workload "fax"' }).waitFor();
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=ageing');
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&workload=teams'`);
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=ageing&workload=teams');
    await expect.poll(() => suite.page.getByLabel('Workload', { exact: true }).inputValue()).toBe('teams');
    expect(await notice.count()).toBe(0);

    // A bad address while another notice shows gets its own notice, naming only its own problem.
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&level=team'`);
    await notice.filter({ hasText: 'Level "team"' }).waitFor();
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&l1=Nonsense'`);
    await notice.filter({ hasText: 'L1 "Nonsense"' }).waitFor();
    expect(await notice.innerText()).not.toContain('Level');
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=ageing');

    // Unknown keys alone are left until the page rewrites the address, e.g. for a filter change.
    await suite.page.evaluate(`window.location.hash = '#/reports?report=ageing&ref=newsletter'`);
    await facts.waitFor();
    await suite.page.getByLabel('L1', { exact: true }).selectOption('No Intent');
    await expect.poll(() => facts.innerText()).toMatch(/^No Intent, as of/);
    expect(hashNow()).toBe('#/reports?report=ageing&l1=No Intent');
    expect(await notice.count()).toBe(0);
  });

  it('drops a bad forecast window and a period that ends before it starts', async () => {
    const facts = suite.page.locator('.report-facts');
    const tableRows = suite.page.locator('.report details table tbody tr');
    await suite.page.goto(`${suite.url}/#/reports?report=forecast&weeks=abc`);
    await suite.page.locator('.url-notice').filter({ hasText: 'Weeks ahead "abc" (not a whole number of weeks from 1 to 104)' }).waitFor();
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=forecast');
    await facts.waitFor();
    // The forecast without a window: the default 12 weeks.
    expect(await tableRows.count()).toBe(12);

    await suite.page.goto(`${suite.url}/#/reports?report=quality&from=2026-02-01&to=2026-01-01`);
    const notice = suite.page.locator('.url-notice');
    await notice.filter({ hasText: 'From "2026-02-01" (after To (2026-01-01))' }).waitFor();
    expect(await notice.innerText()).toContain('To "2026-01-01"');
    await suite.page.waitForURL((url) => url.hash === '#/reports?report=quality');
    await facts.waitFor();
    expect(await suite.page.locator('.state-error').count()).toBe(0);
    expect(await suite.page.getByLabel('From', { exact: true }).inputValue()).toBe('');
    // Opening another report clears the notice.
    await suite.page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Status flow' }).click();
    await suite.page.getByRole('heading', { name: 'Status flow', level: 2 }).waitFor();
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
    await signOut();
  });

  it('pauses changing your password after many wrong ones and says when to try again', async () => {
    const { viewer } = suite.world;
    expect(await signIn(viewer.email, viewer.password)).toBe('in');
    await suite.page.goto(`${suite.url}/#/account`);
    const form = suite.page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('New password', { exact: true }).fill('viewer-next-pass');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('viewer-next-pass');
    const submit = form.getByRole('button', { name: 'Change password' });
    for (let i = 0; i < 10; i++) {
      await form.getByLabel('Current password', { exact: true }).fill(`wrong-guess-${i}`);
      await submit.click();
      await form.getByText('The current password is wrong.').waitFor();
      await expect.poll(() => submit.isEnabled()).toBe(true);
    }
    await form.getByLabel('Current password', { exact: true }).fill(viewer.password);
    await submit.click();
    const limit = form.getByRole('alert').filter({ hasText: 'Too many wrong passwords' });
    await limit.waitFor();
    expect(await limit.innerText()).toMatch(/Try again in 15 minutes \(at \d\d:\d\d\)\./);
    expect(await submit.isDisabled()).toBe(true);
    expect(await suite.page.getByText('Your password has been changed.').count()).toBe(0);
    await expectAccessible('change password rate limited');
    await signOut();
    // The right password was refused while paused, so the old one still signs in.
    expect(await signIn(viewer.email, viewer.password)).toBe('in');
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
