// `watch --order`: when /proc/pagetypeinfo is read again, and that reusing a read never changes a verdict.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { mustReread } from '../../src/commands/watch.js';
import type { ZoneTypes } from '../../src/model.js';
import { fakeIo, fixture, type FakeIo } from '../helpers/io.js';

/** A live /proc from a fixture folder whose buddyinfo moves to the next sample at each sleep; counts pagetypeinfo reads. */
function live(dir: string, samples: string[], step = 1000): FakeIo & { typeReads: () => number } {
  const files: Record<string, string> = { '/proc/buddyinfo': samples[0] ?? '' };
  for (const f of ['zoneinfo', 'pagetypeinfo']) files[`/proc/${f}`] = fixture(`${dir}/${f}`);
  const io = fakeIo({ files, kernel: '6.18.0' });
  let reads = 0;
  const open = io.readBytes;
  io.readBytes = (path) => {
    if (path === '/proc/pagetypeinfo') reads++;
    return open(path);
  };
  let clock = 1_700_000_000_000;
  let i = 0;
  io.now = () => clock;
  io.sleep = async () => {
    clock += step;
    i++;
    io.files.set('/proc/buddyinfo', samples[i % samples.length] ?? '');
  };
  return Object.assign(io, { typeReads: () => reads });
}

/** Buddyinfo samples of the fixture's zones: its own counts, then orders 4 and up emptied one by one. */
function samples(dir: string): string[] {
  const base = fixture(`${dir}/buddyinfo`);
  const out = [base];
  for (let from = 10; from >= 4; from--) {
    out.push(
      base.replace(/^(Node \d+, zone\s+\S+)((?:\s+\d+)+)\s*$/gm, (_, head: string, counts: string) => {
        const n = counts.trim().split(/\s+/).map((c, o) => (o >= from ? '0' : c));
        return `${head} ${n.map((c) => c.padStart(6)).join(' ')} `;
      }),
    );
  }
  return out;
}

/**
 * The fixture's pagetypeinfo made to agree with a buddyinfo sample: each zone's free blocks all on the
 * Movable list (its "Number of blocks type" census kept: no CMA, HighAtomic or Isolate pageblocks).
 */
function typesFor(sample: string): string {
  const counts = new Map<string, string[]>();
  for (const m of sample.matchAll(/^Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/gm)) counts.set(`${m[1]} ${m[2]}`, (m[3] ?? '').trim().split(/\s+/));
  return fixture('proc-x86_64-6.18/pagetypeinfo').replace(/^(Node\s+(\d+), zone\s+(\S+), type\s+(\S+))((?:\s+\d+)+)\s*$/gm, (_, head: string, node: string, zone: string, type: string, cells: string) => {
    const free = counts.get(`${node} ${zone}`) ?? [];
    const row = cells.trim().split(/\s+/).map((_c, o) => (type === 'Movable' ? (free[o] ?? '0') : '0'));
    return `${head} ${row.map((c) => c.padStart(6)).join(' ')} `;
  });
}

/** The verdict lines of a run, one per zone per sample. */
const verdicts = (io: FakeIo): string[] => io.out().split('\n').filter((l) => l !== '').map((l) => l.replace(/^time=\S+ /, ''));

describe('watch --order and /proc/pagetypeinfo', () => {
  it('reuses a read whose zones hold only Unmovable, Movable and Reclaimable blocks, for up to a minute', async () => {
    // proc-x86_64-6.18: "Number of blocks type" has HighAtomic 0 and Isolate 0 in DMA, DMA32 and Normal.
    const io = live('proc-x86_64-6.18', samples('proc-x86_64-6.18'));
    expect(await main(['watch', '--order', '4', '--count', '70'], io)).toBe(0);
    // samples at 0, 1, ..., 69 s: read at 0 s, then reused until 60 s have passed: read again at 60 s
    expect(io.typeReads()).toBe(2);
  });

  it('reads every sample when a zone has CMA or HighAtomic pageblocks, or when the read gave nothing', async () => {
    for (const dir of ['proc-cma-only', 'proc-highatomic-reserved']) {
      const io = live(dir, samples(dir));
      await main(['watch', '--order', '4', '--count', '5'], io);
      expect(io.typeReads(), dir).toBe(5);
    }
    const denied = live('proc-x86_64-6.18', samples('proc-x86_64-6.18'));
    denied.files.delete('/proc/pagetypeinfo');
    await main(['watch', '--order', '4', '--count', '5'], denied);
    expect(denied.typeReads()).toBe(5);
  });

  it('gives every sample the verdict a fresh read gives, as orders empty one by one', async () => {
    const list = samples('proc-x86_64-6.18');
    const reused = live('proc-x86_64-6.18', list);
    reused.files.set('/proc/pagetypeinfo', typesFor(list[0] ?? ''));
    await main(['watch', '--order', '4', '--count', String(list.length)], reused);
    expect(reused.typeReads()).toBe(1);
    // Each sample alone, with a pagetypeinfo read with it (its lists agreeing with its counts), while the
    // run above reused the first sample's read throughout.
    const fresh: string[] = [];
    for (const [k, s] of list.entries()) {
      const one = live('proc-x86_64-6.18', [s]);
      one.files.set('/proc/pagetypeinfo', typesFor(s));
      await main(['watch', '--order', '4', '--count', '1'], one);
      fresh.push(...verdicts(one).map((l) => l.replace(/^sample=1 /, `sample=${k + 1} `)));
    }
    const got = verdicts(reused).map((l) => l.replace(/ since_last=\S+ since_first=\S+/, ''));
    expect(got).toEqual(fresh);
    // the samples reach both answers: order 4 passes at first and fails once orders 4 and up are empty
    expect(got.some((l) => / check=PASS$/.test(l))).toBe(true);
    expect(got.some((l) => / check=(?!PASS)\S+$/.test(l))).toBe(true);
  });

  it('mustReread: none read, nothing read, older than a minute, or a type the request cannot take from', () => {
    const zone = (blocks: Record<string, number> | undefined, free: Record<string, number[]> = {}): ZoneTypes => ({
      node: 0,
      zone: 'Normal',
      free: Object.fromEntries(Object.entries(free).map(([t, c]) => [t, c.map((count) => ({ count, atLeast: false }))])),
      ...(blocks === undefined ? {} : { blocks }),
      source: 'p',
      line: 1,
    });
    const plain = zone({ Unmovable: 3, Movable: 30, Reclaimable: 2, HighAtomic: 0, Isolate: 0 }, { Movable: [5, 1], HighAtomic: [0, 0] });
    expect(mustReread(undefined, 0)).toBe(true);
    expect(mustReread({ at: 0, types: [] }, 1)).toBe(true);
    expect(mustReread({ at: 0, types: [plain] }, 59_999)).toBe(false);
    expect(mustReread({ at: 0, types: [plain] }, 60_000)).toBe(true);
    expect(mustReread({ at: 0, types: [plain, zone({ Movable: 10, CMA: 1 })] }, 1)).toBe(true);
    expect(mustReread({ at: 0, types: [zone({ Movable: 10, HighAtomic: 1 })] }, 1)).toBe(true);
    expect(mustReread({ at: 0, types: [zone({ Movable: 10 }, { Isolate: [0, 1] })] }, 1)).toBe(true);
    expect(mustReread({ at: 0, types: [zone({ Movable: 10, Reserve: 2 })] }, 1)).toBe(true);
    // no "Number of blocks type" table: nothing says which pageblocks exist
    expect(mustReread({ at: 0, types: [zone(undefined, { Movable: [1] })] }, 1)).toBe(true);
  });
});
