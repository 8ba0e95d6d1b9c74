// The HTML pages in a real browser: headless Chromium with no network, a clean console, the numbers in the DOM.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/io.js';
import { writeHistoryLog, YEAR } from '../helpers/history-log.js';

const CHROMIUM = '/usr/bin/chromium';
const BIN = fileURLToPath(new URL('../../bin/buddyinfo.js', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Any name resolves to nothing: a page that tried the network would fail to load it.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

const absent = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (Debian package chromium; .ci/run installs it with apt-get)`;
if (absent !== undefined) process.stdout.write(`pages.test.ts: skipping: ${absent}\n`);
const title = (what: string): string => (absent === undefined ? what : `${what} (skipped: ${absent})`);

let dir = '';
let context: BrowserContext | undefined;

/** Runs the built CLI, as a user would, to write a page. */
function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: FIXTURES });
  if (r.status !== 0 && r.status !== 1) throw new Error(`buddyinfo ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
}

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

/** Opens a page, records console errors and every request, and waits for its charts. */
async function open(file: string, charts: number): Promise<Opened> {
  if (context === undefined) throw new Error('no browser');
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  if (charts > 0) await page.waitForFunction((n) => document.querySelectorAll('.uplot canvas').length >= n, charts);
  return { page, errors, requests };
}

/** A full-page screenshot: a PNG of sane size. */
async function screenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: true, path: join(dir, `${name}.png`) });
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.length).toBeGreaterThan(20_000);
  expect(png.length).toBeLessThan(30_000_000);
}

/** What the page loaded: itself and nothing else. */
function onlyItself(o: Opened, file: string): void {
  expect(o.requests).toEqual([pathToFileURL(file).href]);
  expect(o.errors).toEqual([]);
}

/** Moves the mouse over a chart at a fraction of its plotting area's width, halfway down. */
async function hover(page: Page, chart: number, fraction: number): Promise<void> {
  const over = page.locator('.u-over').nth(chart);
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  if (box === null) throw new Error('no plotting area');
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2, { steps: 4 });
}

