/**
 * Refreshes docs/screenshots/*.png: every page of the web app at 1280x800, on the `npm start` demo data,
 * served by the real server in-process. Needs `npm run build` (web/dist and dist/) and Debian's chromium.
 * Names after `--` write only those images (every step still runs, as later ones build on earlier ones),
 * so adding a screenshot does not rewrite the others.
 *
 *   npm run build && npm run screenshots
 *   npm run screenshots -- import tokens
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { listEntitlements, SYSTEM_ACTOR } from '../src/tracker/index.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PACKAGE_ROOT, findBrowserSkipReason, startE2eServer } from '../test/e2e/support/server.js';
import { addDays } from '../test/e2e/support/seed.js';

const OUT_DIR = join(PACKAGE_ROOT, 'docs', 'screenshots');
/** The images asked for on the command line; empty for all of them. */
const ONLY = new Set(process.argv.slice(2));

async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (ONLY.size > 0 && !ONLY.has(name)) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`), fullPage: options.fullPage ?? false });
  process.stdout.write(`  docs/screenshots/${name}.png\n`);
}

/**
 * A small import file for the manager's partner with two bad rows (a target date in the past, a
 * workload that does not exist) among good ones, so the Import page shows its row report. Nothing is
 * imported: an import is all or nothing.
 */
function buildImportCsv(rows: { tenantId: string; workload: string }[]): string {
  const [first, second, third] = rows;
  if (!first || !second || !third) throw new Error('screenshots: the demo data has too few entitlements for the import file');
  const today = new Date();
  return [
    'tenant_id,workload,l1,l2,note,target_date',
    `${first.tenantId},${first.workload},In Progress,Migration,Mailboxes move in two waves; the second wave is booked for the end of the month.,${addDays(today, 30)}`,
    `${second.tenantId},${second.workload},In Progress,Technical Onboarding and Deployment,Devices enrol site by site; the head office went first.,${addDays(today, -5)}`,
    `${third.tenantId},teams-phone,In Progress,Migration,Numbers port after the contract with the old carrier ends.,${addDays(today, 45)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const skip = findBrowserSkipReason();
  if (skip) {
    process.stderr.write(`screenshots: cannot run: ${skip}\n`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  process.stdout.write('screenshots: seeding the demo data and starting the server...\n');
  const server = await startE2eServer({ demo: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const login = server.demoLogins.find((l) => l.role === 'manager') ?? { email: server.world.manager.email, password: server.world.manager.password };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const go = async (hash: string) => {
      await page.goto(`${server.url}/${hash}`);
      await page.locator('main h1').first().waitFor();
    };

    await page.goto(server.url);
    await page.getByLabel('Email').fill(login.email);
    await page.getByLabel('Password').fill(login.password);
    await shoot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    await go('#/triage');
    await page.getByLabel('Type or paste the status note').fill('Their security officer will not approve external sharing for now, although the tenant already has the sensitivity labels and DLP policies it would need.');
    await page.getByRole('group', { name: 'Candidates, best first' }).waitFor();
    await shoot(page, 'triage');

    await go('#/portfolio');
    await page.locator('.vbody [role=row]').first().waitFor();
    await shoot(page, 'portfolio');
    await go('#/portfolio?view=board&l1=');
    await page.locator('.board-card').first().waitFor();
    await shoot(page, 'portfolio-board');
    await go('#/portfolio?l1=Blocked&minDays=30');
    await page.locator('.vbody [role=row]').first().waitFor();
    await shoot(page, 'portfolio-filtered');

    const scope = { ...SYSTEM_ACTOR, role: 'admin' as const };
    const all = await listEntitlements(server.services.tracker, scope, { pageSize: 500, l1: 'Blocked', sort: 'since', order: 'asc' });
    const me = (await (await page.request.get(`${server.url}/api/me`)).json()) as { partnerId: number | null };
    const partnerOfLogin = me.partnerId ?? all.items[0]?.partnerId;
    const split = (await listEntitlements(server.services.tracker, scope, { pageSize: 500 })).items.find((e) => e.part !== '' && e.partnerId === partnerOfLogin);
    const customerId = split?.customerId ?? all.items[0]?.customerId ?? server.world.customers.harbour;
    await go(`#/customers/${customerId}`);
    await page.locator('table.data-table').waitFor();
    await shoot(page, 'customer');

    const blocked = all.items.find((e) => e.partnerId === partnerOfLogin) ?? all.items[0];
    if (blocked) {
      await go(`#/entitlements/${blocked.id}`);
      await page.getByRole('list', { name: 'Status history, newest first' }).waitFor();
      await shoot(page, 'entitlement');
      await page.getByLabel('L1 status').selectOption('In Progress');
      await page.getByLabel('L2 reason').selectOption('Migration');
      await page.getByLabel('Target date').fill(addDays(new Date(), -2));
      await page.getByRole('button', { name: 'Save status' }).click();
      await page.getByText('The target date must be in the future', { exact: false }).waitFor();
      await page.locator('.note-coach').waitFor();
      await page.evaluate('window.scrollTo(0, 0)');
      await shoot(page, 'entitlement-rules');
    }

    for (const report of ['blockers', 'ageing', 'forecast', 'quality', 'flow']) {
      await go(`#/reports?report=${report}`);
      await page.locator('[data-testid=report-chart] svg, .state-empty, .state-error').first().waitFor();
      await shoot(page, `report-${report}`);
    }

    await go('#/playbook');
    await page.locator('.code-card').first().waitFor();
    await shoot(page, 'playbook');

    // Import: a file with bad rows, refused with its row report (a success shows only counts).
    const ofLogin = (await listEntitlements(server.services.tracker, scope, { pageSize: 500, sort: 'customer' })).items.filter((e) => e.partnerId === partnerOfLogin && e.part === '');
    const distinctCustomers = [...new Map(ofLogin.map((e) => [e.customerId, e])).values()];
    await go('#/import');
    await page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({ name: 'statuses-week-48.csv', mimeType: 'text/csv', buffer: Buffer.from(buildImportCsv(distinctCustomers), 'utf8') });
    await page.getByRole('table', { name: 'The first rows of the file' }).waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('table', { name: 'Problems by row' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot(page, 'import', { fullPage: true });

    // API tokens as an admin: one for themself, then one for a manager, whose secret shows once.
    const adminLogin = server.demoLogins.find((l) => l.role === 'admin');
    if (adminLogin) {
      const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const adminPage = await adminContext.newPage();
      adminPage.setDefaultTimeout(20_000);
      await adminPage.goto(server.url);
      await adminPage.getByLabel('Email').fill(adminLogin.email);
      await adminPage.getByLabel('Password').fill(adminLogin.password);
      await adminPage.getByRole('button', { name: 'Sign in' }).click();
      await adminPage.getByRole('navigation', { name: 'Main' }).waitFor();
      await adminPage.goto(`${server.url}/#/tokens`);
      const form = adminPage.getByRole('form', { name: 'Create a token' });
      await form.getByLabel('Name').fill('weekly report export');
      await form.getByRole('button', { name: 'Create token' }).click();
      await adminPage.getByRole('button', { name: 'Done' }).click();
      const users = (await (await adminPage.request.get(`${server.url}/api/users`)).json()) as { items: { id: number; email: string }[] };
      const manager = users.items.find((u) => u.email === login.email);
      if (manager) await form.getByLabel('For user').selectOption(String(manager.id));
      await form.getByLabel('Name').fill('CRM sync');
      await form.getByLabel('Expires after').selectOption({ label: '30 days' });
      await form.getByRole('button', { name: 'Create token' }).click();
      await adminPage.getByRole('region', { name: /^New token “CRM sync”/ }).waitFor();
      await adminPage.getByRole('row').filter({ hasText: 'CRM sync' }).waitFor();
      await adminPage.evaluate('window.scrollTo(0, 0)');
      await shoot(adminPage, 'tokens', { fullPage: true });
      await adminContext.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
