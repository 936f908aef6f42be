/**
 * Triage on a playbook with an L1 of its own, in Chromium: the note coach's template for such an L1 is
 * the playbook's guidance (prose from its L1 page), shown as guidance without the "Use template" button
 * that pastes a built-in L1's shape into the note.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from './support/suite.js';
import { openPage } from './support/page.js';
import { startPlaybookSession, type PlaybookSession } from './support/playbook-server.js';
import { STATUS_NOTE_FREEZE, writeGuidancePlaybook } from '../guidance-playbook.js';

describeInBrowser("Triage's template on a playbook with an L1 of its own, in Chromium", () => {
  const pages = mkdtempSync(join(tmpdir(), 'e2e-guidance-pages-'));
  let session: PlaybookSession | undefined;

  beforeAll(async () => {
    writeGuidancePlaybook(pages, true);
    session = await startPlaybookSession(pages, { email: 'gil.guidance@rollout.test', password: 'guidance-pass-2026', name: 'Gil Guidance', role: 'editor', partner: 'Guidance Partners' });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(pages, { recursive: true, force: true });
  });

  it("shows the Paused page's guidance for a Paused note, with no button pasting it into the note", async () => {
    const { tab, url, consoleErrors } = session!;
    await openPage(tab, url, '#/triage');
    const note = 'Finance froze all new IT spending until the autumn budget review.';
    await tab.getByLabel('Type or paste the status note').fill(note);
    const template = tab.locator('.template');
    await expect.poll(() => template.innerText(), { timeout: 30_000 }).toContain("Your playbook's guidance for Paused notes:");
    expect(await template.innerText()).toContain(STATUS_NOTE_FREEZE);
    expect(await template.innerText()).toContain('Guidance for this code:');
    expect(await template.getByRole('button', { name: 'Use template' }).count()).toBe(0);
    // The note is left as typed.
    expect(await tab.getByLabel('Type or paste the status note').inputValue()).toBe(note);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
