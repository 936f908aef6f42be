/**
 * Web app benchmark (figures printed, not asserted), against the real server in-process on loopback
 * and Debian's chromium:
 *  - portfolio with 10,000 entitlements: time to interactive (navigation start to the first rows on
 *    screen, usable while the rest streams in), time until every row is loaded, and the worst frame
 *    while scrolling the virtualised table end to end;
 *  - triage suggestion latency: from the end of the typing pause to the suggestion on screen, and
 *    from the last keystroke (which includes the 250 ms pause);
 *  - bundle size of web/dist (raw and gzip; what the first page loads versus lazy chunks).
 *
 *   npm run build && node dist/scripts/bench-web.js [entitlements=10000] [runs=5]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, WEB_DIST, findBrowserSkipReason, startE2eServer } from '../test/e2e/support/server.js';

const ENTITLEMENTS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 5);

const TRIAGE_NOTES = [
  'The customer wants Teams but the warehouse proxy drops media traffic, so calls fail until the network team opens the ports.',
  'Mailboxes move in three waves; finance is done and sales follows next month.',
  'Their lawyers say patient data may not leave the country, so OneDrive waits for local hosting.',
  'They renewed a three-year contract with another vendor and will not switch before it ends.',
  'No answer after three emails and two calls to the IT lead over four weeks; the account is unmanaged.',
  'The IT team has no one free to run the rollout until two new administrators join in spring.',
  'Staff have not been trained and the champions programme has not started, so the business is not ready.',
  'The line-of-business add-in for invoices does not load in the new Outlook, so finance cannot move.',
];

function summarise(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms (n=${values.length})`;
}

function reportBundle(): void {
  const assets = join(WEB_DIST, 'assets');
  const index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const rows = readdirSync(assets).map((file) => {
    const content = readFileSync(join(assets, file));
    return { file, raw: statSync(join(assets, file)).size, gzip: gzipSync(content).length, initial: index.includes(file) };
  });
  const sum = (list: typeof rows, key: 'raw' | 'gzip') => list.reduce((s, r) => s + r[key], 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const initial = rows.filter((r) => r.initial);
  process.stdout.write(`\nBundle (web/dist/assets, ${rows.length} files)\n`);
  process.stdout.write(`  total: ${kb(sum(rows, 'raw'))} raw, ${kb(sum(rows, 'gzip'))} gzip\n`);
  process.stdout.write(`  loaded by index.html: ${kb(sum(initial, 'raw'))} raw, ${kb(sum(initial, 'gzip'))} gzip (${initial.map((r) => r.file).join(', ')})\n`);
  for (const r of [...rows].sort((a, b) => b.raw - a.raw).slice(0, 6)) process.stdout.write(`  ${r.file.padEnd(36)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip\n`);
}

async function measurePortfolio(page: Page, url: string, expected: number): Promise<{ tti: number[]; complete: number[]; worstFrame: number[] }> {
  const tti: number[] = [];
  const complete: number[] = [];
  const worstFrame: number[] = [];
  const countText = new RegExp(`^${expected.toLocaleString('en-US')} entitlement`);
  for (let run = 0; run < RUNS; run++) {
    await page.goto('about:blank');
    await page.goto(`${url}/#/portfolio?run=${run}`);
    // Interactive: the first rows are on screen and can be opened, selected and sorted while the rest streams in.
    const firstRow = (await page.evaluate(`new Promise((resolve) => {
      const check = () => (document.querySelector('.vbody [role=row] a') ? resolve(performance.now()) : requestAnimationFrame(check));
      check();
    })`)) as number;
    tti.push(firstRow);
    await page.locator('.result-count', { hasText: countText }).waitFor({ timeout: 60_000 });
    complete.push((await page.evaluate('performance.now()')) as number);
    // Scroll the table from top to bottom in 40 steps, one per frame, and keep the longest frame.
    const worst = (await page.evaluate(`new Promise((resolve) => {
      const body = document.querySelector('.vbody');
      let step = 0, last = performance.now(), worst = 0;
      const tick = () => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
        body.scrollTop = (body.scrollHeight * step) / 40;
        if (++step > 40) resolve(worst); else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })`)) as number;
    worstFrame.push(worst);
  }
  return { tti, complete, worstFrame };
}

async function measureTriage(page: Page, url: string): Promise<{ afterPause: number[]; afterKeystroke: number[] }> {
  const afterPause: number[] = [];
  const afterKeystroke: number[] = [];
  await page.goto(`${url}/#/triage`);
  const box = page.getByLabel('Type or paste the status note');
  const latency = page.getByTestId('latency');
  for (let run = 0; run < RUNS; run++) {
    for (const [index, note] of TRIAGE_NOTES.entries()) {
      const marker = `[${run}.${index}]`;
      const text = `${note} ${marker}`;
      await box.fill(text.slice(0, -1));
      const started = Date.now();
      await box.press(text.slice(-1));
      await page.locator('.highlighted-note', { hasText: marker }).waitFor();
      afterKeystroke.push(Date.now() - started);
      afterPause.push(Number(await latency.getAttribute('data-latency-ms')));
    }
  }
  return { afterPause, afterKeystroke };
}

async function main(): Promise<void> {
  const skip = findBrowserSkipReason();
  if (skip) {
    process.stderr.write(`bench-web: cannot run: ${skip}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`bench-web: seeding ${ENTITLEMENTS} extra entitlements on SQLite...\n`);
  const seedStart = Date.now();
  const server = await startE2eServer({ extraEntitlements: ENTITLEMENTS });
  process.stdout.write(`  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.world.manager.email);
    await page.getByLabel('Password').fill(server.world.manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    const visible = ENTITLEMENTS + 10; // the test world's own entitlements come on top
    const portfolio = await measurePortfolio(page, server.url, visible);
    process.stdout.write(`\nPortfolio with ${visible.toLocaleString('en-US')} entitlements (Chromium, loopback, ${RUNS} cold loads)\n`);
    process.stdout.write(`  time to interactive (first rows usable, from navigation start): ${summarise(portfolio.tti)}\n`);
    process.stdout.write(`  every row loaded and sortable in the browser: ${summarise(portfolio.complete)}\n`);
    process.stdout.write(`  worst frame while scrolling end to end: ${summarise(portfolio.worstFrame)}\n`);

    const triage = await measureTriage(page, server.url);
    process.stdout.write(`\nTriage suggestion (classify + grade + render), ${TRIAGE_NOTES.length} notes x ${RUNS}\n`);
    process.stdout.write(`  after the typing pause is detected: ${summarise(triage.afterPause)}\n`);
    process.stdout.write(`  after the last keystroke (includes the 250 ms pause): ${summarise(triage.afterKeystroke)}\n`);
    reportBundle();
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-web: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
