/**
 * A password a manager chose is replaced at the first sign-in, in Chromium on the test seed: a user the
 * manager adds on the Users page (generated password) signs in to "Choose your own password" instead of
 * the app, on reload too, with the own-password form's checks and messages; once they choose one the app
 * opens, and the next sign-in goes straight in. The Users page says who has not chosen a password yet.
 * The page's Sign out leaves without choosing.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, listUsers } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const pat = { email: 'pat.pending@tidewater.test', name: 'Pat Pending' };

describeInBrowser('choosing your own password at the first sign-in in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403] });
  const { consoleErrors, expectAccessible, go, signInFresh, signOut } = suite;
  let given = '';

  const stored = async (email: string) => (await listUsers(suite.services.tracker, SYSTEM_ACTOR)).find((u) => u.email === email)!;
  const row = (name: string) => suite.page.getByRole('table', { name: 'Users, their roles and partners' }).getByRole('row').filter({ has: suite.page.getByRole('cell', { name, exact: true }) });
  const chooseForm = () => suite.page.getByRole('form', { name: 'Choose your own password' });
  const mainMenu = () => suite.page.getByRole('navigation', { name: 'Main' });
  const fieldError = (id: string) => suite.page.locator(`#${id}-error`);
  const focusedId = () => suite.page.evaluate<string | null>('document.activeElement?.id || document.activeElement?.tagName || null');
  /** Signs in with the sign-in form (cookies dropped first) and waits for the page that asks for a new password. */
  const signInToChoose = async (password: string) => {
    await suite.context.clearCookies();
    await suite.page.goto(suite.url);
    await suite.page.getByLabel('Email').fill(pat.email);
    await suite.page.getByLabel('Password').fill(password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('heading', { level: 1, name: 'Choose your own password' }).waitFor();
  };

  beforeAll(async () => {
    // The manager adds Pat with a generated password, shown once.
    await signInFresh(suite.world.manager);
    await go('#/users');
    const form = suite.page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email').fill(pat.email);
    await form.getByLabel('Name', { exact: true }).fill(pat.name);
    await form.getByLabel('Role').selectOption('editor');
    await form.getByRole('button', { name: 'Add user' }).click();
    given = (await suite.page.locator('.one-time-password code.secret').innerText()).trim();
  });

  it('tells the manager that the new user has not chosen a password yet', async () => {
    await suite.page.getByRole('status').filter({ hasText: `${pat.name} is added. At their first sign-in they choose their own password.` }).waitFor();
    await expect.poll(() => row(pat.name).getByRole('cell').last().innerText()).toMatch(/^not chosen by them yet/);
    // Users who chose theirs (the seed's) say nothing of the kind.
    expect(await row(suite.world.editor.name).getByRole('cell').last().innerText()).toBe('Set password');
    expect((await stored(pat.email)).mustChangePassword).toBe(true);
    await expectAccessible('users, a password not chosen yet');
    await signOut();
  });

  it('shows "Choose your own password" instead of the app after sign-in and on reload, and the server answers nothing else', async () => {
    await signInToChoose(given);
    expect(await mainMenu().count()).toBe(0);
    expect(await suite.page.title()).toBe('Choose your own password · Unblock');
    // The heading takes the focus after sign-in, so the reason is read before the fields.
    await expect.poll(focusedId).toBe('change-password-title');
    await suite.page.getByText('Your password was chosen by a manager or an admin').waitFor();
    await suite.page.getByText(`Signed in as ${pat.name} (${pat.email}).`).waitFor();
    await expectAccessible('choose your own password');

    const refused = await suite.context.request.get(`${suite.url}/api/entitlements`);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    await suite.page.goto(`${suite.url}/#/portfolio`);
    await suite.page.reload();
    await chooseForm().waitFor();
    expect(await mainMenu().count()).toBe(0);
  });

  it('checks the fields as the own-password form does, each message under its field', async () => {
    const form = chooseForm();
    const current = form.getByLabel('Current (temporary) password', { exact: true });
    const next = form.getByLabel('New password', { exact: true });
    const repeat = form.getByLabel('Repeat the new password', { exact: true });
    const save = form.getByRole('button', { name: 'Save my password' });

    await save.click();
    await expect.poll(() => fieldError('current').innerText()).toBe('Type the password you were given.');
    expect(await fieldError('next').innerText()).toBe('Use at least 8 characters.');
    await expect.poll(focusedId).toBe('password-current');
    expect(await current.getAttribute('aria-invalid')).toBe('true');

    // The given password again is no password of one's own.
    await current.fill(given);
    await next.fill(given);
    await repeat.fill(given);
    await save.click();
    await expect.poll(() => fieldError('next').innerText()).toBe('This is the current password: choose another.');
    await expect.poll(focusedId).toBe('password-next');

    await next.fill('pat-own-choice-1');
    await repeat.fill('pat-own-choice-2');
    await save.click();
    await expect.poll(() => fieldError('repeat').innerText()).toBe('This is not the same as the new password.');

    // Refused by the server: the current password is wrong.
    await current.fill('not-what-i-was-given');
    await repeat.fill('pat-own-choice-1');
    await save.click();
    await expect.poll(() => fieldError('current').innerText()).toBe('The current password is wrong.');
    await expectAccessible('choose your own password, refused');
    expect((await stored(pat.email)).mustChangePassword).toBe(true);
  });

  it('opens the app once the password is chosen, and the next sign-in goes straight in', async () => {
    const form = chooseForm();
    await form.getByLabel('Current (temporary) password', { exact: true }).fill(given);
    await form.getByRole('button', { name: 'Save my password' }).click();
    await mainMenu().getByRole('link', { name: 'Portfolio' }).waitFor();
    // The app opens where the user was going (the portfolio, opened before the reload), saying the password is now theirs.
    await suite.page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    await suite.page.getByRole('status').filter({ hasText: 'Your password is now your own' }).waitFor();
    expect(await suite.page.title()).toBe('Portfolio · Unblock');
    expect((await stored(pat.email)).mustChangePassword).toBe(false);
    expect((await suite.context.request.get(`${suite.url}/api/entitlements`)).status()).toBe(200);

    await signOut();
    await suite.page.getByLabel('Email').fill(pat.email);
    await suite.page.getByLabel('Password').fill('pat-own-choice-1');
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await mainMenu().getByRole('link', { name: 'Portfolio' }).waitFor();
    expect(await chooseForm().count()).toBe(0);
    await signOut();
  });

  it('asks again after a manager sets the password, and Sign out leaves without choosing', async () => {
    await signInFresh(suite.world.manager);
    await go('#/users');
    await expect.poll(() => row(pat.name).getByRole('cell').last().innerText()).toBe('Set password');
    await row(pat.name).getByRole('button', { name: `Set password for ${pat.name}` }).click();
    const setForm = suite.page.getByRole('form', { name: new RegExp(`Set a password for ${pat.name}`) });
    await setForm.getByLabel('New password', { exact: true }).fill('manager-knows-it-1');
    await setForm.getByLabel('Repeat it').fill('manager-knows-it-1');
    await setForm.getByRole('button', { name: 'Set this password' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'they sign in with the new password and then choose their own' }).waitFor();
    await expect.poll(() => row(pat.name).getByRole('cell').last().innerText()).toMatch(/^not chosen by them yet/);

    await signInToChoose('manager-knows-it-1');
    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await suite.context.request.get(`${suite.url}/api/me`)).status()).toBe(401);
    expect((await stored(pat.email)).mustChangePassword).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});
