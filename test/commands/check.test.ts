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
    expect(r.out).toContain('compaction would help');
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
    expect(zero.err().split('\n')[0]).toBe(
      'buddyinfo: option \'--size <bytes>\' argument \'0\' is invalid. expected a size of at least 1 byte such as 4096, 64K or 2M, found "0".',
    );
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
  it('is told apart from one short of memory', async () => {
    const dir = 'fixtures/proc-x86_64-6.18';
    const io = fakeIo({
      files: Object.fromEntries(['buddyinfo', 'zoneinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)])),
    });
    await check(io, { ...defaults, proc: dir, order: 0, json: false });
    // DMA: pages free 3840, order 0 subtracts nothing; min 66; protection[Normal = 2] = 3786:
    // 3840 > 66, but 3840 <= 66 + 3786 = 3852
    expect(io.out()).toContain('3,840 usable free pages is above min 66 but not above min + reserve 3,852');
    expect(io.out()).toContain('a GFP_KERNEL request must be served from a higher zone');
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

  it('still says what is wrong with the input on standard error, exit 2', async () => {
    const io = fakeIo({ files: { 'seed.txt': SEED } });
    expect(await main(['check', '-q', '--order', '4', 'seed.txt'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^buddyinfo: .*DMA32.*--min/);
  });
});
