/**
 * Reports in Chromium on a playbook with an L1 of its own that follows the Duplicate/Invalid rules
 * (Excluded, `rules: Duplicate/Invalid` on its page): the Ageing report's L1 list leaves it out as it
 * leaves Duplicate/Invalid out, and an address asking for it is corrected with a notice naming it.
 * Before, the page knew Duplicate/Invalid by its name only and offered Excluded, which the server refuses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ownInvalidPages } from '../own-invalid-taxonomy.js';
import { describeInBrowser } from './support/suite.js';
import { openPage } from './support/page.js';
import { startPlaybookSession, type PlaybookSession } from './support/playbook-server.js';

describeInBrowser('Reports on a playbook whose own L1 follows the Duplicate/Invalid rules, in Chromium', () => {
  let pagesDir = '';
  let session: PlaybookSession | undefined;
  let tab: Page;
  let url = '';

  beforeAll(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'reports-invalid-kind-'));
    for (const page of ownInvalidPages()) writeFileSync(join(pagesDir, page.file), page.text);
    session = await startPlaybookSession(pagesDir, { email: 'vera@harbor.test', password: 'viewer-pass-2026', name: 'Vera Viewer', role: 'viewer', partner: 'Harbor' });
    ({ tab, url } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });

  it('leaves Excluded out of the Ageing L1 list, and drops it from the address naming it', async () => {
    await openPage(tab, url, '#/reports?report=ageing');
    const l1 = tab.getByLabel('L1', { exact: true });
    await expect.poll(() => l1.locator('option').allInnerTexts()).toContain('Stalled');
    const options = await l1.locator('option').allInnerTexts();
    expect(options).not.toContain('Excluded');
    expect(options).not.toContain('Duplicate/Invalid');
    await openPage(tab, url, '#/playbook');
    await openPage(tab, url, '#/reports?report=ageing&l1=Excluded');
    const notice = tab.locator('.url-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('L1 "Excluded" (reports leave Excluded customers out');
    await tab.waitForURL((address) => !address.hash.includes('l1='));
    expect(session!.consoleErrors).toEqual([]);
  });
});
