/**
 * The Content-Security-Policy in Chromium: the built web app (signed in, with charts) and the Swagger
 * UI page load and work with no CSP violation and no console error. Skips like web.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describeInBrowser('security headers in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [401], timeout: 15_000 });
  const problems: string[] = [];

  beforeAll(async () => {
    suite.page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text) || (message.type() === 'error' && !/status of 401/.test(text))) problems.push(`${message.type()}: ${text}`);
    });
    suite.page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await suite.page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));" });
  });

  it('serves the web app under the CSP: sign in and open the reports with charts', async () => {
    const response = await suite.page.goto(suite.url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    await suite.page.getByLabel('Email').fill(suite.world.manager.email);
    await suite.page.getByLabel('Password').fill(suite.world.manager.password);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    const menu = suite.page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Reports' }).click();
    await suite.page.locator('main h1').first().waitFor();
    await suite.page.locator('.recharts-surface').first().waitFor();
    await menu.getByRole('link', { name: 'Portfolio' }).click();
    await suite.page.locator('main h1').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('serves the Swagger UI under the CSP', async () => {
    const response = await suite.page.goto(`${suite.url}/api/docs/`);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    await suite.page.locator('.opblock').first().waitFor();
    expect(await suite.page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
