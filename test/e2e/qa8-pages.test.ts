/**
 * Fixes from the qa8 web pass, in Chromium on the test seed: buttons whose request the server refuses
 * keep the focus (or hand it to the field to fix, or to the refusal) instead of dropping it to the page
 * (Users, customer, portfolio bulk change, Import); the entitlement page asks before a link or Back
 * drops unsaved edits, and staying keeps the address and the page; a token name
 * already taken is said under the Name field, which takes the focus.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { SYSTEM_ACTOR, getEntitlement, markCustomerDuplicateInvalid } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** The element with the focus: its id, else its text, else its tag. */
const FOCUSED = "(() => { const a = document.activeElement; return a ? (a.id || (a.textContent ?? '').trim() || a.tagName) : ''; })()";

/**
 * Answers the next `method` request to a path matching `path` with the API refusal `error` (status,
 * code, message, details) after `holdMs`, during which `whileHeld` runs; later requests go through.
 */
async function refuseOnce(page: Page, method: string, path: RegExp, error: { status: number; code: string; message: string; details?: unknown }, whileHeld?: () => Promise<void>): Promise<() => Promise<void>> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let used = false;
  const handler = async (route: Route) => {
    if (used || route.request().method() !== method) return route.fallback();
    used = true;
    await released;
    await route.fulfill({ status: error.status, contentType: 'application/json', body: JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }) });
  };
  await page.route((url) => path.test(url.pathname), handler);
  /** Runs `whileHeld` once the request is held, then lets the refusal through. */
  return async () => {
    await expect.poll(() => used).toBe(true);
    await whileHeld?.();
    release();
  };
}

