/**
 * Web QA in Chromium on the test seed (session 19, review of the export and lowered-role changes).
 *
 * - Leaving the portfolio while an export was being prepared cancelled it: no file, nothing said (the
 *   plain link's download went on). It now goes on and saves the file when it comes.
 * - A 403 refusal ("This needs the manager role or higher…") stayed next to an enabled Save once the
 *   role was raised back: it now goes when the role allows the action again.
 * - The focus fell to the document when the role was lowered (the focused control turned disabled, the
 *   submit button went) and on Cancel of a read-only form (its opener is not shown to the lowered role):
 *   it now goes to the notice, and after Cancel to the opener or else the page's heading.
 * - The Delete customer dialog dropped the typed reason when the role was lowered and opened again by
 *   itself, empty, when it came back: it now stays, read-only with the notice, as the other forms do.
 * - The chart's keyboard description said "Left and right arrow keys move from bar to bar" on every
 *   chart: on the horizontal bars the left arrow key moves down. Each layout now says what its keys do.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR, createCustomer, createUser, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const hana = { email: 'hana.berg@tidewater.test', name: 'Hana Berg', password: 'hana-own-choice-19r' };
const ivo = { email: 'ivo.sand@tidewater.test', name: 'Ivo Sand', password: 'ivo-own-choice-19r' };
const EXPORT_PATH = '/api/export/entitlements.csv';
const ROLE_REFUSAL = /needs the \w+ role or higher/i;

/** The tag, id and classes of the focused element, to say where the focus is. */
const focused = (page: Page) =>
  page.evaluate<string>("(() => { const a = document.activeElement; return a ? `${a.tagName.toLowerCase()}#${a.id}.${[...a.classList].join('.')}` : ''; })()");

