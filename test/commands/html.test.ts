// `--format html` of show, check, report and history in-process: the page's words and numbers, and its JSON is --json's.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture } from '../helpers/io.js';

/** A capture with the zoneinfo and version of a 6.18 box (the watermarks come from that box). */
const CAPTURE = {
  // a capture and the zoneinfo of another box (read together with --force: the cross-check would refuse them)
  'cap.txt': fixture('buddyinfo-procfs-x86_64.txt'),
  'zoneinfo': fixture('proc-x86_64-6.18/zoneinfo'),
  'version': fixture('proc-x86_64-6.18/version'),
};
const PROC = Object.fromEntries(['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version'].map((f) => [`p/${f}`, fixture(`proc-x86_64-6.18/${f}`)]));
const LEGACY = { 'r.txt': fixture('reports/2.6.32-gfp-kernel-legacy-loop.txt') };

async function run(argv: string[], files: Record<string, string>) {
  const io = fakeIo({ files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err(), files: io.files };
}

/** The JSON the page embeds. */
function embedded(page: string): unknown {
  const m = /<script type="application\/json" id="buddyinfo-data">([^<]*)<\/script>/.exec(page);
  if (!m) throw new Error('no embedded JSON');
  return JSON.parse(m[1] as string);
}

/** The page's text as a reader without script sees it: tags dropped, entities read, spaces folded. */
function text(page: string): string {
  const body = page.slice(page.indexOf('<main>'), page.indexOf('</main>'));
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('a zoneinfo alone, and --by-type, as a page', () => {
  it('a zoneinfo alone has its page, with the JSON --json prints, as its text table has a view', async () => {
    const files = { 'z.txt': fixture('zoneinfo-x86_64-6.18-live.txt') };
    const r = await run(['--format', 'html', 'z.txt'], files);
    expect(r.code).toBe(0);
    // Read off the fixture: Normal pages free 166720 > high 5119; min 3413, low 4266.
    expect(text(r.out)).toContain('Node 0 Normal 166,720 651.3 MiB 3,413 4,266 5,119 0 ✔ above high');
    expect(embedded(r.out)).toEqual(JSON.parse((await run(['--json', 'z.txt'], files)).out));
  });

  it('--by-type with --format html is refused in one sentence rather than dropped', async () => {
    const r = await run(['--by-type', '--format', 'html', '--proc', 'p'], PROC);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: --by-type has no html page: the page draws the per-order view; give --by-type for the text table (or the Prometheus series), or --format html alone.\n');
  });
});

describe('show --format html', () => {
  it('says per zone which orders pass each mark, with the watermarks worked out from the zoneinfo', async () => {
    const r = await run(['--format', 'html', '--force', 'cap.txt', 'zoneinfo', 'version'], CAPTURE);
    expect(r.code).toBe(0);
    const t = text(r.out);
    // DMA: its 3,840 managed pages are not above min 66 + protection[Normal] 3,786 = 3,852: it never serves
    // GFP_KERNEL, which is no failure of the zone (the text table says the same).
    expect(t).toContain('Node 0, zone DMA 15.5 MiB free (3,973 pages in 11 blocks), largest free block 4 MiB (order 10). – never serves NEVER_SERVES This zone never serves GFP_KERNEL (min + lowmem_reserve is as large as the zone).');
    expect(t).not.toMatch(/zone DMA [^N]*FAIL No order passes/);
    expect(t).toContain('min 66, low 82, high 98; lowmem reserve 3,786; min + lowmem reserve 3,852');
    // DMA32: 772,808 free is far above 13,416 + 768 = 14,184; its largest free block is order 6 (12 blocks),
    // so orders 0 to 6 pass and 7 fails, at every mark.
    expect(t).toContain('✔ PASS Orders 0 to 6 pass the min mark for a GFP_KERNEL request; order 7 and larger fail.');
    expect(t).toContain('✔ PASS Orders 0 to 6 pass the high mark');
    expect(t).toContain('min + lowmem reserve 14,184');
    // DMA32's order-3 row: 475 blocks of 32 KiB = 15,200 KiB = 14.8 MiB; 8 + 16 ... blocks of 3 and up:
    // (475 * 8 + 194 * 16 + 45 * 32 + 12 * 64) pages = 9,112 pages = 35.6 MiB, of 14,179 pages = 64.3%.
    expect(t).toMatch(/ 3 32 KiB 475 14\.8 MiB 35\.6 MiB 64\.3% 0\.357 -1\.000 ✔ passes ✔ passes ✔ passes /);
    expect(r.out.match(/<div class="chart" role="img"/g)).toHaveLength(3);
  });

  it('embeds the view --json prints, with the high mark as well', async () => {
    const page = embedded((await run(['--format', 'html', '--force', 'cap.txt', 'zoneinfo', 'version'], CAPTURE)).out) as {
      zones: Array<{ largestPassingOrder: Record<string, number>; orders: unknown; watermarkPages: unknown }>;
      watermarkCheck: { marks: string[] };
    };
    const json = JSON.parse((await run(['--json', '--force', 'cap.txt', 'zoneinfo', 'version'], CAPTURE)).out);
    expect(page.watermarkCheck.marks).toEqual(['min', 'low', 'high']);
    page.zones.forEach((z, i) => {
      expect(z.orders).toEqual(json.zones[i].orders);
      expect({ min: z.largestPassingOrder.min, low: z.largestPassingOrder.low }).toEqual(json.zones[i].largestPassingOrder);
    });
    expect(page.zones[1]?.watermarkPages).toEqual({ marks: { min: 13_416, low: 16_770, high: 20_124 }, reserve: 768, free: 772_808 });
  });

  it('writes the page to --output', async () => {
    const r = await run(['--format', 'html', '--output', 'x.html', 'cap.txt'], CAPTURE);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.files.get('x.html')).toMatch(/^<!doctype html>/);
  });
});

describe('check --format html', () => {
  it('says a what-if and a failed count gate before its figures, and has the text output\'s words for both', async () => {
    const w = await run(['check', '--order', '0', '--min-free-kbytes', '3000000', '--proc', 'p', '--format', 'html', '--output', 'w.html'], PROC);
    const tw = text(w.files.get('w.html') ?? '');
    expect(tw).toContain('What-if: the marks and reserves on this page are recomputed from the values given on the command line');
    expect(tw).toContain('What-if: the marks and reserves recomputed as the kernel does (__setup_per_zone_wmarks, setup_per_zone_lowmem_reserve) from vm.min_free_kbytes 3000000 (--min-free-kbytes)');
    // --count 5000 order-9 blocks: the box has far fewer, so the gate fails while the watermark check passes.
    const g = await run(['check', '--order', '9', '--count', '5000', '--proc', 'p', '--format', 'html', '--output', 'g.html'], PROC);
    expect(g.code).toBe(1);
    const tg = text(g.files.get('g.html') ?? '');
    expect(tg).toContain('✘ FAIL The count gate failed: too few free blocks of the order');
    expect(tg).toContain('FAIL the count gate failed: at least 5,000 free blocks of order 9 (2 MiB) on some node');
  });

  it('gives the next step and what to do as the text words them, not raw decision names', async () => {
    const files = Object.fromEntries(['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version'].map((f) => [`c/${f}`, fixture(`proc-cma-only/${f}`)]));
    const r = await run(['check', '--order', '10', '--gfp', 'atomic', '--proc', 'c', '--format', 'html', '--output', 'a.html'], files);
    const page = r.files.get('a.html') ?? '';
    // GFP_ATOMIC cannot sleep (no __GFP_DIRECT_RECLAIM): no reclaim, no compaction for it.
    expect(page).toMatch(/<p class="next">Next: NO_DIRECT_RECLAIM\. GFP_ATOMIC cannot sleep/);
    expect(page).toMatch(/<p class="action">Do: The free blocks large enough sit in CMA/);
    expect(page).not.toMatch(/Compaction: (not-attempted|unavailable|skipped-order0)/);
  });

  it('draws each zone\'s order-0 test and keeps the exit status of the verdict', async () => {
    const r = await run(['check', '--order', '3', '--proc', 'p', '--format', 'html', '--output', 'c.html'], PROC);
    expect(r.code).toBe(0);
    const page = r.files.get('c.html') ?? '';
    const t = text(page);
    expect(t).toContain('✔ PASS order-3 allocation (32 KiB), GFP_KERNEL, min mark: served by node 0, zone Normal.');
    // Normal: 108,155 free - (2^3 - 1) = 108,148 > 3,413 + 0. DMA: 3,840 - 7 = 3,833 <= 66 + 3,786 = 3,852.
    expect(t).toContain('108,155 free - 7 for the request = 108,148 usable free pages > min 3,413 + reserve 0 = 3,413');
    // DMA never serves the request: said with its sizes, no gauge and no margin to close.
    expect(t).toContain('Node 0, zone DMA: NEVER_SERVES The zone holds 3,840 pages (15 MiB): even with all of it free, the check would count 3,833 pages, never more than min 66 + lowmem reserve 3,786 = 3,852.');
    expect(t).not.toMatch(/more free pages? \([^)]*\) would pass that test\. Largest order that passes now: -/);
    expect(page.match(/<div class="gauge (pass|fail)"/g)).toHaveLength(2);
    // The text output is on the page too: what the sections do not draw (proactive compaction here).
    expect(t).toContain('In words: the text output of the same command');
    expect(t).toContain('Proactive compaction (vm.compaction_proactiveness');
    const json = JSON.parse((await run(['check', '--order', '3', '--proc', 'p', '--json'], PROC)).out);
    expect(embedded(page)).toEqual(json);
  });

  it('exits 1 on a failing verdict, and refuses a format it does not know', async () => {
    const fail = await run(['check', '--order', '11', '--proc', 'p', '--format', 'html'], PROC);
    expect(fail.code).toBe(1);
    expect(text(fail.out)).toContain('✘ FAIL order-11 allocation');
    const bad = await run(['check', '--order', '3', '--proc', 'p', '--format', 'pdf'], PROC);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('buddyinfo: --format pdf: expected one of text, json, html.\n');
    const both = await run(['check', '--order', '3', '--proc', 'p', '--json', '--format', 'html'], PROC);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--json asks for JSON but --format asks for html/);
  });
});

