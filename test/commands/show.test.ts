// `show` through the command line: --format, --output, --by-type and the watermark summary per zone.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { NO_TYPES } from '../../src/format/bytype.js';
import { parseExposition, valueOf } from '../helpers/exposition.js';
import { fakeIo, fixture, type FakeIo } from '../helpers/io.js';

const PROCFS = fixture('buddyinfo-procfs-x86_64.txt');

/** A saved procfs folder from a fixture directory: DIR/buddyinfo, zoneinfo, pagetypeinfo, version. */
function procDir(dir: string, name: string, without: string[] = []): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of ['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version']) {
    if (!without.includes(f)) files[`${dir}/${f}`] = fixture(`${name}/${f}`);
  }
  return files;
}

/** The live /proc of this repository's 6.18 capture. */
const LIVE = procDir('/proc', 'proc-x86_64-6.18', ['version']);

async function run(argv: string[], opts: Parameters<typeof fakeIo>[0] = {}, tweak?: (io: FakeIo) => void) {
  const io = fakeIo(opts);
  tweak?.(io);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err(), files: io.files };
}

/** Makes the live /proc/pagetypeinfo unreadable the way a non-root user finds it on 5.4 and later. */
function pagetypeinfoNeedsRoot(io: FakeIo): void {
  const denied = (path: string): AsyncIterable<never> => ({
    async *[Symbol.asyncIterator]() {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    },
  });
  const open = io.readFile;
  const openBytes = io.readBytes;
  io.readFile = (path) => (path === '/proc/pagetypeinfo' ? denied(path) : open(path));
  io.readBytes = (path) => (path === '/proc/pagetypeinfo' ? denied(path) : openBytes(path));
  io.readable = (path) => path !== '/proc/pagetypeinfo' && io.files.has(path);
}