describeInBrowser('qa8 page fixes in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 409, 422], extraEntitlements: 25 });
  const { consoleErrors, go, signIn, signInFresh, expectAccessible } = suite;
  const focused = () => suite.page.evaluate<string>(FOCUSED);
  /** While a request is held: the button the user pressed still has the focus, marked busy. */
  const stillOn = (name: string | RegExp) => async () => {
    const button = suite.page.getByRole('button', { name });
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await button.evaluate((b) => b === (b.ownerDocument.activeElement as unknown))).toBe(true);
  };

  beforeAll(async () => {
    await signIn(suite.world.manager);
  });

  it('keeps the focus on the Users page’s buttons, or on the password to fix, when the server refuses', async () => {
    const { editor, viewer } = suite.world;
    const page = suite.page;
    await go('#/users');
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });

    // Change role: refused; the focus stays on Save role, next to the message.
    await row(editor.name).getByRole('button', { name: `Change role of ${editor.name}` }).click();
    await page.locator('#user-role-select').selectOption('viewer');
    let answer = await refuseOnce(page, 'PATCH', /^\/api\/users\/\d+$/, { status: 409, code: 'CONFLICT', message: 'This user changed in the meantime.' }, stillOn('Saving…'));
    await page.getByRole('button', { name: 'Save role' }).click();
    await answer();
    await page.getByRole('alert').filter({ hasText: 'This user changed in the meantime.' }).waitFor();
    await expect.poll(focused).toBe('Save role');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Set password: a typed one refused goes to its field, the message under it; a generated one refused stays on its button.
    await row(editor.name).getByRole('button', { name: `Set password for ${editor.name}` }).click();
    await page.getByLabel('New password').fill('long-enough-1');
    await page.getByLabel('Repeat it').fill('long-enough-1');
    answer = await refuseOnce(
      page,
      'PUT',
      /\/password$/,
      { status: 422, code: 'VALIDATION_FAILED', message: 'The request body is not valid.', details: [{ where: 'body', path: '/password', message: 'This password is on the list of leaked passwords.' }] },
      stillOn('Set this password'),
    );
    await page.getByRole('button', { name: 'Set this password' }).click();
    await answer();
    await page.locator('#set-password-problem').filter({ hasText: 'This password is on the list of leaked passwords.' }).waitFor();
    await expect.poll(focused).toBe('set-password-new');
    expect(await page.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
    answer = await refuseOnce(page, 'PUT', /\/password$/, { status: 403, code: 'FORBIDDEN', message: 'You cannot set this user’s password.' }, stillOn('Generate one'));
    await page.getByRole('button', { name: 'Generate one' }).click();
    await answer();
    await page.getByRole('alert').filter({ hasText: 'You cannot set this user’s password.' }).waitFor();
    await expect.poll(focused).toBe('Generate one');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Disable: refused in the question, the focus on its button; Enable refused, on Enable.
    await row(viewer.name).getByRole('button', { name: `Disable ${viewer.name}` }).click();
    answer = await refuseOnce(page, 'PATCH', /^\/api\/users\/\d+$/, { status: 403, code: 'FORBIDDEN', message: 'Not yours to disable.' }, stillOn('Disabling…'));
    await page.getByRole('region', { name: `Disable ${viewer.name}?` }).getByRole('button', { name: `Disable ${viewer.name}` }).click();
    await answer();
    await page.getByRole('alert').filter({ hasText: 'Not yours to disable.' }).waitFor();
    await expect.poll(focused).toBe(`Disable ${viewer.name}`);
    await page.getByRole('region', { name: `Disable ${viewer.name}?` }).getByRole('button', { name: `Disable ${viewer.name}` }).click();
    await row(viewer.name).getByRole('button', { name: `Enable ${viewer.name}` }).waitFor();
    answer = await refuseOnce(page, 'PATCH', /^\/api\/users\/\d+$/, { status: 409, code: 'CONFLICT', message: 'Not now.' }, stillOn(`Enable ${viewer.name}`));
    await row(viewer.name).getByRole('button', { name: `Enable ${viewer.name}` }).click();
    await answer();
    await page.getByRole('alert').filter({ hasText: 'Not now.' }).waitFor();
    // The row's button (its id names the row), now reading Enable again.
    await expect.poll(focused).toBe(await row(viewer.name).getByRole('button', { name: `Enable ${viewer.name}` }).getAttribute('id'));
    await row(viewer.name).getByRole('button', { name: `Enable ${viewer.name}` }).click();
    await row(viewer.name).getByRole('button', { name: `Disable ${viewer.name}` }).waitFor();
  });

  it('keeps the focus on Mark Duplicate/Invalid and Restore when the server refuses them', async () => {
    const page = suite.page;
    const orchard = suite.world.customers.orchard;
    await go(`#/customers/${orchard}`);
    await page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).click();
    await page.getByLabel(/Why is this tenant a duplicate or invalid/).fill('A test tenant the partner set up for training; no customer behind it.');
    let answer = await refuseOnce(page, 'POST', /\/duplicate-invalid$/, { status: 409, code: 'CONFLICT', message: 'An entitlement of this customer changed meanwhile.' }, stillOn('Saving…'));
    await page.getByRole('button', { name: /^Mark \d+ entitlement\(s\) Duplicate\/Invalid$/ }).click();
    await answer();
    await page.getByRole('alert').filter({ hasText: 'An entitlement of this customer changed meanwhile.' }).waitFor();
    await expect.poll(focused).toMatch(/^Mark \d+ entitlement\(s\) Duplicate\/Invalid$/);

    // Marked for real, then a restore refused as stale: the focus stays on Restore; Reload hands it back there.
    await markCustomerDuplicateInvalid(suite.services.tracker, suite.world.editorActor, orchard, { note: 'A test tenant the partner set up for training; no customer behind it.' });
    await go('#/portfolio');
    await go(`#/customers/${orchard}`);
    await page.getByRole('button', { name: 'Restore customer…' }).click();
    answer = await refuseOnce(page, 'POST', /\/bulk-status$/, { status: 409, code: 'VERSION_CONFLICT', message: 'Someone saved one of them first.', details: { conflicts: [] } }, stillOn('Saving…'));
    await page.getByRole('button', { name: /^Restore \d+ entitlement\(s\)$/ }).click();
    await answer();
    await page.getByRole('alert').filter({ hasText: 'Someone saved one of them first.' }).waitFor();
    await expect.poll(focused).toBe('restore-submit');
    await page.getByRole('button', { name: 'Reload the customer' }).click();
    await expect.poll(focused).toBe('restore-submit');
    await page.getByRole('button', { name: /^Restore \d+ entitlement\(s\)$/ }).click();
    await page.getByText(/^Restored \d+ entitlement\(s\)/).waitFor();
  });

  it('keeps the focus on Apply, or moves it to the refusal after a confirmation, when a bulk change is refused', async () => {
    const page = suite.page;
    const panel = page.locator('form.bulk-panel');
    await go('#/portfolio?q=Bench');
    await expect.poll(() => page.locator('.result-count').innerText(), { timeout: 15_000 }).toBe('25 entitlement(s)');
    await page.getByRole('checkbox', { name: /^Select Bench Customer/ }).first().check();
    await page.getByRole('button', { name: 'Change status of 1 selected' }).click();
    await panel.getByLabel('L1 status').selectOption('Status Unknown');
    await panel.getByLabel('L2 reason').selectOption({ index: 1 });
    const refusal = { status: 422, code: 'RULE_VIOLATION', message: 'The change breaks a rule of the playbook.', details: { violations: [] } };
    let answer = await refuseOnce(page, 'POST', /\/bulk-status$/, refusal, stillOn('Saving…'));
    await panel.getByRole('button', { name: 'Apply to 1' }).click();
    await answer();
    await panel.getByRole('alert').filter({ hasText: 'The change breaks a rule of the playbook.' }).waitFor();
    await expect.poll(focused).toBe('Apply to 1');
    await panel.getByRole('button', { name: 'Cancel' }).click();

    // More than 20: the confirmation's button goes with it, so the refusal takes the focus.
    await page.getByRole('checkbox', { name: 'Select all shown entitlements' }).check();
    await page.getByRole('button', { name: 'Change status of 25 selected' }).click();
    await panel.getByLabel('L1 status').selectOption('Status Unknown');
    await panel.getByLabel('L2 reason').selectOption({ index: 1 });
    await panel.getByRole('button', { name: 'Apply to 25' }).click();
    answer = await refuseOnce(page, 'POST', /\/bulk-status$/, refusal, stillOn('Saving…'));
    await panel.getByRole('button', { name: 'Yes, change 25 entitlements' }).click();
    await answer();
    await expect.poll(focused).toBe('bulk-refusal');
    await panel.getByRole('button', { name: 'Cancel' }).click();
  });

  it('keeps the focus on Import while the file is sent, and Try again hands it there', async () => {
    const page = suite.page;
    await go('#/import');
    const csv = 'tenant_id,workload,note\nharbour-logistics.example,teams,Kick-off call held and pilot users picked for next week.\n';
    await page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name: 'teams.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('table').first().waitFor();
    const conflict = { status: 409, code: 'VERSION_CONFLICT', message: 'Entitlements changed during the import.', details: { conflicts: [] } };
    let answer = await refuseOnce(page, 'POST', /^\/api\/import\/entitlements$/, conflict, stillOn('Importing…'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await answer();
    await expect.poll(focused).toBe('import-result-title');
    answer = await refuseOnce(page, 'POST', /^\/api\/import\/entitlements$/, conflict, stillOn('Importing…'));
    await page.getByRole('button', { name: 'Try again' }).click();
    await answer();
    await expect.poll(focused).toBe('import-result-title');
  });

  it('says a token name already taken under the Name field and puts the focus there, for CONFLICT and for TOKEN_NAME_TAKEN', async () => {
    const page = suite.page;
    await go('#/tokens');
    await page.getByLabel('Name', { exact: true }).fill('Nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'New token “Nightly export”' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    // The real refusal: 409 CONFLICT with details {field: "name", reason: "TOKEN_NAME_TAKEN"}; names compare ignoring case.
    await page.getByLabel('Name', { exact: true }).fill('NIGHTLY EXPORT');
    await page.getByRole('button', { name: 'Create token' }).click();
    const problem = page.locator('#new-token-problem');
    await problem.filter({ hasText: 'You already have an active token named “NIGHTLY EXPORT”' }).waitFor();
    await expect.poll(focused).toBe('new-token-name');
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-describedby')).toBe('new-token-problem');
    expect(await page.locator('.new-token .state-error').count()).toBe(0);
    await expectAccessible('token name taken');

    // The code the server may answer with instead.
    await page.getByLabel('Name', { exact: true }).fill('Another name');
    await page.locator('#new-token-title').click();
    const answer = await refuseOnce(page, 'POST', /^\/api\/tokens$/, { status: 409, code: 'TOKEN_NAME_TAKEN', message: 'That name is taken.', details: { field: 'name' } });
    await page.getByRole('button', { name: 'Create token' }).click();
    await answer();
    await problem.filter({ hasText: 'You already have an active token named “Another name”' }).waitFor();
    await expect.poll(focused).toBe('new-token-name');
    expect(await page.locator('.new-token .state-error').count()).toBe(0);
  });

  it('asks before a link or Back drops unsaved edits; staying keeps the address and the page', async () => {
    const page = suite.page;
    await signInFresh(suite.world.editor);
    const id = suite.world.entitlements.conflictTarget;
    const here = `#/entitlements/${id}`;
    await go('#/portfolio');
    await go(here);
    const note = 'Waiting on the customer’s security team to approve the app registration for the pilot.';
    await page.getByLabel('Status note').fill(note);
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    const hash = () => page.evaluate<string>('location.hash');
    const historyLength = await page.evaluate<number>('history.length');

    // A breadcrumb link: asked; Stay keeps all, the focus back on the link.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Portfolio' }).click();
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('(Note)');
    expect(await focused()).toBe('leave-stay');
    await expectAccessible('leave dialog');
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await hash()).toBe(here);
    expect(await page.getByLabel('Status note').inputValue()).toBe(note);
    expect(await focused()).toBe('Portfolio');

    // A menu link, Escape: the same as Stay.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await hash()).toBe(here);

    // Back: the address comes back to this page while asking, and Stay leaves it there with the edits.
    await page.evaluate('history.back()');
    await dialog.waitFor();
    await expect.poll(hash).toBe(here);
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await page.waitForTimeout(200);
    expect(await hash()).toBe(here);
    expect(await page.getByLabel('Status note').inputValue()).toBe(note);
    expect(await page.evaluate<number>('history.length')).toBe(historyLength);

    // Back again, and Leave: the portfolio, and Forward returns to the stored status.
    await page.evaluate('history.back()');
    await dialog.getByRole('button', { name: 'Leave without saving' }).click();
    await expect.poll(hash).toBe('#/portfolio');
    await page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
    await page.evaluate('history.forward()');
    await expect.poll(hash).toBe(here);
    await page.getByLabel('Status note').waitFor();
    expect(await page.getByLabel('Status note').inputValue()).not.toBe(note);

    // Saved, then a link: no question.
    await page.getByLabel('Status note').fill(note);
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    expect((await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id)).note).toBe(note);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Portfolio' }).click();
    await expect.poll(hash).toBe('#/portfolio');
    expect(await dialog.count()).toBe(0);

    // Discarded, then a link: no question either.
    await go(here);
    await page.getByLabel('Owner').fill('Nina Berg');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await page.getByLabel('Owner').inputValue()).toBe('');
    await expect.poll(focused).toBe('status-heading');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playbook' }).click();
    await expect.poll(hash).toBe('#/playbook');
    expect(await dialog.count()).toBe(0);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
