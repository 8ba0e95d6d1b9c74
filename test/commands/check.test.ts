// `buddyinfo check` end to end in-process: the worked example, kernel choice, inputs, sizes and errors.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { check, orderOfSize, parseRequestSize, type CheckOptions } from '../../src/commands/check.js';
import { InputError } from '../../src/model.js';
import { fakeIo, fixture, type FakeOptions } from '../helpers/io.js';

/** Seed 000 (kernel.md section 2): DMA32 of a 2.6.32 box, free 12560 kB = 3140 pages = the buddy sum. */
const SEED = fixture('check/seed-000-dma32-buddyinfo.txt');

const defaults: CheckOptions = { files: [], mark: 'min', gfp: 'kernel', flag: [], kernel: {}, explain: false, json: true, color: 0 };

/** Check options with --kernel and --algorithm as typed. */
type RunOptions = Partial<Omit<CheckOptions, 'kernel'>> & { kernel?: string; algorithm?: 'legacy' | 'modern' };

async function run({ kernel, algorithm, ...opts }: RunOptions, io: FakeOptions = {}) {
  const fake = fakeIo({ files: { 'seed.txt': SEED }, ...io });
  const ask = { ...(kernel === undefined ? {} : { kernel }), ...(algorithm === undefined ? {} : { algorithm }) };
  const code = await check(fake, { ...defaults, files: ['seed.txt'], ...opts, kernel: ask });
  return { code, json: opts.json === false ? undefined : JSON.parse(fake.out()), out: fake.out() };
}

describe('the worked example of seed 000 (kernel.md section 2)', () => {
  it('fails at the first pass of the 2.6.32 loop with the kernel\'s numbers', async () => {
    const r = await run({ order: 4, kernel: '2.6.32', min: 1769 });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ order: 4, algorithm: 'legacy', kernelRelease: '2.6.32', kernelOrigin: 'option', mark: 'min', ok: false });
    expect(r.json.rules).toMatchObject({ algorithm: 'legacy-loop', flags: 'legacy', cma: 'none' });
    // free = 3140 - 2^4 + 1 = 3125 > 1769; pass o=0: 3125 - 2360 = 765 <= 1769 >> 1 = 884
    expect(r.json.zones[0].steps).toEqual([
      { check: 'watermark', freePages: 3125, minPages: 1769, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 765, minPages: 884, ok: false },
    ]);
  });

  it('says it in words: 3060 KiB left against 3536 KiB', async () => {
    const r = await run({ order: 4, kernel: '2.6.32', min: 1769, json: false, explain: true });
    expect(r.out).toMatch(/^FAIL order-4 allocation \(64 KiB\)/m);
    // 765 pages * 4 KiB = 3060 KiB; 884 pages * 4 KiB = 3536 KiB
    expect(r.out).toContain('765 pages (3,060 KiB) left <= min halved to 884 pages (3,536 KiB)');
    // 2.6.32 has no compaction (2.6.35): the next step says so
    expect(r.out).toContain('Next: NO_DIRECT_COMPACTION. No direct compaction: kernels before 2.6.35 have no compaction.');
  });

  it('passes under the 4.4+ algorithm', async () => {
    const r = await run({ order: 4, kernel: '4.4', min: 1769 });
    expect(r.code).toBe(0);
    expect(r.json.algorithm).toBe('modern');
  });

  it('passes for GFP_ATOMIC on 2.6.32 (min 1769 -> 885 -> 664)', async () => {
    const r = await run({ order: 4, kernel: '2.6.32', min: 1769, gfp: 'atomic' });
    expect(r.code).toBe(0);
    expect(r.json.zones[0].steps[0].minPages).toBe(664);
  });

  it('fails at the low mark too (765 <= 2211 >> 1 = 1105)', async () => {
    const r = await run({ order: 4, kernel: '2.6.32', low: 2211, mark: 'low' });
    expect(r.code).toBe(1);
    expect(r.json.zones[0].steps[1]).toMatchObject({ order: 0, freePages: 765, minPages: 1105, ok: false });
    // no min mark is known, so the slow path (and what follows it) is not replayed
    expect(r.json.next).toBeUndefined();
    expect(r.json.notes.join(' ')).toMatch(/What the kernel does next is not replayed: it needs the min watermark/);
  });
});