describe('report --format html', () => {
  it('decodes the request, gives the diagnosis and draws the legacy loop per zone', async () => {
    const r = await run(['report', '--format', 'html', 'r.txt'], LEGACY);
    expect(r.code).toBe(0);
    const t = text(r.out);
    expect(t).toContain('✘ FAIL order-4 allocation (64 KiB), 0x40d0 (GFP_KERNEL|__GFP_COMP), min mark: no zone in the walk can serve it.');
    expect(t).toContain('GFP flags GFP_KERNEL | __GFP_COMP (decoded from the mode)');
    expect(t).toContain('ORDER_LOOP');
    // Normal: free:3540kB = 885 pages, min:2356kB = 589; 885 - 15 = 870; order 0 sets 569 aside: 301 > 589 / 2 = 294;
    // order 1 sets 108 * 2 = 216 aside: 85 <= 294 / 2 = 147.
    expect(t).toContain('✔ ok Per-order loop, order 0: 301 pages left once blocks of order 0 and below are set aside > min halved to 294');
    expect(t).toContain('✘ fails Per-order loop, order 1: 85 pages left once blocks of order 1 and below are set aside ≤ min halved to 147');
    // DMA: present 3,834 pages - 15 = 3,819 can never exceed min 20kB = 5 + lowmem_reserve[Normal] 4,001 = 4,006.
    expect(t).toContain('Node 0, zone DMA: NEVER_SERVES The zone holds 3,834 pages (15 MiB): even with all of it free, the check would count 3,819 pages, never more than min 5 + lowmem reserve 4,001 = 4,006.');
    // The report's next step in words: no compaction before 2.6.35.
    expect(t).toContain('Next: NO_DIRECT_COMPACTION. No direct compaction: kernels before 2.6.35 have no compaction.');
    expect(r.out.match(/data-chart="report-zone"/g)).toHaveLength(3);
    const json = JSON.parse((await run(['report', '--json', 'r.txt'], LEGACY)).out);
    expect(embedded(r.out)).toEqual(json);
  });
});

describe('history --format html', () => {
  it('summarises the log in words and embeds --json\'s view plus the timeline its charts draw', async () => {
    const files = { 'h.txt': fixture('history-stamps.txt') };
    const r = await run(['history', '--format', 'html', '--output', 'h.html', 'h.txt'], files);
    expect(r.code).toBe(0);
    const page = r.files.get('h.html') ?? '';
    const { timeline, ...view } = embedded(page) as { timeline: { axis: string; zones: unknown[] } };
    expect(view).toEqual(JSON.parse((await run(['history', '--json', 'h.txt'], files)).out));
    expect(timeline.axis).toBe('time');
    expect(text(page)).toMatch(/^ Fragmentation over time \d+ snapshots from Mon Nov 2 10:00:00 UTC 2026 /);
    expect(page.match(/data-chart="history-(free|order)"/g)).toHaveLength(2 * timeline.zones.length);
  });
});
