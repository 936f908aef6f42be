/**
 * Reports in Chromium on a playbook with an L1 of its own that follows the Blocked rules (Stalled, its
 * L1 page says `rules: Blocked`): the default Ageing asks the server without `l1`, so Stalled is counted
 * beside Blocked, and is titled from the answer's `l1s`; an L1 chosen from the list is still asked for;
 * Blockers by reason counts Stalled's reasons too. Before, the page asked for `l1=Blocked` and found the
 * blocked L1 by its id only, leaving Stalled out of both.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR, createCustomer, listEntitlements } from '../../src/tracker/index.js';
import { describeInBrowser } from './support/suite.js';
import { expectAccessible, openPage } from './support/page.js';
import { startPlaybookSession, type PlaybookSession } from './support/playbook-server.js';

const root = join(import.meta.dirname, '..', '..');

describeInBrowser('Reports on a playbook whose own L1 follows the Blocked rules, in Chromium', () => {
  let pagesDir = '';
  let session: PlaybookSession | undefined;
  let tab: Page;
  let url = '';
  const ageingRequests: string[] = [];
  const facts = () => tab.locator('.report-facts').innerText();

  beforeAll(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'reports-blocked-kind-'));
    for (const f of readdirSync(join(root, 'playbooks')).filter((f) => f.endsWith('.md'))) copyFileSync(join(root, 'playbooks', f), join(pagesDir, f));
    const own = join(root, 'test', 'fixtures', 'own-l1');
    for (const f of readdirSync(own).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(own, f), 'utf8');
      writeFileSync(join(pagesDir, f), f === 'stalled.md' ? text.replace('title: Stalled\n', 'title: Stalled\nrules: Blocked\n') : text);
    }
    session = await startPlaybookSession(pagesDir, { email: 'vera@harbor.test', password: 'viewer-pass-2026', name: 'Vera Viewer', role: 'viewer', partner: 'Harbor' });
    ({ tab, url } = session);
    const tracker = session.services.tracker;
    const partnerId = (await tracker.db.kysely.selectFrom('partners').select('id').executeTakeFirstOrThrow()).id;
    const customer = await createCustomer(tracker, SYSTEM_ACTOR, { tenantId: 'harbor-one.example', name: 'Harbor One', partnerId, workloads: ['teams', 'intune', 'exchange-online'] });
    const [teams, intune] = (await listEntitlements(tracker, SYSTEM_ACTOR, { customerId: customer.id, sort: 'id' })).items;
    const set = (id: number, l1: string, l2: string, code: string) => tracker.db.kysely.updateTable('entitlements').set({ l1, l2, code }).where('id', '=', id).execute();
    await set(teams!.id, 'Blocked', 'Legal/Regulatory', 'blocked/legal-regulatory');
    await set(intune!.id, 'Stalled', 'Staffing Gap', 'stalled/staffing-gap');
    tab.on('request', (request) => {
      if (request.url().includes('/api/reports/ageing')) ageingRequests.push(request.url());
    });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });

  it('counts Blocked and Stalled in the default Ageing, asked without l1 and titled from l1s', async () => {
    ageingRequests.length = 0;
    await openPage(tab, url, '#/reports?report=ageing');
    await expect.poll(facts).toMatch(/^Blocked and Stalled, as of \d{4}-\d{2}-\d{2}: 2 entitlement\(s\)/);
    expect(ageingRequests.length).toBeGreaterThan(0);
    for (const r of ageingRequests) expect(new URL(r).searchParams.has('l1')).toBe(false);
    const l1 = tab.getByLabel('L1', { exact: true });
    expect(await l1.inputValue()).toBe('');
    expect(await l1.locator('option:checked').innerText()).toBe('Blocked and Stalled');
    const options = await l1.locator('option').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['Blocked', 'Stalled']));
    expect(options).not.toContain('Duplicate/Invalid');
    // Each reason under its own L1 in the legend.
    await expect.poll(() => tab.locator('.recharts-legend-item-text').allInnerTexts()).toEqual(['Legal/Regulatory', 'Stalled / Staffing Gap']);
    await expectAccessible(tab, 'ageing of two blocked L1s');
    expect(session!.consoleErrors).toEqual([]);
  });

  it('still asks for an L1 chosen from the list, and goes back to both with the first option', async () => {
    const l1 = tab.getByLabel('L1', { exact: true });
    ageingRequests.length = 0;
    await l1.selectOption('Stalled');
    await expect.poll(facts).toMatch(/^Stalled, as of \d{4}-\d{2}-\d{2}: 1 entitlement\(s\)/);
    expect(ageingRequests.map((r) => new URL(r).searchParams.get('l1'))).toContain('Stalled');
    await l1.selectOption('Blocked');
    await expect.poll(facts).toMatch(/^Blocked, as of \d{4}-\d{2}-\d{2}: 1 entitlement\(s\)/);
    await l1.selectOption({ label: 'Blocked and Stalled' });
    await expect.poll(facts).toMatch(/^Blocked and Stalled, as of/);
    expect(new URL(tab.url()).hash).toBe('#/reports?report=ageing');
  });

  it('counts the reasons of Stalled in Blockers by reason', async () => {
    await openPage(tab, url, '#/reports?report=blockers');
    await expect.poll(facts).toBe('2 blocked in total (Blocked and Stalled)');
    await tab.locator('.report details summary').click();
    const rows = await tab.locator('.report details table tbody tr').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim()).sort()).toEqual(['Legal/Regulatory 1', 'Stalled / Staffing Gap 1']);
    expect(session!.consoleErrors).toEqual([]);
  });
});