describe('which kernel\'s rules', () => {
  it('--algorithm legacy without a kernel replays the loop', async () => {
    const r = await run({ order: 4, algorithm: 'legacy', min: 1769 });
    expect(r.json.algorithm).toBe('legacy');
    expect(r.code).toBe(1);
  });

  it('with no version known uses today\'s rules and says how to choose the other', async () => {
    const r = await run({ order: 4, min: 1769, json: false });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/No kernel release in the input, so today's \(6\.18\) rules are replayed; --kernel VERSION/);
  });

  it('live input uses the running kernel: 4.3.3 replays the loop', async () => {
    const files = { '/proc/buddyinfo': SEED };
    const fake = fakeIo({ files, kernel: '4.3.3' });
    const code = await check(fake, { ...defaults, order: 4, min: 1769 });
    const j = JSON.parse(fake.out());
    expect(code).toBe(1);
    expect(j).toMatchObject({ kernelRelease: '4.3.3', kernelOrigin: 'live', kernelFrom: 'the running kernel', algorithm: 'legacy' });
  });

  it('refuses a --kernel and --algorithm that disagree', async () => {
    await expect(run({ order: 4, min: 1769, kernel: '2.6.32', algorithm: 'modern' })).rejects.toThrow(InputError);
  });
});

describe('inputs', () => {
  it('reads watermarks and protection from a zoneinfo given beside the buddyinfo', async () => {
    const io = fakeIo({
      files: {
        'b.txt': fixture('proc-x86_64-6.18/buddyinfo'),
        'z.txt': fixture('proc-x86_64-6.18/zoneinfo'),
      },
    });
    const code = await check(io, { ...defaults, files: ['b.txt', 'z.txt'], order: 0 });
    const j = JSON.parse(io.out());
    expect(code).toBe(0);
    // GFP_KERNEL walks Normal, DMA32, DMA (populated zones up to Normal, highest first)
    expect(j.zones.map((z: { zone: string }) => z.zone)).toEqual(['Normal', 'DMA32', 'DMA']);
    // the live capture: Normal pages free 108155, min 3413
    expect(j.zones[0]).toMatchObject({ freePages: 108155, markPages: 3413 });
    // DMA's protection[Normal] = protection[2] = 3786
    expect(j.zones[2].reservePages).toBe(3786);
  });

  it('reads --proc DIR and the kernel version it holds', async () => {
    const dir = 'fixtures/proc-x86_64-6.18';
    const io = fakeIo({
      files: Object.fromEntries(['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)])),
    });
    await check(io, { ...defaults, proc: dir, order: 3 });
    const j = JSON.parse(io.out());
    expect(j.kernelRelease).toBe('6.18.44-fc-v769');
    expect(j.kernelOrigin).toBe('input');
    // a vendor suffix: the rules of the 6.18 series
    expect(j.rules).toMatchObject({ highatomic: 'free', highatomicFlag: 'with-min-reserve', reserveIndex: 'highest' });
    expect(j.zones[0].listsKnown).toBe(true);
  });

  it('says which watermark is missing and exits 2', async () => {
    await expect(run({ order: 4 })).rejects.toThrow(/watermark/i);
  });

  it('a --proc DIR without zoneinfo gets advice that fits it: DIR/zoneinfo, not "--proc DIR" again', async () => {
    const io = fakeIo({ files: { 'sos/proc/buddyinfo': SEED } });
    expect(await main(['check', '--order', '4', '--proc', 'sos/proc'], io)).toBe(2);
    const err = io.err().split('\n').find((l) => l.startsWith('buddyinfo: No min watermark')) ?? '';
    expect(err).toBe(
      'buddyinfo: No min watermark is known for node 0 zone DMA32: expected a zoneinfo from the same box that covers this zone ' +
        '(a file beside the buddyinfo, or DIR/zoneinfo with --proc DIR), an allocation-failure report that shows it, or --min PAGES.',
    );
  });
});

describe('sizes', () => {
  it('--size converts with the page size, rounding up as get_order does', () => {
    expect(orderOfSize(65536, 4096)).toBe(4);
    expect(orderOfSize(48 * 1024, 4096)).toBe(4);
    expect(orderOfSize(4096, 4096)).toBe(0);
    expect(orderOfSize(65536, 65536)).toBe(0);
  });

  it('says when a size was rounded up', async () => {
    const r = await run({ size: 48 * 1024, kernel: '2.6.32', min: 1769, json: false });
    expect(r.out).toMatch(/48 KiB is not a whole block: the kernel rounds it up to order 4 \(64 KiB\)/);
  });

  it('a size must be at least 1 byte: --size 0 is a usage error, --size 1 is order 0', async () => {
    expect(() => parseRequestSize('0')).toThrow(InputError);
    expect(() => parseRequestSize('0K')).toThrow(/at least 1 byte/);
    expect(parseRequestSize('1')).toBe(1);
    const zero = fakeIo({ files: { 'seed.txt': SEED } });
    expect(await main(['check', '--size', '0', '--min', '1769', 'seed.txt'], zero)).toBe(2);
    expect(zero.out()).toBe('');
    expect(zero.err()).toBe('buddyinfo: --size 0: expected a size of at least 1 byte, in bytes or with K, M or G, e.g. --size 64K.\n');
    // 1 byte fits one 4 KiB page: order 0
    const one = fakeIo({ files: { 'seed.txt': SEED } });
    await main(['check', '--size', '1', '--min', '1769', '--json', 'seed.txt'], one);
    expect(JSON.parse(one.out())).toMatchObject({ order: 0, sizeRoundedUp: { bytes: 1, blockBytes: 4096 } });
  });

  it('needs an order or a size', async () => {
    await expect(run({ min: 1769 })).rejects.toThrow(/--order N/);
  });
});

describe('migratetypes make the block search exact', () => {
  const dir = 'fixtures/proc-cma-only';
  const files = (names: string[]) =>
    Object.fromEntries(names.map((f) => [`${dir}/${f}`, fixture(`proc-cma-only/${f}`)]));

  // Normal: pages free 45840, min 4000, nr_free_cma 10240; the only blocks of order >= 9 are CMA
  // (4 at order 9, 8 at order 10). GFP_KERNEL on 6.18: free = 45840 - 511 - 10240 = 35089 > 4000.
  it('buddyinfo alone assumes a usable block and passes, saying so', async () => {
    const io = fakeIo({ files: files(['buddyinfo', 'zoneinfo', 'version']) });
    const code = await check(io, { ...defaults, proc: dir, order: 9 });
    const j = JSON.parse(io.out());
    expect(code).toBe(0);
    expect(j.zones[0]).toMatchObject({ code: 'PASS', assumedUsableBlocks: true, listsKnown: false });
    expect(j.zones[0].steps[0]).toMatchObject({ freePages: 35089, minPages: 4000, ok: true });
  });

  it('with pagetypeinfo the CMA-only blocks do not serve GFP_KERNEL', async () => {
    const io = fakeIo({ files: files(['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version']) });
    const code = await check(io, { ...defaults, proc: dir, order: 9, json: false });
    expect(code).toBe(1);
    expect(io.out()).toMatch(/ONLY_RESERVED_BLOCKS/);
    expect(io.out()).toMatch(/only free blocks of order 9 or larger are on the CMA list/);
  });

  it('but they serve a movable request (ALLOC_CMA): free = 45840 - 511 = 45329 > 4000', async () => {
    const io = fakeIo({ files: files(['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version']) });
    const code = await check(io, { ...defaults, proc: dir, order: 9, gfp: 'highuser-movable' });
    expect(code).toBe(0);
    expect(JSON.parse(io.out()).zones[0].steps[0].freePages).toBe(45329);
  });
});

describe('a report as input', () => {
  const report = fixture('reports/2.6.32-dot-header-printk-time.txt');
  it('replays the order and mode the report states, and says which it took', async () => {
    const io = fakeIo({ files: { 'r.log': report } });
    await check(io, { ...defaults, gfp: undefined, files: ['r.log'] });
    const j = JSON.parse(io.out());
    // the header: "page allocation failure. order:4, mode:0x4020"
    expect(j.order).toBe(4);
    expect(j.replayedReport).toMatchObject({ line: 1, order: 4, mode: '0x4020', took: ['order', 'mode'] });
  });
  it('takes only what the user did not give', async () => {
    const io = fakeIo({ files: { 'r.log': report } });
    await check(io, { ...defaults, gfp: undefined, order: 2, files: ['r.log'] });
    expect(JSON.parse(io.out())).toMatchObject({ order: 2, replayedReport: { took: ['mode'] } });
    const io2 = fakeIo({ files: { 'r.log': report } });
    await check(io2, { ...defaults, gfp: 'kernel', order: 2, files: ['r.log'] });
    expect(JSON.parse(io2.out()).replayedReport).toBeUndefined();
  });
});

describe('a reserved highatomic size known only from pagetypeinfo\'s blocks table', () => {
  // fixtures/proc-highatomic-reserved: Normal, pages free 700 (buddy sum 124 + 100 + 100 + 200 + 80 + 32
  // + 64), 200 HighAtomic pageblocks of 4 pages (page block order 2), none of them with a free page.
  const dir = 'fixtures/proc-highatomic-reserved';
  const files = Object.fromEntries(['buddyinfo', 'zoneinfo', 'pagetypeinfo'].map((f) => [`${dir}/${f}`, fixture(`proc-highatomic-reserved/${f}`)]));

  it('--kernel 5.10 --min 690: the kernel subtracts 200 * 4 = 800, so 700 - 800 = -100 <= 690 fails', async () => {
    const io = fakeIo({ files });
    const code = await check(io, { ...defaults, files: Object.keys(files), kernel: { kernel: '5.10' }, min: 690, order: 0 });
    const j = JSON.parse(io.out());
    expect(code).toBe(1);
    expect(j.zones[0]).toMatchObject({ code: 'BELOW_WATERMARK', highatomicPages: 800 });
    expect(j.zones[0].steps[0]).toEqual({ check: 'watermark', freePages: -100, minPages: 690, reservePages: 0, highatomicPages: 800, ok: false });
  });
});

describe('a 3.2 report of GFP_ATOMIC|__GFP_COMP|__GFP_NOMEMALLOC (mode 0x14020)', () => {
  // fixtures/reports/3.2-atomic-nomemalloc-order1.txt: order 1; DMA32 free 3200 kB = 800 pages (200 + 200
  // + 200 + 200 from the free-area line), min 7076 kB = 1769 pages, lowmem_reserve 0. DMA: 4092 kB = 1023
  // pages, min 20 kB = 5 pages, lowmem_reserve[DMA32] = 2991, so DMA fails on any rules.
  const files = { 'r.log': fixture('reports/3.2-atomic-nomemalloc-order1.txt') };
  const replay = async (opts: Partial<CheckOptions>) => {
    const io = fakeIo({ files });
    const code = await check(io, { ...defaults, gfp: undefined, files: ['r.log'], ...opts });
    return { code, j: JSON.parse(io.out()) };
  };

  it('3.2 (the release the log states) withholds ALLOC_HARDER: min 1769 - 884 = 885, and 800 - 1 = 799 <= 885 fails', async () => {
    const { code, j } = await replay({});
    expect(code).toBe(1);
    expect(j).toMatchObject({ kernelRelease: '3.2.0-4-amd64', order: 1, flags: ['ALLOC_WMARK_MIN', 'ALLOC_HIGH'] });
    expect(j.rules).toMatchObject({ algorithm: 'legacy-loop', nomemallocNoHarder: true });
    expect(j.zones[0]).toMatchObject({ zone: 'DMA32', code: 'BELOW_WATERMARK' });
    expect(j.zones[0].steps).toEqual([{ check: 'watermark', freePages: 799, minPages: 885, reservePages: 0, ok: false }]);
  });

  it('--kernel 2.6.37 still gives ALLOC_HARDER: 885 - 221 = 664; 799 > 664, then 799 - 200 = 599 > 664 >> 1 = 332 passes', async () => {
    const { code, j } = await replay({ kernel: { kernel: '2.6.37' } });
    expect(code).toBe(0);
    expect(j.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(j.zones[0].steps).toEqual([
      { check: 'watermark', freePages: 799, minPages: 664, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 599, minPages: 332, ok: true },
    ]);
  });
});

describe('a zone that keeps its lowmem reserve', () => {
  const dir = 'fixtures/proc-x86_64-6.18';
  const files = (zoneinfo: string) => ({
    ...Object.fromEntries(['buddyinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)])),
    [`${dir}/zoneinfo`]: zoneinfo,
  });

  it('is told apart from one short of memory', async () => {
    // DMA with 3000 of its 3840 managed pages free, for a GFP_DMA32 request (index 1): min 66 +
    // protection[DMA32] 3018 = 3084; 3000 > 66 but 3000 <= 3084. It could serve it: 3840 > 3084.
    const io = fakeIo({ files: files(fixture('proc-x86_64-6.18/zoneinfo').replace('pages free     3840', 'pages free     3000')) });
    await check(io, { ...defaults, proc: dir, order: 0, gfp: 'dma32', zone: 'DMA', json: false });
    expect(io.out()).toContain('Node 0, zone DMA: FAIL LOWMEM_RESERVE\n');
    expect(io.out()).toContain('3,000 usable free pages is above min 66 but not above min + reserve 3,084');
    expect(io.out()).toContain('a GFP_DMA32 request must be served from a higher zone');
  });

  it('is NEVER_SERVES when the reserve leaves no room: DMA for GFP_KERNEL', async () => {
    // DMA: managed 3840, min 66, protection[Normal = 2] = 3786: even all 3840 pages free are not above
    // 66 + 3786 = 3852. Shown as such, without a margin.
    const io = fakeIo({ files: files(fixture('proc-x86_64-6.18/zoneinfo')) });
    await check(io, { ...defaults, proc: dir, order: 0, json: false });
    expect(io.out()).toContain('Node 0, zone DMA: NEVER_SERVES (not reached');
    expect(io.out()).toContain('never more than min 66 + lowmem reserve 3,786 = 3,852');
    expect(io.out().slice(io.out().indexOf('zone DMA:'))).not.toContain('Margin');
    const json = fakeIo({ files: files(fixture('proc-x86_64-6.18/zoneinfo')) });
    await check(json, { ...defaults, proc: dir, order: 0, json: true });
    const dma = JSON.parse(json.out()).zones.find((z: { zone: string }) => z.zone === 'DMA');
    expect(dma).toMatchObject({ code: 'NEVER_SERVES', serves: false, servesReason: 'reserve', sizePages: 3840, ceilingPages: 3840 });
    expect(dma).toMatchObject({ watermarks: { min: 66, low: 82, high: 98, boost: 0 }, protection: [0, 3018, 3786, 3786, 3786] });
    expect(dma).toMatchObject({ watermarksSource: 'zoneinfo', largestServableOrder: -1 });
  });
});

describe('what the kernel does next: the issue\'s ten free order-8 blocks at order 9 on 6.1', () => {
  const TEN = 'Node 0, zone   Normal      0      0      0      0      0      0      0      0     10      0      0 \n';
  const args = ['check', '--order', '9', '--min', '1000', '--low', '1250', '--high', '1500', '--kernel', '6.1', '--json'];

  // FI(9) = 1000 - (1000 + 2560*1000/512)/10 = 400; step 2: 2560 > low 1250 + compact_gap 1024 = 2274.
  it('is COMPACTION_SKIPPED_INDEX with the default threshold 500, and says where it came from', async () => {
    const io = fakeIo({ files: { 'ten.txt': TEN } });
    expect(await main([...args, 'ten.txt'], io)).toBe(1);
    const j = JSON.parse(io.out());
    expect(j.next).toMatchObject({ code: 'COMPACTION_SKIPPED_INDEX', era: 'C' });
    expect(j.zones[0].compaction).toMatchObject({ decision: 'skipped-index', fragmentationIndex: 400, extfragThreshold: 500 });
    expect(j.zones[0].compaction.thresholdSource).toBe('the default, 500 in every release');
  });

  it('runs with --extfrag-threshold 399, or a sysctl -a file, or DIR/sys/vm/extfrag_threshold saying so', async () => {
    const opt = fakeIo({ files: { 'ten.txt': TEN } });
    await main([...args, '--extfrag-threshold', '399', 'ten.txt'], opt);
    expect(JSON.parse(opt.out()).zones[0].compaction).toMatchObject({ decision: 'runs', thresholdSource: '--extfrag-threshold' });

    const sysctl = 'kernel.pid_max = 4194304\nvm.dirty_ratio = 20\nvm.extfrag_threshold = 300\nvm.min_free_kbytes = 67584\n';
    const file = fakeIo({ files: { 'ten.txt': TEN, 'sysctl.txt': sysctl } });
    await main([...args, 'ten.txt', 'sysctl.txt'], file);
    expect(JSON.parse(file.out()).zones[0].compaction).toMatchObject({ decision: 'runs', extfragThreshold: 300, thresholdSource: 'sysctl.txt, line 3' });

    const dir = fakeIo({ files: { 'sos/buddyinfo': TEN, 'sos/sys/vm/extfrag_threshold': '300\n' } });
    await main([...args, '--proc', 'sos'], dir);
    expect(JSON.parse(dir.out()).zones[0].compaction).toMatchObject({ decision: 'runs', thresholdSource: 'sos/sys/vm/extfrag_threshold' });
  });

  it('refuses a threshold outside 0-1000', async () => {
    const io = fakeIo({ files: { 'ten.txt': TEN } });
    expect(await main([...args, '--extfrag-threshold', '1001', 'ten.txt'], io)).toBe(2);
    expect(io.err()).toBe('buddyinfo: --extfrag-threshold 1001: expected a whole number from 0 to 1000, e.g. --extfrag-threshold 500.\n');
  });

  it('prints the next step and the zone\'s decision in words', async () => {
    const io = fakeIo({ files: { 'ten.txt': TEN } });
    await main(args.filter((a) => a !== '--json').concat('ten.txt'), io);
    expect(io.out()).toContain('Next: COMPACTION_SKIPPED_INDEX. Direct compaction is skipped in node 0 Normal');
    expect(io.out()).toContain('  Next: compaction skips this zone (era C): fragmentation index 400 (thousandths) against vm.extfrag_threshold 500');
    expect(io.out()).not.toContain('compaction would help');
  });
});

describe('the proactive compaction score (5.9+)', () => {
  const dir = 'fixtures/proc-x86_64-6.18';
  const files = Object.fromEntries(['buddyinfo', 'zoneinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)]));
  it('is in the JSON per node and zone on 6.18, with the proactiveness read from DIR/sys/vm', async () => {
    const io = fakeIo({ files: { ...files, [`${dir}/sys/vm/compaction_proactiveness`]: '0\n' } });
    await main(['check', '--order', '3', '--proc', dir, '--json'], io);
    const p = JSON.parse(io.out()).proactive;
    // proactiveness 0 (6.16+ thresholds): low 100, high min(100 + min(10, 50), 100) = 100; test/analysis/proactive
    // works the node score, 57
    expect(p).toMatchObject({ proactiveness: 0, proactivenessSource: `${dir}/sys/vm/compaction_proactiveness`, low: 100, high: 100 });
    expect(p.nodes[0]).toMatchObject({ node: 0, score: 57, wouldCompact: false });
  });
  it('is absent before 5.9', async () => {
    const io = fakeIo({ files });
    await main(['check', '--order', '3', '--proc', dir, '--json', '--kernel', '5.8'], io);
    expect(JSON.parse(io.out()).proactive).toBeUndefined();
  });
});

describe('the what-if: --min-free-kbytes, --watermark-scale-factor, --lowmem-reserve-ratio', () => {
  const dir = 'fixtures/proc-x86_64-6.18';
  const files = Object.fromEntries(['buddyinfo', 'zoneinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)]));

  it('recomputes every zone from the managed pages and checks against the new marks', async () => {
    const io = fakeIo({ files });
    await main(['check', '--order', '0', '--proc', dir, '--json', '--min-free-kbytes', '16384'], io);
    const j = JSON.parse(io.out());
    // pages_min = 16384/4 = 4096; lowmem = 3840 + 772808 + 196608 = 973256.
    // DMA 4096*3840/973256 = 16, step max(4, 3) = 4; DMA32 3252, step max(813, 772) = 813; Normal 827, step max(206, 196) = 206
    const marks = j.zones.map((z: { zone: string; watermarks: object; watermarksSource: string }) => [z.zone, z.watermarks, z.watermarksSource]);
    expect(marks).toEqual([
      ['Normal', { min: 827, low: 1033, high: 1239, boost: 0 }, 'what-if'],
      ['DMA32', { min: 3252, low: 4065, high: 4878, boost: 0 }, 'what-if'],
      ['DMA', { min: 16, low: 20, high: 24, boost: 0 }, 'what-if'],
    ]);
    expect(j.whatIf.minFreeKbytes).toEqual({ value: 16384, source: '--min-free-kbytes' });
    // no sys/vm in the fixture: the scale factor is inferred from low - min (10 fits every zone), the ratios are the defaults
    expect(j.whatIf.watermarkScaleFactor).toEqual({ value: 10, source: "inferred from the zones' low - min" });
    expect(j.whatIf.lowmemReserveRatio).toEqual({ value: [256, 256, 32, 0, 0], source: 'the defaults for DMA, DMA32, Normal, Movable, Device' });
    // the reserves do not depend on min_free_kbytes: DMA protection[Normal] = (772808 + 196608)/256 = 3786, as read
    expect(j.zones[2].protection).toEqual([0, 3018, 3786, 3786, 3786]);
  });

  it('--lowmem-reserve-ratio 256,256,0,0,0 and 128,... change the reserves; a wrong count is refused', async () => {
    const io = fakeIo({ files });
    await main(['check', '--order', '0', '--proc', dir, '--json', '--lowmem-reserve-ratio', '128,128,32,0,0'], io);
    // DMA: 772808/128 = 6037, (772808 + 196608)/128 = 7573; DMA32: 196608/128 = 1536
    const j = JSON.parse(io.out());
    expect(j.zones.map((z: { protection: number[] }) => z.protection)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 1536, 1536, 1536],
      [0, 6037, 7573, 7573, 7573],
    ]);
    const bad = fakeIo({ files });
    expect(await main(['check', '--order', '0', '--proc', dir, '--lowmem-reserve-ratio', '256,32'], bad)).toBe(2);
    expect(bad.err()).toMatch(/expected 5 values, one per zone type \(DMA, DMA32, Normal, Movable, Device\), found 2/);
  });

  it('--watermark-scale-factor 100 widens low and high; refused before 4.6', async () => {
    const io = fakeIo({ files });
    await main(['check', '--order', '0', '--proc', dir, '--json', '--watermark-scale-factor', '100'], io);
    // min_free_kbytes inferred: the mins 66 + 13416 + 3413 = 16895 pages, and 16896 gives each zone its min
    // (16896*3840/973256 = 66.6, *772808 = 13416.0, *196608 = 3413.2; 16895 gives DMA32 13415). Normal: step
    // max(853, 196608*100/10000 = 1966) = 1966 -> low 5379, high 7345.
    const j = JSON.parse(io.out());
    expect(j.whatIf.minFreeKbytes).toEqual({ value: 67584, source: "inferred from the zones' min marks (16896 pages)" });
    expect(j.zones[0].watermarks).toEqual({ min: 3413, low: 5379, high: 7345, boost: 0 });
    const old = fakeIo({ files });
    expect(await main(['check', '--order', '0', '--proc', dir, '--kernel', '4.5', '--watermark-scale-factor', '100'], old)).toBe(2);
    expect(old.err()).toMatch(/no vm.watermark_scale_factor \(it came in 4.6\)/);
  });
});

describe("the kernel's own vm.min_free_kbytes beside a what-if", () => {
  it('is given for the box the zoneinfo describes', async () => {
    const dir = 'fixtures/proc-x86_64-6.18';
    const files = Object.fromEntries(['buddyinfo', 'zoneinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)]));
    const io = fakeIo({ files });
    await main(['check', '--order', '0', '--proc', dir, '--json', '--min-free-kbytes', '16384'], io);
    // nr_free_buffer_pages = (3840 - 98) + (772808 - 20124) + (196608 - 5119) = 3742 + 752684 + 191489 = 947915 pages
    // = 3791660 kB; int_sqrt(3791660 * 16 = 60666560) = 7788. THP: 512 * 3 * 11 = 16896 pages = 67584 kB (below
    // 947915/20 = 47395 pages).
    expect(JSON.parse(io.out()).whatIf.minFreeDefaults).toEqual({ kernelDefault: 7788, thpRecommended: 67584 });
  });
});

describe('--quiet', () => {
  // Seed 000 under 2.6.32 fails (the loop leaves 765 pages against 884) and under 4.4 passes.
  it.each([
    ['2.6.32', 1],
    ['4.4', 0],
  ])('prints nothing and says the verdict by the exit status alone (--kernel %s: %d)', async (kernel, status) => {
    for (const extra of [[], ['--json'], ['--explain']]) {
      const io = fakeIo({ files: { 'seed.txt': SEED } });
      expect(await main(['check', '--quiet', '--order', '4', '--kernel', kernel, '--min', '1769', ...extra, 'seed.txt'], io)).toBe(status);
      expect(io.out()).toBe('');
      expect(io.err()).toBe('');
    }
  });

  // issue 14: --quiet computes the verdict alone (no next step), so it reads no vm sysctl unless a what-if
  // needs them; its status must still be the full check's. proc-cma-only: the Normal zone's high orders are
  // all CMA, so GFP_KERNEL fails from some order on while a movable request passes.
  it('gives the status of the full check without reading the sysctls the next step needs', async () => {
    for (const name of ['proc-x86_64-6.18', 'proc-cma-only', 'proc-highatomic-reserved']) {
      const files: Record<string, string> = {};
      for (const f of ['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version']) {
        try {
          files[`/p/${f}`] = fixture(`${name}/${f}`);
        } catch {
          // a fixture folder without this file
        }
      }
      files['/p/sys/vm/extfrag_threshold'] = '500\n';
      files['/p/sys/vm/min_free_kbytes'] = '67584\n';
      for (const extra of [[], ['--gfp', 'highuser-movable'], ['--mark', 'low'], ['--min-free-kbytes', '200000']]) {
        for (const order of ['0', '4', '9', '10']) {
          const argv = ['check', '--order', order, '--proc', '/p', ...extra];
          const full = fakeIo({ files });
          const status = await main(argv, full);
          const opened: string[] = [];
          const quiet = fakeIo({ files });
          const read = quiet.readBytes;
          quiet.readBytes = (path) => {
            opened.push(path);
            return read(path);
          };
          expect(await main([...argv, '--quiet'], quiet), `${name} ${argv.join(' ')}`).toBe(status);
          expect(quiet.out()).toBe('');
          const sysctls = opened.filter((f) => f.includes('/sys/vm/'));
          if (extra[0] === '--min-free-kbytes') expect(sysctls.length).toBeGreaterThan(0);
          else expect(sysctls).toEqual([]);
        }
      }
    }
  });

  it('still says what is wrong with the input on standard error, exit 2', async () => {
    const io = fakeIo({ files: { 'seed.txt': SEED } });
    expect(await main(['check', '-q', '--order', '4', 'seed.txt'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^buddyinfo: .*DMA32.*--min/);
  });
});
