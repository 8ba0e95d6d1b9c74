// The Prometheus exposition of `show`: read back with an independent parser and compared with hand-worked values.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { showView } from '../../src/commands/show.js';
import { escapeHelp, escapeLabel, exposition, formatValue, METRICS, renderPrometheus } from '../../src/format/prometheus.js';
import { fakeIo, fixture } from '../helpers/io.js';
import { parseExposition, valueOf, type ParsedFamily } from '../helpers/exposition.js';

/**
 * fixtures/proc-cma-only: one Normal zone (6.18.2), buddyinfo 20000 5000 1000 200 0 0 0 0 0 4 8,
 * pages free 45840 = 20000 + 5000*2 + 1000*4 + 200*8 + 4*512 + 8*1024, min/low/high 4000/5000/6000,
 * protection (0, 0), nr_free_cma 10240 = 4*512 + 8*1024: the order-9 and order-10 blocks are all CMA.
 */
function cmaOnly(without: string[] = []): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of ['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version']) {
    if (!without.includes(f)) files[`p/${f}`] = fixture(`proc-cma-only/${f}`);
  }
  return files;
}

async function metrics(files: Record<string, string>, argv: { proc?: string; files?: string[]; byType?: boolean } = { proc: 'p' }) {
  const io = fakeIo({ files });
  const view = await showView(io, { files: argv.files ?? [], proc: argv.proc, json: false, format: 'prometheus', color: 0 }, ['min', 'low', 'high']);
  const text = renderPrometheus(view, { byType: argv.byType === true });
  return { text, m: parseExposition(text) };
}

const NORMAL = { node: '0', zone: 'Normal' };

