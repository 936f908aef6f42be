/**
 * The Import page lists the note coach's warnings after a successful import: the rows went in, and the
 * weak or mis-coded notes are named by line so they can be fixed (real classifier and note coach).
 */
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR, listEntitlements } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('import warnings in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [] });
  const { consoleErrors, expectAccessible, signIn } = suite;

  it('imports the rows and names the weak note by its line', async () => {
    const { manager } = suite.world;
    await signIn(manager);
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await suite.page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();

    const good = 'Intune enrolment starts with the warehouse scanners; the pilot group of forty devices is enrolled next week.';
    // (Status Unknown asks nothing of the note, so the weak one is imported and only warned about.)
    const csv = ['tenant_id,workload,code,note', `harbour-logistics.example,intune,,${good}`, 'harbour-logistics.example,teams,status-unknown/new-subscription-or-workload,See email.'].join('\n');
    await suite.page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const answer = suite.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/import/entitlements');
    await suite.page.getByRole('button', { name: 'Import', exact: true }).click();
    const body = (await (await answer).json()) as { warnings: { line: number; code: string; message: string }[]; warningCount: number };
    const result = suite.page.getByRole('region', { name: 'Imported notes.csv' });
    await result.waitFor();
    expect(await result.locator('dl').innerText()).toMatch(/Entitlements updated\s+2/);

    const warnings = result.getByRole('table', { name: /Notes worth a second look/ });
    const rows = await warnings.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    // The short note on line 3 is weak; the table shows every warning the server gave, by line.
    expect(rows.filter((r) => r[1] === 'Weak note').map((r) => r[0])).toContain('3');
    const labels: Record<string, string> = { WEAK_NOTE: 'Weak note', NOTE_READS_AS_OTHER_CODE: 'Reads as another code' };
    expect(rows).toEqual(body.warnings.map((w) => [String(w.line), labels[w.code], w.message]));
    expect(await warnings.locator('caption').innerText()).toContain(`${body.warningCount} warning`);
    const stored = (await listEntitlements(suite.services.tracker, SYSTEM_ACTOR, { q: 'harbour-logistics.example', pageSize: 50 })).items;
    expect(stored.find((e) => e.workload === 'teams')!.note).toBe('See email.');
    await expectAccessible('import, warnings');
    expect(consoleErrors).toEqual([]);
  });
});
