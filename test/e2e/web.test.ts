/**
 * The web app end to end: the real server (seeded SQLite, real playbook, classifier and note coach)
 * and the built web app, driven in Debian's Chromium. One browser for the file; the steps run in order
 * and share the signed-in page. Skips with a message when Chromium or web/dist is missing.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR, getEntitlement, listEntitlements, updateStatus } from '../../src/tracker/index.js';
import { addDays } from './support/seed.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

/** Width and height of a PNG, from its IHDR chunk. */
function readPngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The width and height attributes of an SVG document's root element. */
function readSvgSize(svg: string): { width: number; height: number } {
  const root = /^<svg[^>]*>/.exec(svg)?.[0] ?? '';
  return { width: Number(/\swidth="([\d.]+)"/.exec(root)?.[1]), height: Number(/\sheight="([\d.]+)"/.exec(root)?.[1]) };
}

describeInBrowser('web app in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 409, 422], context: { acceptDownloads: true } });
  const { consoleErrors, expectAccessible, go } = suite;

  it('signs in with the cookie session and shows the menu for the role', async () => {
    await suite.page.goto(suite.url);
    await suite.page.getByLabel('Email').fill(suite.world.manager.email);
    await suite.page.getByLabel('Password').fill('not-the-password');
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('alert').filter({ hasText: 'wrong' }).waitFor();
    await expectAccessible('sign-in');

    await suite.page.getByLabel('Password').fill(suite.world.manager.password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    const menu = suite.page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Portfolio' }).waitFor();
    // Managers add their partner's users and set their passwords, so they have Users too.
    expect(await menu.getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Import', 'Reports', 'Playbook', 'Users']);
    await suite.page.getByText(suite.world.manager.name).waitFor();
  });

  it('triages a note as it is typed and applies the result to an entitlement', async () => {
    await go('#/triage');
    const note = 'The customer wants Intune, but their firewall and proxy block device enrolment traffic until the network team changes the rules.';
    await suite.page.getByLabel('Type or paste the status note').fill(note);
    const candidates = suite.page.getByRole('group', { name: 'Candidates, best first' });
    await candidates.waitFor();
    expect(await candidates.getByRole('radio').count()).toBeGreaterThan(0);
    expect(await suite.page.getByRole('meter').count()).toBeGreaterThan(0);
    await suite.page.getByText('Note grade:').waitFor();
    await expectAccessible('triage');

    const chosen = candidates.getByRole('radio', { checked: true });
    const chosenLabel = (await suite.page.locator('.candidate.chosen .candidate-label strong').innerText()).trim();
    expect(await chosen.count()).toBe(1);

    await suite.page.getByLabel('Find the entitlement (customer, workload or tenant)').fill('Harbour');
    await suite.page.getByRole('button', { name: /Harbour Logistics · Intune/ }).click();
    await suite.page.waitForURL(/#\/entitlements\/\d+\?/);
    await suite.page.getByText('Prefilled from triage').waitFor();
    expect(await suite.page.getByLabel('Status note').inputValue()).toBe(note);
    const l2 = await suite.page.getByLabel('L2 reason').inputValue();
    const l1 = await suite.page.getByLabel('L1 status').inputValue();
    expect([l1, l2]).toContain(chosenLabel);

    // Fill whatever the chosen code's rules ask for, then save.
    if (l1 === 'Blocked') await suite.page.getByLabel('Projected unblock date').fill(addDays(new Date(), 21));
    // The projected unblock date is kept only while Blocked, so the form offers it only then.
    else expect(await suite.page.getByLabel('Projected unblock date').count()).toBe(0);
    if (l1 === 'In Progress') await suite.page.getByLabel('Target date').fill(addDays(new Date(), 21));
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const saved = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, suite.world.entitlements.triageTarget);
    expect([saved.l1, saved.l2]).toContain(chosenLabel);
    expect(saved.note).toBe(note);
    await suite.page.getByRole('list', { name: 'Status history, newest first' }).getByText(suite.world.manager.name).first().waitFor();
  });

  it('offers Yes/No only for yes/no questions and adds answers in words to the note', async () => {
    await go('#/triage');
    // A one-word note leaves the classifier unsure between codes, so it asks its confirmation questions.
    await suite.page.getByLabel('Type or paste the status note').fill('competitor');
    const questions = suite.page.getByRole('group', { name: 'Confirmation questions' });
    await questions.waitFor();
    const open = questions.getByRole('listitem').filter({ hasText: /^Why does the customer prefer the competing product/ });
    expect(await open.getByRole('radio').count()).toBe(0);
    expect(await open.getByRole('textbox').count()).toBe(1);
    // Closed questions ("Has a partner been selected…?") keep their Yes / No.
    expect(await questions.getByRole('radiogroup').count()).toBeGreaterThan(0);
    expect(await questions.getByRole('radio', { name: 'Yes' }).count()).toBe(await questions.getByRole('radiogroup').count());
    await expectAccessible('triage questions');

    await open.getByRole('textbox').fill('cheaper per seat and wired into their CRM');
    await open.getByRole('button', { name: 'Add to note' }).click();
    await expect.poll(() => suite.page.getByLabel('Type or paste the status note').inputValue()).toBe('competitor. Cheaper per seat and wired into their CRM.');
  });

  it('shows an unsure answer as a best guess, with the reason said once', async () => {
    await go('#/triage');
    await suite.page.getByLabel('Type or paste the status note').fill('see email');
    const warning = suite.page.locator('p.warning[role="note"]').filter({ hasText: 'too short to choose a reason code' });
    await warning.waitFor();
    expect(await warning.innerText()).not.toMatch(/Not sure:/);
    await suite.page.getByText('Best guess, not a suggestion').waitFor();
    expect(await suite.page.locator('.candidate .badge').first().innerText()).toBe('best guess');
    // A clear note is a suggestion again.
    await suite.page.getByLabel('Type or paste the status note').fill('The firewall and proxy block device enrolment traffic until the network team changes the rules.');
    await suite.page.locator('.l1-suggestion').getByText(/^Suggested L1/).waitFor();
  });

  it('trips a playbook rule inline before saving and saves once it is fixed', async () => {
    await go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('L1 status').selectOption('In Progress');
    await suite.page.getByLabel('L2 reason').selectOption('Migration');
    await suite.page.getByLabel('Status note').fill('Document libraries move from the old file shares in two batches, starting with the sales team.');
    await suite.page.locator('.note-coach').getByText('Note grade:').waitFor();
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByText('In Progress needs a target date.').waitFor();
    expect(await suite.page.getByLabel('Target date').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible('entitlement with rule errors');

    await suite.page.getByLabel('Target date').fill(addDays(new Date(), -3));
    await suite.page.getByText(/The target date must be in the future: after today, \d{4}-\d{2}-\d{2} \(UTC/).waitFor();
    await suite.page.getByLabel('Target date').fill(addDays(new Date(), 40));
    expect(await suite.page.getByText(/The target date must be in the future/).count()).toBe(0);
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const saved = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, suite.world.entitlements.ruleTarget);
    expect([saved.l1, saved.l2, saved.targetDate]).toEqual(['In Progress', 'Migration', addDays(new Date(), 40)]);
  });

  it('resolves an edit conflict: shows theirs against mine and overwrites deliberately', async () => {
    const id = suite.world.entitlements.conflictTarget;
    await go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Status note').waitFor();
    // Someone else saves first.
    const before = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    await updateStatus(suite.services.tracker, suite.world.editorActor, id, before.version, {
      l1: 'In Progress',
      l2: 'Technical Onboarding and Deployment',
      note: 'Teams policies are being configured for the clinics; the pilot starts once the meeting rooms are set up.',
      targetDate: addDays(new Date(), 50),
    });
    await suite.page.getByLabel('L1 status').selectOption('No Intent');
    await suite.page.getByLabel('L2 reason').selectOption('Executive Sponsorship');
    const mine = 'The new owners froze every collaboration project after the merger, so nobody sponsors Teams this year.';
    await suite.page.getByLabel('Status note').fill(mine);
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    const conflict = suite.page.getByRole('alert').filter({ hasText: 'Someone else saved first' });
    await conflict.waitFor();
    expect(await conflict.getByRole('row', { name: /L1/ }).innerText()).toMatch(/In Progress[\s\S]*No Intent/);
    await expectAccessible('entitlement conflict');

    await conflict.getByRole('button', { name: 'Overwrite theirs with mine' }).click();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const saved = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    expect([saved.l1, saved.l2, saved.note, saved.version]).toEqual(['No Intent', 'Executive Sponsorship', mine, before.version + 2]);
    const timeline = suite.page.getByRole('list', { name: 'Status history, newest first' });
    await timeline.getByText(suite.world.editor.name).first().waitFor();
  });

  it('does not send a stale unblock date after leaving Blocked, says when nothing changed and clears the notice on edit', async () => {
    const id = suite.world.entitlements.ruleTarget;
    const before = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    await updateStatus(suite.services.tracker, suite.world.editorActor, id, before.version, {
      l1: 'Blocked',
      l2: 'Partner Engagement',
      note: 'The rollout partner lost its two certified engineers, so the SharePoint work pauses until a new contract is signed.',
      projectedUnblockDate: addDays(new Date(), 20),
    });
    await go(`#/entitlements/${id}`);
    await suite.page.getByLabel('Projected unblock date').waitFor();
    // Nothing changed: no save, and no "Saved.".
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByText('No changes to save.').waitFor();
    expect(await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).count()).toBe(0);
    expect((await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id)).version).toBe(before.version + 1);
    // The notice goes as soon as the form changes.
    await suite.page.getByLabel('L1 status').selectOption('In Progress');
    expect(await suite.page.getByText('No changes to save.').count()).toBe(0);
    expect(await suite.page.getByLabel('Projected unblock date').count()).toBe(0);
    await suite.page.getByLabel('L2 reason').selectOption('Migration');
    await suite.page.getByLabel('Status note').fill('The new partner moves the document libraries in two batches, starting with the sales team.');
    await suite.page.getByLabel('Target date').fill(addDays(new Date(), 50));
    const [request] = await Promise.all([
      suite.page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith(`/api/entitlements/${id}/status`)),
      suite.page.getByRole('button', { name: 'Save status' }).click(),
    ]);
    expect((request.postDataJSON() as Record<string, unknown>).projectedUnblockDate).toBeNull();
    await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).waitFor();
    const saved = await getEntitlement(suite.services.tracker, SYSTEM_ACTOR, id);
    expect([saved.l1, saved.l2, saved.projectedUnblockDate]).toEqual(['In Progress', 'Migration', null]);
    // A later edit hides "Saved.", and a rule error never shows next to it.
    await suite.page.getByLabel('Target date').fill('');
    expect(await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).count()).toBe(0);
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await suite.page.getByText(/Fix \d+ problem\(s\) before saving/).waitFor();
    expect(await suite.page.getByRole('status').filter({ hasText: /^Saved\./ }).count()).toBe(0);
  });

  it('filters the portfolio, keeps the filter in the URL and exports the same list as CSV', async () => {
    await go('#/portfolio');
    await suite.page.getByText(/entitlement\(s\)$/).waitFor();
    await expectAccessible('portfolio');
    await suite.page.getByLabel('L1', { exact: true }).selectOption('Blocked');
    await suite.page.waitForURL(/l1=Blocked/);
    const count = suite.page.locator('.result-count');
    await expect.poll(async () => count.innerText()).toMatch(/^\d+ entitlement\(s\)$/);
    await expect.poll(async () => (await suite.page.getByRole('row').count()) - 1).toBe(Number((await count.innerText()).split(' ')[0]));
    const statuses = await suite.page.locator('.vbody [role=row] [role=cell]:nth-child(4)').allInnerTexts();
    expect(statuses.length).toBeGreaterThan(0);
    for (const status of statuses) expect(status).toContain('Blocked');

    await suite.page.reload();
    await suite.page.getByLabel('L1', { exact: true }).waitFor();
    await expect.poll(() => suite.page.getByLabel('L1', { exact: true }).inputValue()).toBe('Blocked');

    await suite.page.getByRole('button', { name: 'Customer', exact: true }).click();
    await suite.page.waitForURL(/sort=customer/);
    const exportUrl = new URL((await suite.page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')) ?? '', suite.url);
    expect([exportUrl.searchParams.get('l1'), exportUrl.searchParams.get('sort'), exportUrl.searchParams.get('order')]).toEqual(['Blocked', 'customer', 'asc']);
    const [download] = await Promise.all([suite.page.waitForEvent('download'), suite.page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(csv.length - 1).toBe(statuses.length);
    for (const line of csv.slice(1)) expect(line).toContain('Blocked');

    await suite.page.getByRole('button', { name: 'Board by L1' }).click();
    await suite.page.getByRole('heading', { name: /^Blocked/ }).waitFor();
    await expectAccessible('portfolio board');
  });

  it('drops invalid filters from the address with a notice, and shows no stale rows under an error', async () => {
    await go('#/portfolio?l1=Blocked&minDays=0');
    const count = suite.page.locator('.result-count');
    await expect.poll(async () => count.innerText()).toMatch(/^\d+ entitlement\(s\)$/);
    expect(await suite.page.locator('.vbody [role=row]').count()).toBeGreaterThan(0);

    await go('#/portfolio?l1=Bogus&minDays=abc&workload=teams');
    const notice = suite.page.locator('.url-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('L1 "Bogus" (not an L1 of the playbook)');
    expect(await notice.innerText()).toContain('Min days "abc"');
    await suite.page.waitForURL((url) => !url.hash.includes('Bogus') && !url.hash.includes('minDays') && url.hash.includes('workload=teams'));
    await expect.poll(async () => count.innerText()).toMatch(/^\d+ entitlement\(s\)$/);
    expect(await suite.page.locator('.state-error').count()).toBe(0);
    expect(await suite.page.getByLabel('L1', { exact: true }).inputValue()).toBe('');
    expect(await suite.page.getByLabel('Min days').inputValue()).toBe('');
    const rows = Number((await count.innerText()).split(' ')[0]);
    await expect.poll(async () => suite.page.locator('.vbody [role=row] [role=cell]:nth-child(3)').allInnerTexts()).toEqual(Array(rows).fill('Teams'));

    const isEntitlementList = (url: URL) => url.pathname === '/api/entitlements';
    // The server refuses the next list: the error shows, the old rows go and the result line stops loading.
    await suite.page.route(isEntitlementList, (route) =>
      route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'The filter was refused.', details: null } }) }),
    );
    try {
      await suite.page.getByLabel('L1', { exact: true }).selectOption('In Progress');
      await suite.page.getByRole('alert').filter({ hasText: 'The filter was refused.' }).waitFor();
      expect(await suite.page.locator('.vbody [role=row]').count()).toBe(0);
      expect(await count.innerText()).not.toMatch(/Loading/);
    } finally {
      await suite.page.unroute(isEntitlementList);
    }
    await suite.page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(async () => count.innerText()).toMatch(/^\d+ entitlement\(s\)$/);
  });

  it('changes statuses in bulk with the same rules as the API', async () => {
    await go('#/portfolio?q=Harbour');
    await suite.page.getByText(/entitlement\(s\)$/).waitFor();
    const boxes = suite.page.locator('.vbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await suite.page.getByRole('button', { name: 'Change status of 2 selected' }).click();
    const panel = suite.page.locator('form.bulk-panel');
    await panel.getByLabel('L1 status').selectOption('Blocked');
    await panel.getByLabel('L2 reason').selectOption('Partner Engagement');
    await panel.getByLabel('Status note').fill('Blocked');
    await panel.getByRole('button', { name: /Apply to 2/ }).click();
    await panel.getByText(/Blocked needs a note that explains the blocker/).waitFor();
    await panel.getByLabel('Status note').fill('The rollout partner lost its two certified engineers, so work pauses until the new contract is signed.');
    await panel.getByLabel('Projected unblock date').fill(addDays(new Date(), 14));
    await panel.getByRole('button', { name: /Apply to 2/ }).click();
    await suite.page.getByText(/Updated 2 entitlement\(s\) to Blocked \/ Partner Engagement/).waitFor();
  });

  it('keeps each entitlement\'s own note, owner and next action in a bulk status change', async () => {
    const tracker = suite.services.tracker;
    const rows = (await listEntitlements(tracker, SYSTEM_ACTOR, { customerId: suite.world.customers.lindqvist, pageSize: 100 })).items.filter((e) => e.workload === 'teams' || e.workload === 'defender');
    expect(rows.length).toBe(2);
    const own = new Map<number, { note: string; owner: string; nextAction: string }>();
    for (const row of rows) {
      const mine = { note: `${row.workloadName}: the clinics want a pilot after the summer, led by their own IT lead and the partner.`, owner: `Owner of ${row.workloadName}`, nextAction: `Call about ${row.workloadName}` };
      const current = await getEntitlement(tracker, SYSTEM_ACTOR, row.id);
      await updateStatus(tracker, suite.world.editorActor, row.id, current.version, { l1: 'In Progress', l2: 'Technical Onboarding and Deployment', targetDate: addDays(new Date(), 70), ...mine });
      own.set(row.id, mine);
    }
    await go('#/portfolio?q=Lindqvist');
    await suite.page.getByText(/entitlement\(s\)$/).waitFor();
    for (const row of rows) await suite.page.getByRole('checkbox', { name: `Select Lindqvist Dental Group ${row.workloadName}` }).check();
    await suite.page.getByRole('button', { name: 'Change status of 2 selected' }).click();
    const panel = suite.page.locator('form.bulk-panel');
    await panel.getByLabel('L1 status').selectOption('In Progress');
    await panel.getByLabel('L2 reason').selectOption('Migration');
    await panel.getByLabel('Target date').fill(addDays(new Date(), 30));
    const [request] = await Promise.all([
      suite.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/entitlements/bulk-status')),
      panel.getByRole('button', { name: /Apply to 2/ }).click(),
    ]);
    // Only what the panel set is sent; the API keeps omitted fields (null would clear them).
    for (const item of (request.postDataJSON() as { items: Record<string, unknown>[] }).items) {
      expect(Object.keys(item).sort()).toEqual(['id', 'l1', 'l2', 'targetDate', 'version']);
    }
    await suite.page.getByText(/Updated 2 entitlement\(s\) to In Progress \/ Migration/).waitFor();
    for (const row of rows) {
      const after = await getEntitlement(tracker, SYSTEM_ACTOR, row.id);
      expect({ l1: after.l1, l2: after.l2, targetDate: after.targetDate, note: after.note, owner: after.owner, nextAction: after.nextAction }).toEqual({
        l1: 'In Progress',
        l2: 'Migration',
        targetDate: addDays(new Date(), 30),
        ...own.get(row.id),
      });
    }
  });

  it('shows the customer with its workloads and split parts', async () => {
    await go(`#/customers/${suite.world.customers.harbour}`);
    await suite.page.getByText('split in 2 parts').waitFor();
    await suite.page.getByText('Nordic subsidiary').waitFor();
    await expectAccessible('customer');
  });

  it('opens each report with its chart and downloads its data, the whole chart as SVG and PNG', async () => {
    await go('#/reports');
    const tabs = await suite.page.getByRole('navigation', { name: 'Reports' }).getByRole('link').allInnerTexts();
    expect(tabs.length).toBe(5);
    for (const tab of tabs) {
      await suite.page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: tab }).click();
      await suite.page.getByRole('heading', { name: tab, level: 2 }).waitFor();
      // The seed has data for every report, so each one draws a chart.
      await suite.page.locator('[data-testid=report-chart] svg.recharts-surface').first().waitFor();
      expect(await suite.page.locator('.state-error').count(), `${tab} shows an error`).toBe(0);
      await expectAccessible(`report ${tab}`);

      const [csv] = await Promise.all([suite.page.waitForEvent('download'), suite.page.getByRole('button', { name: 'Download CSV' }).click()]);
      const csvLines = readFileSync(await csv.path(), 'utf8').split(/\r?\n/);
      expect(csvLines.length, `${tab} CSV`).toBeGreaterThan(2);
      if (tab === 'Unblock forecast') {
        // The counts shown above the chart are in the CSV too, after the weeks, in the same columns.
        const facts = await suite.page.locator('.report-facts').innerText();
        const total = Number(/(\d+) blocked in all/.exec(facts)?.[1]);
        const overdue = Number(/(\d+) overdue/.exec(facts)?.[1]);
        const expectedOverdue = Number(/(\d+) past the date/.exec(facts)?.[1]);
        const [beyondProjected, beyondExpected] = (/beyond the window: (\d+) projected, (\d+) from history/.exec(facts) ?? []).slice(1).map(Number);
        expect(csvLines[0]).toBe('week,projected date,history of the reason');
        expect(csvLines).toContain(`overdue,${overdue},${expectedOverdue}`);
        expect(csvLines).toContain(`beyond the window,${beyondProjected},${beyondExpected}`);
        expect(csvLines).toContain(`total blocked,${total},${total}`);
        for (const line of csvLines.filter(Boolean)) expect(line.split(',').length, line).toBe(3);
      }
      const [svgFile] = await Promise.all([suite.page.waitForEvent('download'), suite.page.getByRole('button', { name: 'Download SVG' }).click()]);
      const svg = readFileSync(await svgFile.path(), 'utf8');
      expect(svg, `${tab} SVG`).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg, `${tab} SVG is not a legend icon`).not.toMatch(/^<svg[^>]*legend icon/);
      expect(svg, `${tab} SVG has the bars`).toContain('recharts-bar-rectangle');
      const size = readSvgSize(svg);
      const shown = await suite.page.locator('[data-testid=report-chart] .recharts-wrapper > svg.recharts-surface').boundingBox();
      expect(size.width, `${tab} SVG width`).toBe(Math.round(shown?.width ?? 0));
      expect(size.height, `${tab} SVG height`).toBeGreaterThanOrEqual(Math.round(shown?.height ?? 0));
      expect(size.width, `${tab} SVG width`).toBeGreaterThan(300);
      expect(size.height, `${tab} SVG height`).toBeGreaterThan(200);
      // A chart with a legend keeps it, drawn below the plot.
      const legend = await suite.page.locator('[data-testid=report-chart] .recharts-legend-item-text').allInnerTexts();
      for (const label of legend) expect(svg, `${tab} SVG legend`).toContain(`>${label.replace(/&/g, '&amp;')}</text>`);

      const [pngFile] = await Promise.all([suite.page.waitForEvent('download'), suite.page.getByRole('button', { name: 'Download PNG' }).click()]);
      expect(readPngSize(readFileSync(await pngFile.path())), `${tab} PNG size`).toEqual({ width: size.width * 2, height: size.height * 2 });
    }
  });

  it('drops an unknown report from the address with a notice', async () => {
    await suite.page.goto(`${suite.url}/#/reports?report=owners&weeks=8`);
    const notice = suite.page.locator('.url-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('report "owners"');
    await suite.page.waitForURL((url) => !url.hash.includes('owners') && url.hash.includes('weeks=8'));
    await suite.page.getByRole('heading', { name: 'Blockers by reason', level: 2 }).waitFor();
    await suite.page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Ageing' }).click();
    await suite.page.getByRole('heading', { name: 'Ageing', level: 2 }).waitFor();
    expect(await suite.page.locator('.url-notice').count()).toBe(0);
  });

  it('browses the playbook', async () => {
    await go('#/playbook');
    await suite.page.getByRole('heading', { name: 'Blocked / Legal/Regulatory' }).waitFor();
    await expectAccessible('playbook');
  });

  it('signs out, and shows a viewer the same data without edit controls', async () => {
    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.getByLabel('Email').fill(suite.world.viewer.email);
    await suite.page.getByLabel('Password').fill(suite.world.viewer.password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    const menu = suite.page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Portfolio' }).waitFor();
    expect(await menu.getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Reports', 'Playbook']);
    await go(`#/entitlements/${suite.world.entitlements.blocked}`);
    await suite.page.getByText('Your role can read this status but not change it.').waitFor();
    expect(await suite.page.getByRole('button', { name: 'Save status' }).count()).toBe(0);
    expect(await suite.page.getByLabel('Status note').isDisabled()).toBe(true);
    await go('#/portfolio');
    await suite.page.locator('.vbody [role=row]').first().waitFor();
    expect(await suite.page.locator('.vbody input[type=checkbox]').count()).toBe(0);
  });

  it('shows an editor the Reports menu, as the API lets every role read reports', async () => {
    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.getByLabel('Email').fill(suite.world.editor.email);
    await suite.page.getByLabel('Password').fill(suite.world.editor.password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    const menu = suite.page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Portfolio' }).waitFor();
    expect(await menu.getByRole('link').allInnerTexts()).toEqual(['Triage', 'Portfolio', 'Import', 'Reports', 'Playbook']);
    await menu.getByRole('link', { name: 'Reports' }).click();
    await suite.page.locator('[data-testid=report-chart] svg.recharts-surface').first().waitFor();
  });

  it('printed no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
