/**
 * The role shown follows the role the server holds (web QA session 18, second pass).
 *
 * - A manager raised a viewer to editor while the viewer had an entitlement open: the header still
 *   said "viewer" and the form stayed read-only until a reload. The app now reads the user again when
 *   the tab becomes visible or gets the focus back (at most once per 30 s, one read at a time).
 * - A manager lowered an editor to viewer while the editor's form held typed values: the form turned
 *   read-only and kept them, but nothing said they had not been stored. The page now says so, and why.
 */
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, updateUser } from '../../src/tracker/index.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

const vic = { email: 'vic.aalto@tidewater.test', name: 'Vic Aalto', password: 'vic-own-choice-18' };
const ren = { email: 'ren.moss@tidewater.test', name: 'Ren Moss', password: 'ren-own-choice-18b' };

describeInBrowser('web QA session 18 (role changes) in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401, 403] });
  const { consoleErrors } = suite;
  let vicId = 0;
  let renId = 0;

  beforeAll(async () => {
    vicId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...vic, role: 'viewer', partnerId: suite.world.partnerId })).id;
    renId = (await createUser(suite.services.tracker, SYSTEM_ACTOR, { ...ren, role: 'editor', partnerId: suite.world.partnerId })).id;
  });

  /** The tab comes back: hidden then visible again, and the window focused (as a user switching back). */
  const returnToTab = () =>
    suite.page.evaluate("document.dispatchEvent(new Event('visibilitychange')); window.dispatchEvent(new Event('focus'));");

  it('shows a role raised meanwhile, with its controls, once the user returns to the tab', async () => {
    await suite.signInFresh(vic);
    const header = suite.page.locator('header');
    expect(await header.locator('.badge').innerText()).toBe('viewer');
    await suite.go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByText('Your role can read this status but not change it.').waitFor();
    expect(await suite.page.getByRole('button', { name: 'Save status' }).count()).toBe(0);

    const meReads: string[] = [];
    suite.page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/me') meReads.push(request.url());
    });
    // A manager makes Vic an editor; Vic comes back to the tab.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, vicId, { role: 'editor' });
    await returnToTab();
    await expect.poll(() => header.locator('.badge').innerText()).toBe('editor');
    expect(await header.innerText()).not.toContain('read-only');
    await suite.page.getByRole('button', { name: 'Save status' }).waitFor();
    expect(await suite.page.getByLabel('Owner').isDisabled()).toBe(false);
    // Both signals of one return made one read.
    expect(meReads).toHaveLength(1);

    // Another return within 30 s reads nothing.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, vicId, { role: 'viewer' });
    await returnToTab();
    await suite.page.waitForTimeout(500);
    expect(meReads).toHaveLength(1);
    expect(await header.locator('.badge').innerText()).toBe('editor');
  });

  it('says that the typed values were not saved when the role is lowered under a form', async () => {
    await suite.signInFresh(ren);
    await suite.go(`#/entitlements/${suite.world.entitlements.ruleTarget}`);
    await suite.page.getByLabel('Owner').fill('Ren, typed before the change of role');
    // A manager makes Ren a viewer meanwhile; the save is refused for it.
    await updateUser(suite.services.tracker, SYSTEM_ACTOR, renId, { role: 'viewer' });
    await suite.page.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(() => suite.page.locator('header .badge').innerText()).toBe('viewer');
    expect(await suite.page.getByLabel('Owner').isDisabled()).toBe(true);
    expect(await suite.page.getByLabel('Owner').inputValue()).toBe('Ren, typed before the change of role');
    const notice = suite.page.locator('#status-role-lost');
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toMatch(/not saved/i);
    expect(text).toContain('viewer');
    expect(text).toContain('Owner');
    expect(text).toMatch(/copy/i);
    expect(consoleErrors).toEqual([]);
  });
});