describe.skipIf(absent !== undefined)('pages in headless Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'buddyinfo-pages-'));
    cli(['--format', 'html', '--force', '--output', join(dir, 'capture.html'), 'buddyinfo-procfs-x86_64.txt', 'proc-x86_64-6.18/zoneinfo', 'proc-x86_64-6.18/version']);
    cli(['--format', 'html', '--output', join(dir, 'two-node.html'), 'buddyinfo-two-node.txt']);
    cli(['report', '--format', 'html', '--output', join(dir, 'report.html'), 'reports/2.6.32-gfp-kernel-legacy-loop.txt']);
    cli(['check', '--order', '3', '--format', 'html', '--output', join(dir, 'check.html'), '--proc', 'proc-x86_64-6.18']);
    await writeHistoryLog(join(dir, 'year.log'));
    cli(['history', '--order', '7', '--format', 'html', '--output', join(dir, 'year.html'), join(dir, 'year.log')]);
    // Three days with the watermarks of a two-node 4.4 box: the replayed check's strip.
    await writeHistoryLog(join(dir, 'days.log'), { ...YEAR, minutes: 3 * 1440, gap: [2000, 2060] });
    cli(['history', '--order', '7', '--format', 'html', '--output', join(dir, 'days.html'), join(dir, 'days.log'), 'zoneinfo-x86_64-4.4-two-node.txt']);
    rmSync(join(dir, 'year.log'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, args: ARGS, headless: true, offline: true });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it(title('a capture: three zones, their verdicts, and a chart that reads its numbers from the JSON'), async () => {
    const file = join(dir, 'capture.html');
    const o = await open(file, 3);
    const { page } = o;
    expect(await page.locator('h2').allTextContents()).toEqual(['Node 0, zone DMA', 'Node 0, zone DMA32', 'Node 0, zone Normal']);
    const dma32 = page.locator('section#zone-1');
    // 772,808 free > 13,416 + 768; largest free block order 6: orders 0 to 6 pass.
    await expect(dma32.textContent()).resolves.toContain('Orders 0 to 6 pass the min mark for a GFP_KERNEL request; order 7 and larger fail.');
    expect(await page.locator('.uplot').count()).toBe(3);
    expect(await page.locator('.nojs').first().isVisible()).toBe(false);
    // Order 3 of DMA32 under the cursor: the x range is -0.6 to 10.6, so order 3 is at 3.6 / 11.2 of the
    // width; its bar is 475 blocks of 32 KiB = 15,200 KiB = 14.8 MiB, and blocks of order 3 or larger
    // hold (475 * 8 + 194 * 16 + 45 * 32 + 12 * 64) pages * 4 KiB = 35.6 MiB.
    await hover(page, 1, 3.6 / 11.2);
    const legend = (await page.locator('.u-legend').nth(1).textContent()) ?? '';
    expect(legend).toContain('order3');
    expect(legend).toContain('free, order passes (min mark)14.8 MiB');
    expect(legend).toContain('in blocks ≥ order35.6 MiB');
    // The min mark, 13,416 pages * 4 KiB = 53,664 KiB = 52.4 MiB; min + reserve 14,184 * 4 KiB = 55.4 MiB.
    expect(legend).toContain('min mark52.4 MiB');
    expect(legend).toContain('min + lowmem reserve55.4 MiB');
    await page.locator('#log-scale').check();
    await page.waitForFunction(() => document.querySelectorAll('.uplot').length === 3);
    await screenshot(page, 'capture');
    // The print sheet leaves out the controls; the charts stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.controls').isVisible()).toBe(false);
    expect(await page.locator('.uplot').first().isVisible()).toBe(true);
    onlyItself(o, file);
  });

  it(title('a two-node box without watermarks: four zones, free memory and blocks as worked by hand'), async () => {
    const file = join(dir, 'two-node.html');
    const o = await open(file, 4);
    const text = (await o.page.locator('section#zone-3').textContent()) ?? '';
    // Node 1 Normal: 18520 + 9021*2 + 3011*4 + 988*8 + 301*16 + 88*32 + 20*64 + 4*128 + 256 + 512 = 66,702
    // pages = 260.6 MiB, in 31,955 blocks; the largest is order 9 (2 MiB).
    expect(text).toContain('Node 1, zone Normal');
    expect(text).toContain('260.6 MiB free (66,702 pages in 31,955 blocks), largest free block 2 MiB (order 9).');
    expect(await o.page.locator('.verdict').count()).toBe(0);
    await screenshot(o.page, 'two-node');
    onlyItself(o, file);
  });

  it(title('a failure report: the legacy loop in words and gauges, a chart per zone'), async () => {
    const file = join(dir, 'report.html');
    const o = await open(file, 3);
    const text = (await o.page.locator('main').textContent()) ?? '';
    // Normal: 885 - 15 = 870; 870 - 569 = 301 > 294; 301 - 216 = 85 <= 147.
    expect(text).toContain('Per-order loop, order 1: 85 pages left once blocks of order 1 and below are set aside ≤ min halved to 147');
    expect(text).toContain('ORDER_LOOP');
    // Failing: Normal's loop at order 1, DMA32's at order 0. DMA never serves the request: no gauge.
    expect(await o.page.locator('.gauge.fail').count()).toBe(2);
    // Passing: Normal's order-0 test and its loop at order 0, DMA32's order-0 test.
    expect(await o.page.locator('.gauge.pass').count()).toBe(3);
    await screenshot(o.page, 'report');
    onlyItself(o, file);
  });

  it(title('a check: its verdict as a word and a shape, in dark and in light mode'), async () => {
    const file = join(dir, 'check.html');
    const o = await open(file, 0);
    expect(await o.page.locator('.lead .verdict').textContent()).toBe('✔PASS');
    await o.page.emulateMedia({ colorScheme: 'dark' });
    expect(await o.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
    await o.page.emulateMedia({ colorScheme: 'light' });
    expect(await o.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    await screenshot(o.page, 'check');
    onlyItself(o, file);
  });

  it(title('a year of minutes: light, charts for every zone, the gap in April, a tooltip'), async () => {
    const file = join(dir, 'year.html');
    expect(statSync(file).size).toBeLessThan(300_000);
    const o = await open(file, 8);
    const text = (await o.page.locator('main').textContent()) ?? '';
    // 525,600 minutes less the four missing days (5,760 minutes).
    expect(text).toContain('519,840 snapshots from Wed Jan  1 00:00:00 UTC 2025 to Wed Dec 31 23:59:00 UTC 2025');
    // Node 0 Normal loses its blocks of order 7 and up for the first hour of each of the 361 days logged.
    expect(text).toContain('No free block of order 7 or larger in 21,660 snapshots, 361 periods');
    expect(text).toContain('the lines break: the log has a gap there');
    expect(await o.page.locator('.uplot').count()).toBe(8);
    // The gap: the row between the last snapshot before it and the first after, where the chart has none.
    const at = await o.page.evaluate(() => {
      const t = JSON.parse(document.getElementById('buddyinfo-data')?.textContent ?? '{}').timeline;
      const k = t.gapBefore.indexOf(true);
      const mid = (t.last[k - 1] + t.first[k]) / 2;
      const lo = (t.bucket[0] + 0.5) * t.width;
      const hi = (t.bucket[t.bucket.length - 1] + 0.5) * t.width;
      return (mid - lo) / (hi - lo);
    });
    await hover(o.page, 2, at);
    await expect(o.page.locator('.tip').nth(2).textContent()).resolves.toBe('no snapshot here: a gap in the log');
    await hover(o.page, 2, 0.5);
    const tip = (await o.page.locator('.tip').nth(2).textContent()) ?? '';
    expect(tip).toMatch(/^2025-\d\d-\d\d \d\d:\d\d:00 UTC to 2025-\d\d-\d\d \d\d:\d\d:00 UTC, [\d,]+ snapshots/);
    expect(tip).toContain('largest free order: 10');
    await screenshot(o.page, 'year');
    onlyItself(o, file);
  });

  it(title('three days with a replayed check: the strip, and the page without JavaScript'), async () => {
    const file = join(dir, 'days.html');
    const o = await open(file, 9);
    const text = (await o.page.locator('section#zone-2').textContent()) ?? '';
    // Node 0 Normal fails an order-7 request in the first hour of each of the 3 days: 180 snapshots.
    expect(text).toContain('Failed the check in 180 snapshots, 3 periods');
    onlyItself(o, file);
    // Scripts off: the words and tables are all there, and each chart slot says why it is empty.
    const plain = await chromium.launchPersistentContext(join(dir, 'profile-nojs'), {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      offline: true,
      javaScriptEnabled: false,
    });
    try {
      const page = await plain.newPage();
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('.nojs').first().isVisible()).toBe(true);
      expect(await page.locator('.uplot').count()).toBe(0);
      expect(await page.locator('table').count()).toBe(4);
      expect((await page.locator('section#zone-2').textContent()) ?? '').toContain('Failed the check in 180 snapshots, 3 periods');
    } finally {
      await plain.close();
    }
  });
});
