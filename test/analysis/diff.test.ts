// Tests for the change between two snapshots, against a real before/after compaction pair worked by hand.

import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/analysis/diff.js';
import type { Snapshot, ZoneFree } from '../../src/model.js';
import { parseBuddyinfo } from '../../src/parse/buddyinfo.js';
import { fixture } from '../helpers/io.js';

/** fixtures/diff-before.txt and diff-after.txt: this machine (6.18) before and after `echo 1 > /proc/sys/vm/compact_memory`. */
const BEFORE = parseBuddyinfo(fixture('diff-before.txt'), 'before')[0] as Snapshot;
const AFTER = parseBuddyinfo(fixture('diff-after.txt'), 'after')[0] as Snapshot;

const zone = (name: string, free: number[], node = 0): ZoneFree => ({ node, zone: name, free, source: 's', line: 1 });

describe('diff of a real compaction', () => {
  const d = diffSnapshots(BEFORE, AFTER, 4096);
  const normal = d.zones[2];

  it('pairs the zones in order and has no notes', () => {
    expect(d.zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/DMA', '0/DMA32', '0/Normal']);
    expect(d.notes).toEqual([]);
  });

  it('DMA and DMA32 did not move', () => {
    expect(d.zones[0]?.delta).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(d.zones[1]?.delta).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // DMA32: 2 + 3*2 + 2*8 + 3*16 + 2*32 + 1*64 + 4*128 + 4*256 + 2*512 + 752*1024
    //     = 2 + 6 + 16 + 48 + 64 + 64 + 512 + 1024 + 1024 + 770048 = 772808
    expect(d.zones[1]?.freePages).toEqual({ before: 772808, after: 772808, delta: 0 });
  });

  it('Normal: blocks per order, after minus before', () => {
    // before 12749 6849 2810 954 1015 490 212 104 60 27 99; after 907 904 337 307 200 135 97 70 62 53 170
    expect(normal?.delta).toEqual([-11842, -5945, -2473, -647, -815, -355, -115, -34, 2, 26, 71]);
    // order 10: 71 blocks of 1024 pages of 4 KiB = 297795584 bytes
    expect(normal?.deltaBytes?.[10]).toBe(71 * 1024 * 4096);
    expect(normal?.deltaPages?.[1]).toBe(-5945 * 2);
  });

  it('Normal: free memory, largest order and the unusable index at order 10', () => {
    // before: 12749 + 13698 + 11240 + 7632 + 16240 + 15680 + 13568 + 13312 + 15360 + 13824 + 101376 = 234679
    // after:  907 + 1808 + 1348 + 2456 + 3200 + 4320 + 6208 + 8960 + 15872 + 27136 + 174080 = 246295
    expect(normal?.freePages).toEqual({ before: 234679, after: 246295, delta: 11616 });
    expect(normal?.freeBytes.delta).toBe(11616 * 4096);
    expect(normal?.largestOrder).toEqual({ before: 10, after: 10, delta: 0 });
    // (234679 - 99*1024)*1000/234679 = 568.02 -> 568; (246295 - 170*1024)*1000/246295 = 293.2 -> 293
    expect(normal?.unusableIndex.before?.[10]).toBe(0.568);
    expect(normal?.unusableIndex.after?.[10]).toBe(0.293);
    expect(normal?.unusableIndex.delta?.[10]).toBe(-0.275);
    // a block of order 10 is free on both sides: the kernel's -1000 on both, no change
    expect(normal?.fragmentationIndex.delta?.[10]).toBe(0);
  });
});

describe('zones on one side only', () => {
  it('lists them with the other side null', () => {
    const d = diffSnapshots(
      { zones: [zone('DMA32', [1, 1]), zone('Normal', [2, 0])] },
      { zones: [zone('Normal', [0, 1]), zone('Movable', [4, 0])] },
      4096,
    );
    expect(d.zones.map((z) => [z.zone, z.only ?? 'both'])).toEqual([
      ['DMA32', 'before'],
      ['Normal', 'both'],
      ['Movable', 'after'],
    ]);
    const gone = d.zones[0];
    expect(gone).toMatchObject({ before: [1, 1], after: null, delta: null, deltaBytes: null });
    expect(gone?.freePages).toEqual({ before: 3, after: null, delta: null });
    expect(gone?.largestOrder).toEqual({ before: 1, after: null, delta: null });
    expect(gone?.unusableIndex.after).toBeNull();
    // Normal: 2 pages in order 0 became one order-1 block: same memory, largest order 0 -> 1
    expect(d.zones[1]).toMatchObject({ delta: [-2, 1], freePages: { before: 2, after: 2, delta: 0 }, largestOrder: { delta: 1 } });
    expect(d.zones[2]).toMatchObject({ before: null, after: [4, 0], freePages: { before: null, after: 4, delta: null } });
  });

  it('tells apart zones of different nodes', () => {
    const d = diffSnapshots({ zones: [zone('Normal', [1], 0)] }, { zones: [zone('Normal', [1], 1)] }, 4096);
    expect(d.zones.map((z) => [z.node, z.only])).toEqual([
      [0, 'before'],
      [1, 'after'],
    ]);
  });

  it('pads a side with fewer orders with zeros and says so', () => {
    const d = diffSnapshots({ zones: [zone('Normal', [1, 1])] }, { zones: [zone('Normal', [1, 1, 1])] }, 4096);
    expect(d.zones[0]?.before).toEqual([1, 1, 0]);
    expect(d.zones[0]?.delta).toEqual([0, 0, 1]);
    expect(d.notes[0]).toMatch(/Node 0, zone Normal has 2 orders before and 3 after/);
  });

  it('largest order is -1 for a zone with no free block', () => {
    const d = diffSnapshots({ zones: [zone('Normal', [0, 2])] }, { zones: [zone('Normal', [0, 0])] }, 4096);
    expect(d.zones[0]?.largestOrder).toEqual({ before: 1, after: -1, delta: -2 });
  });
});