describe('the exposition read back (fixtures/proc-cma-only)', () => {
  it('is well formed: HELP and TYPE gauge before each metric, our prefix, the documented labels and HELP', async () => {
    const { m } = await metrics(cmaOnly());
    const byName = new Map<string, { labels: readonly string[]; help: string }>(Object.values(METRICS).map((x) => [x.name, x]));
    expect(m.size).toBeGreaterThan(0);
    for (const f of m.values() as Iterable<ParsedFamily>) {
      expect(f.name).toMatch(/^buddyinfo_[a-z0-9_]+$/);
      const doc = byName.get(f.name);
      expect(doc, f.name).toBeDefined();
      expect(f.help).toBe(doc?.help);
      expect(f.type).toBe('gauge');
      for (const s of f.samples) expect(Object.keys(s.labels).sort()).toEqual([...(doc?.labels ?? [])].sort());
    }
  });

  it('gives free blocks per order as buddyinfo says, and free bytes per zone', async () => {
    const { m } = await metrics(cmaOnly());
    const free = [20000, 5000, 1000, 200, 0, 0, 0, 0, 0, 4, 8];
    free.forEach((n, order) => expect(valueOf(m, 'buddyinfo_free_blocks', { ...NORMAL, order: String(order) })).toBe(n));
    expect(m.get('buddyinfo_free_blocks')?.samples).toHaveLength(11);
    // 45840 pages * 4096 bytes
    expect(valueOf(m, 'buddyinfo_free_bytes', NORMAL)).toBe(187_760_640);
    expect(valueOf(m, 'buddyinfo_page_size_bytes', {})).toBe(4096);
    expect(valueOf(m, 'buddyinfo_largest_free_order', NORMAL)).toBe(10);
  });

  it('gives the unusable index as a 0-1 ratio and the fragmentation index', async () => {
    const { m } = await metrics(cmaOnly());
    const at = (order: number) => ({ ...NORMAL, order: String(order) });
    // order 0: every free page is usable
    expect(valueOf(m, 'buddyinfo_unusable_free_ratio', at(0))).toBe(0);
    // order 3: blocks of 8 pages obtainable = 200 + 4*64 + 8*128 = 1480, i.e. 11840 pages;
    // (45840 - 11840) * 1000 / 45840 = 741.7, truncated to 741
    expect(valueOf(m, 'buddyinfo_unusable_free_ratio', at(3))).toBe(0.741);
    // order 9: 4 + 8*2 = 20 blocks of 512 pages = 10240; (45840 - 10240) * 1000 / 45840 = 776.6 -> 776
    expect(valueOf(m, 'buddyinfo_unusable_free_ratio', at(9))).toBe(0.776);
    // a block of order >= 4 is free, so the kernel's index is -1
    expect(valueOf(m, 'buddyinfo_fragmentation_index', at(4))).toBe(-1);
  });

  it('gives the watermark verdict per order and mark: orders 0-3 pass, 4-10 find only CMA blocks', async () => {
    const { m } = await metrics(cmaOnly());
    // GFP_KERNEL has no ALLOC_CMA: free = 45840 - (2^o - 1) - 10240 CMA; at order 10 that is 34577, above
    // every mark (6000 at most) plus reserve 0, so the order-0 test passes at every order and mark. The block
    // search finds Movable blocks at orders 1-3 only; orders 9 and 10 hold CMA blocks the request may not use.
    for (const mark of ['min', 'low', 'high']) {
      for (let order = 0; order <= 10; order++) {
        expect(valueOf(m, 'buddyinfo_watermark_ok', { ...NORMAL, order: String(order), mark }), `${mark} ${order}`).toBe(
          order <= 3 ? 1 : 0,
        );
      }
      expect(valueOf(m, 'buddyinfo_largest_passing_order', { ...NORMAL, mark })).toBe(3);
    }
    expect(m.get('buddyinfo_watermark_ok')?.samples).toHaveLength(33);
    expect(valueOf(m, 'buddyinfo_watermark_lists_known', NORMAL)).toBe(1);
  });

  it('gives free blocks per migratetype and pageblocks per type from pagetypeinfo, only with --by-type', async () => {
    expect((await metrics(cmaOnly())).m.has('buddyinfo_type_free_blocks')).toBe(false);
    expect((await metrics(cmaOnly())).m.has('buddyinfo_pageblocks')).toBe(false);
    const { m } = await metrics(cmaOnly(), { proc: 'p', byType: true });
    const t = (order: number, migratetype: string) => valueOf(m, 'buddyinfo_type_free_blocks', { ...NORMAL, order: String(order), migratetype });
    expect(t(10, 'CMA')).toBe(8);
    expect(t(9, 'CMA')).toBe(4);
    expect(t(0, 'Movable')).toBe(20000);
    expect(t(10, 'Movable')).toBe(0);
    // six types by eleven orders
    expect(m.get('buddyinfo_type_free_blocks')?.samples).toHaveLength(66);
    expect(valueOf(m, 'buddyinfo_pageblocks', { ...NORMAL, migratetype: 'CMA' })).toBe(128);
    expect(valueOf(m, 'buddyinfo_pageblocks', { ...NORMAL, migratetype: 'Movable' })).toBe(300);
  });

  it('without pagetypeinfo the block search assumes the CMA blocks usable and says so', async () => {
    const { m } = await metrics(cmaOnly(['pagetypeinfo']));
    expect(valueOf(m, 'buddyinfo_watermark_lists_known', NORMAL)).toBe(0);
    expect(valueOf(m, 'buddyinfo_watermark_ok', { ...NORMAL, order: '10', mark: 'min' })).toBe(1);
    expect(valueOf(m, 'buddyinfo_largest_passing_order', { ...NORMAL, mark: 'min' })).toBe(10);
    expect(m.has('buddyinfo_type_free_blocks')).toBe(false);
    expect(m.has('buddyinfo_pageblocks')).toBe(false);
  });

  it('without zoneinfo there is no watermark metric at all', async () => {
    const { m } = await metrics(cmaOnly(['zoneinfo']));
    expect(m.has('buddyinfo_watermark_ok')).toBe(false);
    expect(m.has('buddyinfo_largest_passing_order')).toBe(false);
    expect(m.has('buddyinfo_watermark_lists_known')).toBe(false);
    expect(valueOf(m, 'buddyinfo_free_blocks', { ...NORMAL, order: '10' })).toBe(8);
  });

  it('carries the fragmentation index of a real capture (DMA32 order 7 is 0.961, worked in fragmentation.test.ts)', async () => {
    const { m } = await metrics({ 'a.txt': fixture('buddyinfo-procfs-x86_64.txt') }, { files: ['a.txt'] });
    expect(valueOf(m, 'buddyinfo_fragmentation_index', { node: '0', zone: 'DMA32', order: '7' })).toBe(0.961);
    expect(valueOf(m, 'buddyinfo_unusable_free_ratio', { node: '0', zone: 'DMA32', order: '3' })).toBe(0.357);
    // DMA32 free pages 14179 (cli.test.ts) * 4096
    expect(valueOf(m, 'buddyinfo_free_bytes', { node: '0', zone: 'DMA32' })).toBe(14179 * 4096);
  });

  it('labels every zone of a two-node capture once', async () => {
    const { m } = await metrics({ 'a.txt': fixture('buddyinfo-two-node.txt') }, { files: ['a.txt'] });
    const zones = new Set(m.get('buddyinfo_free_bytes')?.samples.map((s) => `${s.labels.node}/${s.labels.zone}`));
    expect(zones.size).toBe(m.get('buddyinfo_free_bytes')?.samples.length);
    expect([...zones].some((z) => z.startsWith('1/'))).toBe(true);
  });
});