describeInBrowser('web QA session 19 (review) in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403, 500] });
  const { consoleErrors } = suite;
  let hanaId = 0;
  let ivoId = 0;

  beforeAll(async () => {
    hanaId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...hana, role: 'manager', partnerId: suite.world.partnerId })).id;
    ivoId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...ivo, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  /**
   * The tab reads its user again, as on a return to it (which reads at most once per 30 s, too seldom
   * for a test): the event the app's client sends on a 403, which makes it read the user again.
   */
  const rereadRole = async (role: string) => {
    await suite.page.evaluate("window.dispatchEvent(new Event('unblock:forbidden'))");
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe(role);
  };

  it('goes on with an export started before leaving the portfolio, and saves its file', async () => {
    await suite.signInFresh(suite.world.editor);
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    // The server takes its time: the user goes to the reports before the file comes.
    await suite.page.route(`**${EXPORT_PATH}*`, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue().catch(() => undefined);
    });
    try {
      const downloaded = suite.page.waitForEvent('download', { timeout: 8000 });
      await suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' }).click();
      await suite.page.getByRole('status').filter({ hasText: 'Preparing the file' }).waitFor();
      await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
      await suite.page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
      const download = await downloaded;
      expect(download.suggestedFilename()).toMatch(/^unblock-entitlements-\d{4}-\d{2}-\d{2}\.csv$/);
    } finally {
      await suite.page.unrouteAll();
    }
  });

  it('starts the export with Space too, as the button it looks like', async () => {
    await suite.go('#/portfolio');
    await expect.poll(async () => suite.page.locator('.result-count').innerText()).toMatch(/entitlement\(s\)$/);
    await suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' }).focus();
    const scrolled = await suite.page.evaluate<number>('window.scrollY');
    const [download] = await Promise.all([suite.page.waitForEvent('download', { timeout: 5000 }), suite.page.keyboard.press('Space')]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(await suite.page.evaluate<number>('window.scrollY')).toBe(scrolled);
  });

  it('drops a failed export’s message when the filters change', async () => {
    await suite.page.route(`**${EXPORT_PATH}*`, (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message: 'The export broke for the test.' } }) }),
    );
    try {
      await suite.page.locator('.toolbar').getByRole('link', { name: 'Export CSV' }).click();
      const alert = suite.page.getByRole('alert').filter({ hasText: 'The export broke for the test.' });
      await alert.waitFor();
      await suite.go('#/portfolio?l1=Blocked');
      await expect.poll(() => alert.count()).toBe(0);
    } finally {
      await suite.page.unrouteAll();
    }
  });

  it('drops the role refusal once the role is back, puts the focus on the notice and, after Cancel, on the heading', async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'review-role.example', name: 'Review Role Ltd', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    await suite.signInFresh(hana);
    await suite.go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Edit details' }).click();
    const details = suite.page.getByRole('form', { name: 'Edit details' });
    await details.getByLabel('Region (optional)').fill('EMEA');

    // Lowered: the save is refused, the form turns read-only, and the focus goes to the notice.
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'editor' });
    await details.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('editor');
    await details.locator('.role-lost').waitFor();
    await details.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).waitFor();
    await expect.poll(() => focused(suite.page)).toContain('.role-lost');

    // Raised back: the form can be saved again, and the refusal no longer says it cannot.
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'manager' });
    await rereadRole('manager');
    await details.getByRole('button', { name: 'Save details' }).waitFor();
    expect(await details.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).count()).toBe(0);
    expect(await details.getByLabel('Region (optional)').inputValue()).toBe('EMEA');

    // Lowered again, then Cancel: the opener is not shown to an editor, so the heading takes the focus.
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'editor' });
    await rereadRole('editor');
    await details.locator('.role-lost').waitFor();
    await details.getByRole('button', { name: 'Cancel' }).click();
    expect(await suite.page.getByRole('form', { name: 'Edit details' }).count()).toBe(0);
    await expect.poll(() => focused(suite.page)).toMatch(/^h1/);

    // Mark customer Duplicate/Invalid…: refused for a viewer, the refusal gone once an editor again.
    await suite.page.getByRole('button', { name: 'Mark customer Duplicate/Invalid…' }).click();
    const mark = suite.page.getByRole('form', { name: 'Mark every entitlement Duplicate/Invalid' });
    await mark.getByLabel(/Why is this tenant/).fill('A demo tenant');
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'viewer' });
    await mark.getByRole('button', { name: /^Mark \d+ entitlement/ }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');
    await mark.locator('.role-lost').waitFor();
    await mark.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).waitFor();
    await expect.poll(() => focused(suite.page)).toContain('.role-lost');
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'editor' });
    await rereadRole('editor');
    await mark.getByRole('button', { name: /^Mark \d+ entitlement/ }).waitFor();
    expect(await mark.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).count()).toBe(0);

    // Marked for real, then Restore customer…: the same.
    await mark.getByRole('button', { name: /^Mark \d+ entitlement/ }).click();
    await suite.page.getByRole('button', { name: 'Restore customer…' }).click();
    const restore = suite.page.getByRole('form', { name: 'Restore every entitlement' });
    await restore.getByLabel('Status note').fill('Not a demo after all');
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'viewer' });
    await restore.getByRole('button', { name: /^Restore \d+ entitlement/ }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');
    await restore.locator('.role-lost').waitFor();
    await restore.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).waitFor();
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'editor' });
    await rereadRole('editor');
    await restore.getByRole('button', { name: /^Restore \d+ entitlement/ }).waitFor();
    expect(await restore.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).count()).toBe(0);
    // Cancel while allowed: the focus goes back to the opener.
    await restore.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => suite.page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Restore customer…');
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'manager' });
  });

  it('keeps the Delete customer dialog, read-only with its reason, when the role is lowered, and never opens it by itself', async () => {
    const ctx = suite.services.tracker;
    const customer = await createCustomer(ctx, SYSTEM_ACTOR, { tenantId: 'review-delete.example', name: 'Review Delete Ltd', partnerId: suite.world.partnerId, managed: false, region: null, workloads: ['teams'] });
    await suite.signInFresh(hana);
    await suite.go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Delete customer…' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Delete Review Delete Ltd?' });
    await dialog.getByLabel('Why delete it? (required)').fill('Created twice by mistake');

    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'editor' });
    await rereadRole('editor');
    const notice = dialog.locator('.role-lost');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('editor');
    expect(await notice.innerText()).toMatch(/reason/i);
    expect(await dialog.getByLabel('Why delete it? (required)').inputValue()).toBe('Created twice by mistake');
    expect(await dialog.getByLabel('Why delete it? (required)').isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Delete customer' }).count()).toBe(0);
    await expect.poll(() => focused(suite.page)).toContain('.role-lost');

    // Cancel closes it for good: the focus goes to the heading (the opener is not shown to an editor) ...
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => focused(suite.page)).toMatch(/^h1/);
    // ... and the role coming back does not open it again.
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'manager' });
    await rereadRole('manager');
    await suite.page.getByRole('button', { name: 'Delete customer…' }).waitFor();
    expect(await suite.page.getByRole('dialog').count()).toBe(0);

    // Opened with nothing typed, then lowered: it closes (nothing to keep), and does not come back.
    await suite.page.getByRole('button', { name: 'Delete customer…' }).click();
    await dialog.waitFor();
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'editor' });
    await rereadRole('editor');
    await dialog.waitFor({ state: 'detached' });
    await updateUser(ctx, SYSTEM_ACTOR, hanaId, { role: 'manager' });
    await rereadRole('manager');
    await suite.page.getByRole('button', { name: 'Delete customer…' }).waitFor();
    expect(await suite.page.getByRole('dialog').count()).toBe(0);
  });

  it('drops the bulk panel’s role refusal once the role is back; Cancel of the read-only panel focuses the heading', async () => {
    await suite.signInFresh(ivo);
    await suite.go('#/portfolio');
    await suite.page.locator('.vbody [role=row] input[type=checkbox]').first().check();
    await suite.page.getByRole('button', { name: 'Change status of 1 selected' }).click();
    const panel = suite.page.getByRole('form', { name: /^Change status of 1 entitlement/ });
    await panel.getByLabel('L1 status').selectOption('Status Unknown');
    await panel.getByLabel('L2 reason').selectOption('Customer Unresponsive');
    await panel.getByLabel('Status note').fill('Typed by Ivo');
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, ivoId, { role: 'viewer' });
    await panel.getByRole('button', { name: 'Apply to 1' }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');
    await panel.locator('.role-lost').waitFor();
    await panel.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).waitFor();
    await expect.poll(() => focused(suite.page)).toContain('.role-lost');

    await updateUser(suite.services.tracker, SYSTEM_ACTOR, ivoId, { role: 'editor' });
    await rereadRole('editor');
    await panel.getByRole('button', { name: 'Apply to 1' }).waitFor();
    expect(await panel.getByRole('alert').filter({ hasText: ROLE_REFUSAL }).count()).toBe(0);

    await updateUser(suite.services.tracker, SYSTEM_ACTOR, ivoId, { role: 'viewer' });
    await rereadRole('viewer');
    await panel.locator('.role-lost').waitFor();
    await panel.getByRole('button', { name: 'Cancel' }).click();
    expect(await suite.page.getByRole('form', { name: /^Change status of/ }).count()).toBe(0);
    await expect.poll(() => focused(suite.page)).toMatch(/^h1/);
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, ivoId, { role: 'editor' });
  });

  it('describes each chart’s arrow keys as they work', async () => {
    await suite.signInFresh(suite.world.manager);
    let checked = 0;
    for (const report of ['blockers', 'ageing', 'forecast', 'quality', 'flow']) {
      await suite.go(`#/reports?report=${report}`);
      const figure = suite.page.getByTestId('report-chart');
      const layer = figure.locator('svg[tabindex="0"]');
      await layer.waitFor();
      const description = (await layer.locator('desc').textContent()) ?? '';
      // The categories along the chart's label axis (its ticks that are not counts).
      const categories = (await figure.locator('.recharts-cartesian-axis-tick-value').allTextContents()).filter((t) => !/^\d+$/.test(t.trim()));
      if (categories.length < 2) continue;
      // Where the cursor of the shown bar is, and what the keys do from the first bar. The mouse is out of
      // the chart: a bar under it would be shown instead of the keyboard's.
      await suite.page.mouse.move(0, 0);
      const cursor = figure.locator('.recharts-tooltip-cursor');
      const label = figure.locator('.recharts-tooltip-label');
      await layer.focus();
      await cursor.waitFor();
      const first = { label: await label.innerText(), box: (await cursor.boundingBox())! };
      let forward: string | undefined;
      for (const key of ['ArrowLeft', 'ArrowRight']) {
        await suite.page.keyboard.press(key);
        await suite.page.waitForTimeout(150);
        if ((await label.innerText()) !== first.label) {
          forward = key;
          break;
        }
      }
      expect(forward, `${report}: some arrow key moves on from the first bar`).toBeDefined();
      const next = (await cursor.boundingBox())!;
      const way = next.y > first.box.y + 1 ? 'down' : next.x > first.box.x + 1 ? 'right' : 'elsewhere';
      const said = /\b(left|right) arrow key moves (down|right)\b/i.exec(description);
      expect(said, `${report}: ${description}`).not.toBeNull();
      expect(`${said![1]!.toLowerCase()} ${said![2]!.toLowerCase()}`, report).toBe(`${forward === 'ArrowLeft' ? 'left' : 'right'} ${way}`);
      // Enter hides the numbers, and shows them again.
      await suite.page.keyboard.press('Enter');
      await expect.poll(() => label.isVisible(), { message: report }).toBe(false);
      await suite.page.keyboard.press('Enter');
      await expect.poll(() => label.isVisible(), { message: report }).toBe(true);
      checked += 1;
    }
    // Both layouts were checked: horizontal bars (Blockers by reason, Status flow) and columns.
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors.filter((e) => !/ERR_CONNECTION_RESET/.test(e))).toEqual([]);
  });
});
