/** Page steps every browser test shares. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Fails with every serious or critical axe violation on the page, each prefixed with `name`. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Opens `hash` of the app at `baseUrl` and waits for the page's heading. */
export async function openPage(page: Page, baseUrl: string, hash: string): Promise<void> {
  await page.goto(`${baseUrl}/${hash}`);
  await page.locator('main h1').first().waitFor();
}
