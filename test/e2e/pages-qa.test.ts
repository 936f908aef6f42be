/**
 * Page fixes from a QA pass, in Chromium on the test seed: focus after sign-in and the demo hint,
 * "Not found" for ids the API does not know, who saved first in an edit conflict, read-only fields that
 * look read-only, the portfolio search placeholder, report scores out of 100 and the Ageing L1 list,
 * the restore flag sent from the customer page, and the 375 px layout (no page-wide sideways scroll,
 * no cut cells, report bars drawn).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createCustomer, getEntitlement, markCustomerDuplicateInvalid, updateStatus, type Actor } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('page fixes in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 404, 409, 422] });
  const { consoleErrors, expectAccessible, go, signInFresh } = suite;

  /** The page is no wider than the window: nothing makes the whole page scroll sideways. */
  const pageWidth = () => suite.page.evaluate<{ scroll: number; window: number }>('({ scroll: document.documentElement.scrollWidth, window: window.innerWidth })');

  it('points to the demo logins only when the server has the demo data, and focuses the page heading after sign-in', async () => {
    const [health] = await Promise.all([suite.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/health'), suite.page.goto(suite.url)]);
    expect(((await health.json()) as { demoData: boolean }).demoData).toBe(false);
    await suite.page.getByRole('heading', { name: 'Sign in to Unblock' }).waitFor();
    expect(await suite.page.getByText('npm start').count()).toBe(0);

    // A server with the demo data says so in /api/health.
    await suite.page.route('**/api/health', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), demoData: true } });
    });
    try {
      await suite.page.reload();
      await suite.page.getByText('This server runs with the demo data: the command that started it (npm start or unblock serve --demo) printed its logins.').waitFor();
    } finally {
      await suite.page.unroute('**/api/health');
    }

    await suite.page.getByLabel('Email').fill(suite.world.editor.email);
    await suite.page.getByLabel('Password').fill(suite.world.editor.password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.locator('main h1').first().waitFor();
    await expect.poll(() => suite.page.evaluate<boolean>("document.activeElement?.matches('main h1') ?? false")).toBe(true);
    // The first Tab goes on into the page, not back to the document.
    await suite.page.keyboard.press('Tab');
    expect(await suite.page.evaluate<boolean>("document.activeElement !== document.body && !!document.activeElement?.closest('main')")).toBe(true);
  });

  it('shows "Not found" for a customer or entitlement id the API does not know', async () => {
    for (const [hash, what] of [
      ['#/customers/999999', 'customer'],
      ['#/entitlements/999999', 'entitlement'],
    ] as const) {
      await go(hash);
      await suite.page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
      expect(await suite.page.locator('main').innerText(), hash).toContain(`There is no ${what} at this address`);
      expect(await suite.page.getByRole('button', { name: 'Try again' }).count(), hash).toBe(0);
      expect(await suite.page.locator('.state-error').count(), hash).toBe(0);
    }
    await expectAccessible('not found');
  });

  it('says who saved first in an edit conflict: you in another tab, or the other user by name', async () => {
    const tracker = suite.services.tracker;
    const id = suite.world.entitlements.conflictTarget;
    const save = async (actor: Actor, note: string) => {
      const current = await getEntitlement(tracker, SYSTEM_ACTOR, id);
      await updateStatus(tracker, actor, id, current.version, { l1: 'In Progress', l2: 'Technical Onboarding and Deployment', note, targetDate: addDays(new Date(), 50) });
    };
    const tryToSave = async (note: string) => {
      await suite.page.getByLabel('Status note').fill(note);
      await suite.page.getByRole('button', { name: 'Save status' }).click();
    };

    // The signed-in editor saved in another tab.
    await go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Status note').waitFor();
    await save(suite.world.editorActor, 'The clinics test Teams meetings in two rooms first; the rollout follows once the rooms work.');
    await tryToSave('The clinics start with Teams chat for the front desk staff, then add meetings in the spring.');
    const mine = suite.page.getByRole('alert').filter({ hasText: 'You saved this elsewhere first' });
    await mine.waitFor();
    expect(await mine.innerText()).toContain('You changed this in another tab or window at');
    expect(await mine.innerText()).not.toContain('Another user');
    await expectAccessible('conflict with your own other tab');

    // Another user, named from the history.
    const manager = await suite.services.db.kysely.selectFrom('users').select('id').where('email', '=', suite.world.manager.email).executeTakeFirstOrThrow();
    const managerActor: Actor = { userId: manager.id, name: suite.world.manager.name, role: 'manager', partnerId: suite.world.partnerId };
    await go(`#/entitlements/${suite.world.entitlements.blocked}`);
    await go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Status note').waitFor();
    await save(managerActor, 'Maria moved the pilot to the dental school first; the clinics follow after the summer break.');
    await tryToSave('The clinics start with Teams chat for the front desk staff, then meetings once rooms are ready.');
    const theirs = suite.page.getByRole('alert').filter({ hasText: 'Someone else saved first' });
    await theirs.waitFor();
    await expect.poll(() => theirs.innerText()).toContain(`${suite.world.manager.name} changed this entitlement at`);
  });

  it('makes a viewer\'s read-only fields look read-only, text fields like lists', async () => {
    await signInFresh(suite.world.viewer);
    await go(`#/entitlements/${suite.world.entitlements.blocked}`);
    await suite.page.getByText('Your role can read this status but not change it.').waitFor();
    const background = (id: string) => suite.page.locator(`#${id}`).evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
    const note = await background('status-note');
    const date = await background('status-engagementStartDate');
    const owner = await background('status-owner');
    const list = await background('status-l1');
    expect(note).not.toBe('rgb(255, 255, 255)');
    expect([date, owner, list]).toEqual([note, note, note]);
    expect(await suite.page.locator('#status-owner').isDisabled()).toBe(true);
  });

  it('shows the whole portfolio search placeholder', async () => {
    await go('#/portfolio');
    const search = suite.page.getByLabel('Search');
    const fits = await search.evaluate((input: { ownerDocument: { defaultView: { getComputedStyle(e: unknown): { fontSize: string; fontFamily: string; paddingLeft: string; paddingRight: string } } | null; createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } | null } }; clientWidth: number; placeholder: string }) => {
      const style = input.ownerDocument.defaultView?.getComputedStyle(input);
      const canvas = input.ownerDocument.createElement('canvas').getContext('2d');
      if (!canvas || !style) return false;
      canvas.font = `${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      // A search field keeps room for its clear button at the right (about 1.5rem) even while empty.
      return input.placeholder.length > 0 && canvas.measureText(input.placeholder).width + 24 <= room;
    });
    expect(fits).toBe(true);
    // At 1280 px, the laptop the app is made for, the table needs no sideways scroll.
    await suite.page.locator('.vbody [role=row]').first().waitFor();
    expect(await suite.page.locator('.vtable').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
  });

  it('shows note quality scores out of 100 and leaves Duplicate/Invalid out of the Ageing L1 list', async () => {
    await go('#/reports?report=quality');
    await suite.page.locator('[data-testid=report-chart] svg.recharts-surface').first().waitFor();
    const table = suite.page.locator('details .data-table');
    // The table sits in a closed <details>: read its text, not what is rendered.
    const headers = await table.locator('thead th').allTextContents();
    const column = headers.indexOf('average score (of 100)');
    expect(column, headers.join(', ')).toBeGreaterThanOrEqual(0);
    const scores = (await table.locator(`tbody tr td:nth-child(${column + 1})`).allTextContents()).filter((s) => s !== '').map(Number);
    expect(scores.length).toBeGreaterThan(0);
    for (const score of scores) {
      expect(Number.isInteger(score)).toBe(true);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
    }
    expect(Math.max(...scores)).toBeGreaterThan(1);

    await go('#/reports?report=ageing');
    const options = await suite.page.getByLabel('L1', { exact: true }).locator('option').allInnerTexts();
    expect(options).toContain('Blocked');
    expect(options).not.toContain('Duplicate/Invalid');
    // An address asking for it is corrected, with the reason (from another page, as the corrected
    // address is the one just shown).
    await go('#/playbook');
    await go('#/reports?report=ageing&l1=Duplicate%2FInvalid');
    const notice = suite.page.locator('.url-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('L1 "Duplicate/Invalid" (reports leave Duplicate/Invalid customers out');
    await suite.page.waitForURL((url) => !url.hash.includes('l1='));
  });

  it('sends the restore flag when a Duplicate/Invalid customer is restored from its page', async () => {
    const tracker = suite.services.tracker;
    const customer = await createCustomer(tracker, SYSTEM_ACTOR, { tenantId: 'orchard-test.example', name: 'Orchard Test Tenant', partnerId: suite.world.partnerId, workloads: ['teams'] });
    await markCustomerDuplicateInvalid(tracker, suite.world.editorActor, customer.id, { note: 'A test tenant of the schools, not a customer of its own.' });
    await signInFresh(suite.world.editor);
    await go(`#/customers/${customer.id}`);
    await suite.page.getByRole('button', { name: 'Restore customer…' }).click();
    const form = suite.page.getByRole('form', { name: 'Restore every entitlement' });
    await form.getByLabel('Status note').fill('It is a real school after all: the new campus starts on Teams this term.');
    const [request] = await Promise.all([
      suite.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/entitlements/bulk-status')),
      form.getByRole('button', { name: 'Restore 1 entitlement(s)' }).click(),
    ]);
    expect((request.postDataJSON() as { restoreDuplicateInvalid?: unknown }).restoreDuplicateInvalid).toBe(true);
    await suite.page.getByRole('status').filter({ hasText: 'Restored 1 entitlement(s)' }).waitFor();
  });

  describe('at 375 px wide', () => {
    beforeAll(async () => {
      await suite.page.setViewportSize({ width: 375, height: 740 });
    });

    it('scrolls the portfolio table sideways inside its box, with no cell cut', async () => {
      await go('#/portfolio');
      await suite.page.locator('.vbody [role=row]').first().waitFor();
      expect(await pageWidth()).toEqual({ scroll: 375, window: 375 });
      const table = await suite.page.locator('.vtable').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(table.scroll).toBeGreaterThan(table.client);
      const cut = await suite.page.locator('.vbody [role=row]').evaluateAll((rows) => {
        const out: string[] = [];
        for (const row of rows) {
          const cells = [...row.querySelectorAll('[role=cell]')] as { innerText: string; scrollWidth: number; clientWidth: number }[];
          // Workload, status, owner, days and updated; the customer below (a split part may be long).
          for (const index of [2, 3, 4, 5, 6]) {
            const cell = cells[index];
            if (cell && cell.scrollWidth > cell.clientWidth) out.push(`${cell.innerText} (${cell.scrollWidth} > ${cell.clientWidth})`);
          }
          const customer = cells[1];
          if (customer && !customer.innerText.includes('·') && customer.scrollWidth > customer.clientWidth) out.push(customer.innerText);
        }
        return out;
      });
      expect(cut).toEqual([]);
      const headers = await suite.page.getByRole('columnheader').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => `${c.textContent} (${c.scrollWidth} > ${c.clientWidth})`));
      expect(headers).toEqual([]);
      await expectAccessible('portfolio at 375 px');
    });

    it('keeps the customer page within the window', async () => {
      await go(`#/customers/${suite.world.customers.harbour}`);
      await suite.page.getByText('split in 2 parts').waitFor();
      expect(await pageWidth()).toEqual({ scroll: 375, window: 375 });
      await expectAccessible('customer at 375 px');
    });

    it('draws the bars of the blockers and flow charts', async () => {
      for (const report of ['blockers', 'flow']) {
        await go(`#/reports?report=${report}`);
        await suite.page.locator('[data-testid=report-chart] .recharts-bar-rectangle').first().waitFor();
        const widths = await suite.page.locator('[data-testid=report-chart] .recharts-bar-rectangle path').evaluateAll((paths) => paths.map((p) => p.getBoundingClientRect().width));
        expect(widths.length, report).toBeGreaterThan(0);
        expect(Math.min(...widths), report).toBeGreaterThan(5);
        // The labels leave most of the chart to the bars.
        const plot = await suite.page.locator('[data-testid=report-chart] .recharts-cartesian-grid').boundingBox();
        const chart = await suite.page.locator('[data-testid=report-chart]').boundingBox();
        expect(plot?.width ?? 0, report).toBeGreaterThan((chart?.width ?? 0) * 0.45);
        expect(await pageWidth(), report).toEqual({ scroll: 375, window: 375 });
      }
    });
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