describe('--format', () => {
  it('json is the same as --json', async () => {
    const a = await run(['--json', 'a.txt'], { files: { 'a.txt': PROCFS } });
    const b = await run(['--format', 'json', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(b.code).toBe(0);
    expect(b.out).toBe(a.out);
  });

  it('table is the default', async () => {
    const a = await run(['a.txt'], { files: { 'a.txt': PROCFS } });
    const b = await run(['--format', 'table', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(b.out).toBe(a.out);
  });

  it('prometheus prints only the exposition on standard output and notes on standard error', async () => {
    const r = await run(['--format', 'prometheus', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.code).toBe(0);
    const m = parseExposition(r.out);
    // DMA order 10: 3 blocks, read off the capture
    expect(valueOf(m, 'buddyinfo_free_blocks', { node: '0', zone: 'DMA', order: '10' })).toBe(3);
    expect(r.err).toMatch(/page size is assumed to be 4 KiB/);
  });

  it('an unknown format is one sentence and exit status 2', async () => {
    const r = await run(['--format', 'yaml', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: --format yaml: expected one of table, json, prometheus, html.\n');
  });

  it('--json with another --format is refused', async () => {
    const r = await run(['--json', '--format', 'prometheus', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--json asks for JSON but --format asks for prometheus/);
  });
});

describe('--output', () => {
  it('writes the file atomically and prints nothing', async () => {
    const r = await run(['--format', 'prometheus', '--output', '/var/lib/node-exporter/buddyinfo.prom', 'a.txt'], {
      files: { 'a.txt': PROCFS },
    });
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const text = r.files.get('/var/lib/node-exporter/buddyinfo.prom') ?? '';
    expect(valueOf(parseExposition(text), 'buddyinfo_free_blocks', { node: '0', zone: 'Normal', order: '0' })).toBe(
      Number(PROCFS.split('\n')[2]?.trim().split(/\s+/)[4]),
    );
  });

  it('never colours a file, even when colour is forced', async () => {
    const r = await run(['--output', 'out.txt', 'a.txt'], { files: { 'a.txt': PROCFS }, env: { FORCE_COLOR: '1' }, stdoutTTY: true });
    expect(r.files.get('out.txt')).toMatch(/Node 0, zone Normal/);
    expect(r.files.get('out.txt')).not.toContain('\u001b[');
  });

  it('a write that fails is one sentence and exit status 2', async () => {
    const r = await run(['--output', 'nowhere/x.prom', 'a.txt'], { files: { 'a.txt': PROCFS } }, (io) => {
      io.writeOutput = async () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      };
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: cannot write nowhere/x.prom: its folder does not exist.\n');
  });
});

describe('the largest passing order per zone (issue 3)', () => {
  // fixtures/proc-x86_64-6.18, GFP_KERNEL on 6.18 (highest zone Normal, index 2 of DMA, DMA32, Normal,
  // Movable, Device):
  //   Normal: pages free 108155, min 3413, low 4266, protection[2] 0; at order 10 free = 108155 - 1023 =
  //     107132 > 4266, and order 10 has 27 Movable blocks: 10 at both marks.
  //   DMA32: 772808 free, protection[2] 768, 752 Movable order-10 blocks: 10 at both marks.
  //   DMA: 3840 free, min 66, low 82, protection[2] 3786: 3840 <= 66 + 3786 = 3852 even at order 0: none.
  it('is in the table header and the JSON for a saved procfs', async () => {
    const files = procDir('sos/proc', 'proc-x86_64-6.18');
    const t = await run(['--proc', 'sos/proc'], { files });
    expect(t.out).toMatch(/Node 0, zone Normal: .*; largest passing order: 10 \(min\), 10 \(low\)\n/);
    // DMA: managed 3840 pages, min 66 + protection[2] 3786 = 3852 >= 3840: no amount of free memory passes
    expect(t.out).toMatch(/Node 0, zone DMA: .*; never serves GFP_KERNEL \(min \+ lowmem_reserve is as large as the zone\)\n/);
    expect(t.out).toMatch(/replaying the rules of 6\.18\.44-fc-v769 \(from sos\/proc\/version\)/);
    expect(t.out).toMatch(/block search is exact/);
    const j = JSON.parse((await run(['--json', '--proc', 'sos/proc'], { files })).out);
    expect(j.zones.map((z: { largestPassingOrder: unknown }) => z.largestPassingOrder)).toEqual([
      { min: -1, low: -1 },
      { min: 10, low: 10 },
      { min: 10, low: 10 },
    ]);
    expect(j.zones[2].listsKnown).toBe(true);
    expect(j.watermarkCheck).toMatchObject({ gfp: 'GFP_KERNEL', kernelRelease: '6.18.44-fc-v769', kernelOrigin: 'input', marks: ['min', 'low'] });
    expect(j.watermarkCheck.rules).toMatchObject({ highatomic: 'free', reserveIndex: 'highest' });
  });

  it('uses a zoneinfo file given alongside the capture', async () => {
    const r = await run(['--json', 'b.txt', 'z.txt'], {
      files: { 'b.txt': fixture('proc-x86_64-6.18/buddyinfo'), 'z.txt': fixture('proc-x86_64-6.18/zoneinfo') },
    });
    const j = JSON.parse(r.out);
    expect(j.zones[2].largestPassingOrder).toEqual({ min: 10, low: 10 });
    // no pagetypeinfo and no release: the newest kernel, and the block search assumed
    expect(j.zones[2].listsKnown).toBe(false);
    expect(j.watermarkCheck).toMatchObject({ kernelRelease: null, kernelOrigin: 'default' });
  });

  it('is exact with pagetypeinfo where buddyinfo alone would pass (only CMA blocks at orders 9 and 10)', async () => {
    // Worked in test/analysis/zonelist-types.test.ts: Movable blocks up to order 3, CMA-only above.
    const exact = JSON.parse((await run(['--json', '--proc', 'p'], { files: procDir('p', 'proc-cma-only') })).out);
    expect(exact.zones[0].largestPassingOrder).toEqual({ min: 3, low: 3 });
    const assumed = JSON.parse((await run(['--json', '--proc', 'p'], { files: procDir('p', 'proc-cma-only', ['pagetypeinfo']) })).out);
    expect(assumed.zones[0].largestPassingOrder).toEqual({ min: 10, low: 10 });
    expect(assumed.notes).toEqual(['Could not read p/pagetypeinfo: carrying on without it.']);
  });

  it('is absent without watermarks', async () => {
    const j = JSON.parse((await run(['--json', 'a.txt'], { files: { 'a.txt': PROCFS } })).out);
    expect(j.zones[0].largestPassingOrder).toBeUndefined();
    expect(j.watermarkCheck).toBeUndefined();
  });

  it('reads the live zoneinfo and the running kernel', async () => {
    const r = await run(['--json'], { files: LIVE, kernel: '6.6.119-09226-gd21866c9e0f4' });
    const j = JSON.parse(r.out);
    expect(j.watermarkCheck).toMatchObject({
      kernelRelease: '6.6.119-09226-gd21866c9e0f4',
      kernelOrigin: 'live',
      kernelFrom: 'the running kernel',
    });
    // a vendor string: the 6.6 series' upstream rules (6.3 flag model, nr_reserved_highatomic), said so
    expect(j.watermarkCheck.rules).toMatchObject({ flags: 'min-reserve', highatomic: 'reserved' });
    expect(j.zones[2].largestPassingOrder).toEqual({ min: 10, low: 10 });
    expect(j.notes).toHaveLength(1);
    expect(j.notes[0]).toMatch(/^6\.6\.119-09226-gd21866c9e0f4 is a distribution or vendor kernel: it is replayed by the upstream rules of 6\.6/);
  });
});

/** A zoneinfo with the sections of the named zones cut out, as if it came from a box without them. */
function zoneinfoWithout(name: string, drop: string[]): string {
  return fixture(name)
    .split(/(?=^Node \d+, zone)/m)
    .filter((section) => !drop.some((d) => new RegExp(`^Node ${d.replace(' ', ', zone +')}\\n`).test(section)))
    .join('');
}

describe('a zoneinfo that covers only some of the zones', () => {
  // fixtures/proc-x86_64-6.18 with Normal's section cut from the zoneinfo, 6.18 rules (no version), GFP_KERNEL,
  // no pagetypeinfo; the reserve index is still Normal's, 2 (of DMA, DMA32, Normal, Movable, Device):
  //   DMA32: free 772808, min 13416, low 16770, protection[2] 768, nr_free_cma 0; order 10: 772808 - 1023 =
  //     771785 > 16770 + 768, and 752 order-10 blocks: 10 at both marks.
  //   DMA: 3840 free <= min 66 + protection[2] 3786 = 3852 (and low 82 + 3786) at order 0: none.
  //   Normal: no watermarks, no verdict.
  const buddy = fixture('proc-x86_64-6.18/buddyinfo');
  const twoOfThree = zoneinfoWithout('proc-x86_64-6.18/zoneinfo', ['0 Normal']);

  it('keeps the verdict of the zones it covers, and one note names the zone it does not', async () => {
    expect(twoOfThree.match(/^Node \d+, zone +(DMA|DMA32|Normal)$/gm)).toHaveLength(2);
    const r = await run(['--json', 'b.txt', 'z.txt'], { files: { 'b.txt': buddy, 'z.txt': twoOfThree } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.zones.map((z: { zone: string; largestPassingOrder?: unknown }) => [z.zone, z.largestPassingOrder])).toEqual([
      ['DMA', { min: -1, low: -1 }],
      ['DMA32', { min: 10, low: 10 }],
      ['Normal', undefined],
    ]);
    expect(j.zones[2].watermarkOk).toBeUndefined();
    expect(j.zones[1].watermarkOk.min).toHaveLength(11);
    expect(j.watermarkCheck).toMatchObject({ gfp: 'GFP_KERNEL', kernelRelease: null, marks: ['min', 'low'] });
    expect(j.notes.filter((n: string) => /watermark/i.test(n))).toEqual([
      'No watermarks are known for node 0 Normal, so it has no watermark verdict: give a zoneinfo from the same box as the buddyinfo, which covers every zone.',
    ]);
  });

  it('the table says the same', async () => {
    const r = await run(['b.txt', 'z.txt'], { files: { 'b.txt': buddy, 'z.txt': twoOfThree } });
    expect(r.out).toMatch(/Node 0, zone DMA32: .*; largest passing order: 10 \(min\), 10 \(low\)\n/);
    expect(r.out).toMatch(/Node 0, zone Normal: [^\n]*\n/);
    expect(/Node 0, zone Normal: [^\n]*\n/.exec(r.out)?.[0]).not.toContain('largest passing order');
    expect(r.out).toContain('No watermarks are known for node 0 Normal');
  });

  it('names every zone it does not cover', async () => {
    const one = zoneinfoWithout('proc-x86_64-6.18/zoneinfo', ['0 DMA32', '0 Normal']);
    const j = JSON.parse((await run(['--json', 'b.txt', 'z.txt'], { files: { 'b.txt': buddy, 'z.txt': one } })).out);
    expect(j.zones.map((z: { largestPassingOrder?: unknown }) => z.largestPassingOrder)).toEqual([{ min: -1, low: -1 }, undefined, undefined]);
    expect(j.notes).toContain(
      'No watermarks are known for node 0 DMA32 and node 0 Normal, so they have no watermark verdict: give a zoneinfo from the same box as the buddyinfo, which covers every zone.',
    );
  });

  it('two nodes: node 1 Normal uncovered leaves node 0 Normal its verdict, the same as with the whole zoneinfo', async () => {
    // buddyinfo-two-node with zoneinfo-x86_64-4.4-two-node, 6.18 rules, reserve index 2 (Normal):
    //   node 0 Normal: free 80231, min 2328, low 2910, protection[2] 0; blocks up to order 8 (2 of them):
    //     80231 - 255 = 79976 > 2910: 8 at both marks; no block of order 9 or more.
    //   node 0 DMA32: free 512004, low 653, protection[2] 12968; 512004 - 1023 > 13621, 578 order-10 blocks: 10.
    //   node 0 DMA: free 3968 <= min 2 + protection[2] 15882: none.
    const files = {
      'b.txt': fixture('buddyinfo-two-node.txt'),
      'z.txt': zoneinfoWithout('zoneinfo-x86_64-4.4-two-node.txt', ['1 Normal']),
      'all.txt': fixture('zoneinfo-x86_64-4.4-two-node.txt'),
    };
    // The two fixtures are not one box (node 1 Normal: 66702 free pages by the buddyinfo, 1203300 by the
    // zoneinfo): --force reads them together, which is all this test needs.
    const part = JSON.parse((await run(['--json', '--force', 'b.txt', 'z.txt'], { files })).out);
    const whole = JSON.parse((await run(['--json', '--force', 'b.txt', 'all.txt'], { files })).out);
    type Z = { node: number; zone: string; largestPassingOrder?: Record<string, number>; watermarkOk?: unknown };
    expect(part.zones.map((z: Z) => [z.node, z.zone, z.largestPassingOrder])).toEqual([
      [0, 'DMA', { min: -1, low: -1 }],
      [0, 'DMA32', { min: 10, low: 10 }],
      [0, 'Normal', { min: 8, low: 8 }],
      [1, 'Normal', undefined],
    ]);
    // a zone's verdict does not depend on whether another zone's watermarks are known
    for (const i of [0, 1, 2]) {
      expect(part.zones[i].largestPassingOrder).toEqual(whole.zones[i].largestPassingOrder);
      expect(part.zones[i].watermarkOk).toEqual(whole.zones[i].watermarkOk);
    }
    expect(whole.zones[3].largestPassingOrder).toBeDefined();
    expect(part.notes.filter((n: string) => /watermark/i.test(n))).toEqual([
      'No watermarks are known for node 1 Normal, so it has no watermark verdict: give a zoneinfo from the same box as the buddyinfo, which covers every zone.',
    ]);
    expect(whole.notes.filter((n: string) => /watermark/i.test(n))).toEqual([]);
  });
});

describe('--by-type', () => {
  it('shows free blocks per order and migratetype, and pageblocks per type', async () => {
    const r = await run(['--by-type', '--proc', 'p'], { files: procDir('p', 'proc-cma-only') });
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const header = lines.find((l) => l.includes('Unmovable')) ?? '';
    expect(header.split('│').map((c) => c.trim()).filter((c) => c !== '')).toEqual([
      'order', 'block', 'Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate', 'all types', 'buddyinfo',
    ]);
    const row = (first: string) =>
      (lines.find((l) => l.split('│')[1]?.trim() === first) ?? '').split('│').slice(1, -1).map((c) => c.trim());
    // order 10: 8 CMA blocks of 4 MiB, nothing else; buddyinfo agrees
    expect(row('10')).toEqual(['10', '4 MiB', '0', '0', '0', '0', '8', '0', '8', '8']);
    expect(row('0')).toEqual(['0', '4 KiB', '0', '20,000', '0', '0', '0', '0', '20,000', '20,000']);
    // CMA holds 4*2 MiB + 8*4 MiB = 40 MiB; pageblocks 40 + 300 + 20 + 0 + 128 + 0 = 488
    expect(row('free')[6]).toBe('40 MiB');
    expect(row('pageblocks')).toEqual(['pageblocks', '', '40', '300', '20', '0', '128', '0', '488', '']);
  });

  it('marks a capped pagetypeinfo cell as a lower bound', async () => {
    const ptype = fixture('pagetypeinfo-arm64-6.2-cma-capped-page-owner.txt');
    const capped = /type\s+(\S+)((?:\s+>?\d+)+)/
      .exec(ptype.split('\n').find((l) => l.includes('>')) ?? '');
    const zone = /zone\s+(\S+),/.exec(ptype.split('\n').find((l) => l.includes('>')) ?? '')?.[1] ?? '';
    const cells = capped?.[2]?.trim().split(/\s+/) ?? [];
    const buddy = `Node 0, zone ${zone} ${cells.map(() => '1').join(' ')}\n`;
    // A buddyinfo of ones beside a real pagetypeinfo is not one box: --force reads them together for the table.
    const r = await run(['--by-type', '--force', 'b.txt', 't.txt'], { files: { 'b.txt': buddy, 't.txt': ptype } });
    expect(r.code).toBe(0);
    const k = cells.findIndex((c) => c.startsWith('>'));
    expect(k).toBeGreaterThanOrEqual(0);
    const orderRow = r.out.split('\n').find((l) => l.split('│')[1]?.trim() === String(k) && l.includes('>100,000'));
    expect(orderRow).toBeDefined();
  });

  it('without pagetypeinfo says where the counts come from on standard error, and exits 2', async () => {
    const r = await run(['--by-type', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`buddyinfo: --by-type: ${NO_TYPES}\n`);
  });

  it('live without root says "run as root" on standard error, prints nothing, and exits 2', async () => {
    const r = await run(['--by-type'], { files: LIVE }, pagetypeinfoNeedsRoot);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'buddyinfo: --by-type needs /proc/pagetypeinfo, which only root may read from 5.4 on: run as root (sudo buddyinfo --by-type), or give a saved pagetypeinfo beside a buddyinfo.\n',
    );
  });

  it('--by-type --json without root exits 2 too: the view was asked for', async () => {
    const r = await run(['--by-type', '--json'], { files: LIVE }, pagetypeinfoNeedsRoot);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/run as root/);
  });

  it('live as root reads /proc/pagetypeinfo', async () => {
    const r = await run(['--by-type'], { files: LIVE });
    expect(r.out).not.toMatch(/needs root/);
    expect(r.out).toMatch(/Isolate/);
  });

  it('the plain table live without root does not ask for pagetypeinfo, and says the block search is assumed', async () => {
    const r = await run([], { files: LIVE }, pagetypeinfoNeedsRoot);
    expect(r.out).not.toMatch(/needs root/);
    expect(r.out).toMatch(/block search assumes/);
  });

  /** Counts the opens of the live /proc/pagetypeinfo. */
  function countPagetypeinfo(io: FakeIo, seen: { opens: number }): void {
    const openBytes = io.readBytes;
    io.readBytes = (path) => {
      if (path === '/proc/pagetypeinfo') seen.opens++;
      return openBytes(path);
    };
  }

  // issue 14: making /proc/pagetypeinfo walks every pageblock of the box; the plain table and JSON leave it
  // out live even as root, and say that the block search assumed.
  it('the plain table live as root leaves pagetypeinfo out and says how to get the exact test', async () => {
    const seen = { opens: 0 };
    const r = await run([], { files: LIVE }, (io) => countPagetypeinfo(io, seen));
    expect(r.code).toBe(0);
    expect(seen.opens).toBe(0);
    expect(r.out).toMatch(/This table leaves out \/proc\/pagetypeinfo .*so the block search assumes .*`buddyinfo check --order N` reads it, as root, for the exact test\./);
  });

  it('--json live as root leaves pagetypeinfo out: no per-type counts, lists unknown, and it says so', async () => {
    const seen = { opens: 0 };
    const j = JSON.parse((await run(['--json'], { files: LIVE }, (io) => countPagetypeinfo(io, seen))).out);
    expect(seen.opens).toBe(0);
    expect(j.watermarkCheck.pagetypeinfoSkipped).toBe(true);
    expect(j.zones.map((z: { listsKnown?: boolean }) => z.listsKnown)).toEqual([false, false, false]);
    expect(j.zones.some((z: { types?: unknown }) => z.types !== undefined)).toBe(false);
  });

  it('--by-type, Prometheus and check read pagetypeinfo live, and their block search is exact', async () => {
    for (const argv of [['--by-type', '--json'], ['--format', 'prometheus'], ['check', '--order', '4', '--json']]) {
      const seen = { opens: 0 };
      const r = await run(argv, { files: LIVE }, (io) => countPagetypeinfo(io, seen));
      expect(r.code, argv.join(' ')).toBe(0);
      expect(seen.opens, argv.join(' ')).toBe(1);
      expect(r.out).not.toMatch(/pagetypeinfoSkipped/);
    }
    const m = parseExposition((await run(['--format', 'prometheus'], { files: LIVE })).out);
    expect(valueOf(m, 'buddyinfo_watermark_lists_known', { node: '0', zone: 'Normal' })).toBe(1);
  });

  it('a saved procfs is read whole: the table of --proc DIR is exact', async () => {
    const r = await run(['--json', '--proc', 'sos/proc'], { files: procDir('sos/proc', 'proc-x86_64-6.18') });
    const j = JSON.parse(r.out);
    expect(j.watermarkCheck.pagetypeinfoSkipped).toBeUndefined();
    expect(j.zones[2].listsKnown).toBe(true);
  });

  it('Prometheus live without root says it on standard error only', async () => {
    const r = await run(['--format', 'prometheus'], { files: LIVE }, pagetypeinfoNeedsRoot);
    expect(r.code).toBe(0);
    expect(r.err).toBe('buddyinfo: Could not read /proc/pagetypeinfo: the per-type view needs root. Carrying on without it.\n');
    const m = parseExposition(r.out);
    expect(valueOf(m, 'buddyinfo_watermark_lists_known', { node: '0', zone: 'Normal' })).toBe(0);
  });
});

describe('--by-type with a pagetypeinfo alone', () => {
  it('has no buddyinfo column: its counts are the pagetypeinfo\'s own sums, and the JSON says so', async () => {
    const alone = fakeIo({ files: { 'p.txt': fixture('pagetypeinfo-x86_64-2.6.32.txt') } });
    expect(await main(['--by-type', 'p.txt'], alone)).toBe(0);
    const head = alone.out().split('\n').find((l) => l.includes('order') && l.includes('all types')) ?? '';
    expect(head).not.toContain('buddyinfo');
    const json = fakeIo({ files: { 'p.txt': fixture('pagetypeinfo-x86_64-2.6.32.txt') } });
    expect(await main(['--json', 'p.txt'], json)).toBe(0);
    expect(JSON.parse(json.out()).countsFromTypes).toBe(true);
    const both = fakeIo({ files: { 'b.txt': fixture('proc-x86_64-6.18/buddyinfo'), 'p.txt': fixture('proc-x86_64-6.18/pagetypeinfo') } });
    expect(await main(['--by-type', 'b.txt', 'p.txt'], both)).toBe(0);
    expect(both.out()).toMatch(/│ all types │ buddyinfo │/);
  });
});