describe('the walk, the next step, the replay and proactive compaction', () => {
  it('buddyinfo_allocation_ok per order and mark: the walk (one Normal zone) passes up to order 3', async () => {
    const { m } = await metrics(cmaOnly());
    // the largest passing order at min is 3 (the order-9 and order-10 blocks are CMA; orders 4-8 are empty)
    const ok = (order: number, mark: string) => valueOf(m, 'buddyinfo_allocation_ok', { order: String(order), gfp: 'GFP_KERNEL', mark });
    expect([0, 3, 4, 10].map((o) => ok(o, 'min'))).toEqual([1, 1, 0, 0]);
    expect(m.get('buddyinfo_allocation_ok')?.samples).toHaveLength(33);
  });

  it('buddyinfo_next_step: order 9 compacts (a CMA block exists, so the index is -1000), order 3 passes', async () => {
    // era E, order 9 > 3: low 5000 + compact_gap 1024 = 6024; NR_FREE_PAGES 45840 (free CMA counts) > 6024
    const { m } = await metrics(cmaOnly());
    const at = (order: number, code: string) => valueOf(m, 'buddyinfo_next_step', { ...NORMAL, order: String(order), code });
    expect(at(9, 'COMPACTION_RUNS')).toBe(1);
    expect(at(3, 'CHECK_PASSES')).toBe(1);
    expect(m.get('buddyinfo_next_step')?.samples).toHaveLength(11);
  });

  it('leaves out a zone that can never serve a GFP_KERNEL request (DMA of the 6.18 capture)', async () => {
    const files: Record<string, string> = {};
    for (const f of ['buddyinfo', 'zoneinfo', 'version']) files[`q/${f}`] = fixture(`proc-x86_64-6.18/${f}`);
    const { m } = await metrics(files, { proc: 'q' });
    const zones = (name: string) => new Set(m.get(name)?.samples.map((s) => s.labels.zone));
    expect(zones('buddyinfo_watermark_ok')).toEqual(new Set(['DMA32', 'Normal']));
    expect(zones('buddyinfo_largest_passing_order')).toEqual(new Set(['DMA32', 'Normal']));
    expect(zones('buddyinfo_next_step')).toEqual(new Set(['DMA32', 'Normal']));
    expect(zones('buddyinfo_free_blocks')).toEqual(new Set(['DMA', 'DMA32', 'Normal']));
    // the node score worked in test/analysis/proactive.test.ts: 57, thresholds 80 and 90
    expect(valueOf(m, 'buddyinfo_proactive_compaction_score_ratio', { node: '0' })).toBe(0.57);
    expect(valueOf(m, 'buddyinfo_proactive_compaction_threshold_ratio', { bound: 'high' })).toBe(0.9);
  });

  it('buddyinfo_replay_info names the release, its origin and every rule axis', async () => {
    const { m } = await metrics(cmaOnly());
    const s = m.get('buddyinfo_replay_info')?.samples[0];
    expect(s?.value).toBe(1);
    expect(s?.labels).toMatchObject({ release: '6.18.2', origin: 'input', algorithm: 'strict-lists', highatomic_flag: 'with-min-reserve', compaction: 'E' });
  });
});

describe('the text format', () => {
  it('escapes HELP text and label values as the format asks', () => {
    expect(escapeHelp('a\\b\nc "d"')).toBe('a\\\\b\\nc "d"');
    expect(escapeLabel('a\\b\nc "d"')).toBe('a\\\\b\\nc \\"d\\"');
  });

  it('prints Go float spellings', () => {
    expect(formatValue(0.776)).toBe('0.776');
    expect(formatValue(-1)).toBe('-1');
    expect(formatValue(187_760_640)).toBe('187760640');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });

  it('renders a family exactly, leaves out families without samples, and ends with a newline', () => {
    const text = exposition([
      { name: 'buddyinfo_x', labels: ['zone'], help: 'Line\none', type: 'gauge', samples: [{ labels: { zone: 'a"b' }, value: 2 }] },
      { name: 'buddyinfo_empty', labels: [], help: 'Nothing.', type: 'gauge', samples: [] },
      { name: 'buddyinfo_y', labels: [], help: 'Y.', type: 'gauge', samples: [{ labels: {}, value: 0.5 }] },
    ]);
    expect(text).toBe(
      '# HELP buddyinfo_x Line\\none\n# TYPE buddyinfo_x gauge\nbuddyinfo_x{zone="a\\"b"} 2\n' +
        '# HELP buddyinfo_y Y.\n# TYPE buddyinfo_y gauge\nbuddyinfo_y 0.5\n',
    );
    const back = parseExposition(text);
    expect(valueOf(back, 'buddyinfo_x', { zone: 'a"b' })).toBe(2);
    expect(back.get('buddyinfo_x')?.help).toBe('Line\none');
  });

  it('the test parser refuses what the format forbids, so the checks above can fail', () => {
    expect(() => parseExposition('a 1')).toThrow(/newline/);
    expect(() => parseExposition('a{x="1"} 1\nb 1\na{x="2"} 2\n')).toThrow(/not grouped/);
    expect(() => parseExposition('a{x="1"} 1\na{x="1"} 2\n')).toThrow(/repeated/);
    expect(() => parseExposition('a 1\n# HELP a late\n')).toThrow(/after the samples/);
    expect(() => parseExposition('a 1 1700000000\n')).toThrow(/timestamp/);
  });
});

describe('the README', () => {
  it('documents every metric with its labels and its HELP text', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const x of Object.values(METRICS)) {
      const labels = x.labels.length === 0 ? '' : ` ${x.labels.join(', ')}`;
      expect(readme, x.name).toContain(`| \`${x.name}\` |${labels} | ${x.help} |`);
    }
  });
});
