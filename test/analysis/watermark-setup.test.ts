// How the kernel sets the marks and reserves (kernel.md 5.2, 5.3): by hand, on real zoneinfo, and on this machine.

import { existsSync, readFileSync } from 'node:fs';
import { release as osRelease } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultRatios, nodeReserves, perZoneMarks, setupWatermarks } from '../../src/analysis/watermark-setup.js';
import { inferPagesMin, inferScaleFactor, whatIf } from '../../src/analysis/what-if.js';
import { layoutOf } from '../../src/analysis/zonelist.js';
import { zoneLayout } from '../../src/analysis/zone-layout.js';
import type { ZoneWatermarks } from '../../src/model.js';
import { parseZoneinfo } from '../../src/parse/zoneinfo.js';
import { fixture } from '../helpers/io.js';
import { kernel, rules } from '../helpers/kernel.js';

const zone = (name: string, managed: number, over: Partial<ZoneWatermarks> = {}): ZoneWatermarks => ({
  node: 0,
  zone: name,
  min: 0,
  low: 0,
  high: 0,
  managed,
  source: 't',
  line: 1,
  ...over,
});

describe('__setup_per_zone_wmarks (kernel.md 5.2)', () => {
  // The zones of this project's 6.18 VM (kernel.md 1b): DMA 3840, DMA32 772850, Normal 2654208 managed pages,
  // empty Movable and Device; vm.min_free_kbytes 67584 (THP's recommendation), watermark_scale_factor 10.
  const ZONES = [zone('DMA', 3840), zone('DMA32', 772850), zone('Normal', 2654208), zone('Movable', 0), zone('Device', 0)];

  it('6.18: shares of pages_min 16896 over lowmem 3430898, step max(share/4, managed/1000)', () => {
    const m = perZoneMarks(ZONES, rules('6.18'), { minFreeKbytes: 67584, watermarkScaleFactor: 10 }, 4096);
    // DMA: 16896*3840/3430898 = 18.9 -> 18; step max(4, 3) = 4. DMA32: 3806.0 -> 3806; max(951, 772) = 951.
    // Normal: 13071.0 -> 13071; max(3267, 2654) = 3267. Movable (like HighMem from 6.6): clamp(0, 32, 128) = 32.
    expect(m.map((z) => [z.min, z.low, z.high, z.promo])).toEqual([
      [18, 22, 26, 30],
      [3806, 4757, 5708, 6659],
      [13071, 16338, 19605, 22872],
      [32, 32, 32, 32],
      [0, 0, 0, 0],
    ]);
  });

  it('4.5 has no scale factor: low = min + share/4, high = min + share/2', () => {
    const m = perZoneMarks(ZONES.slice(0, 3), rules('4.5'), { minFreeKbytes: 67584, watermarkScaleFactor: 10 }, 4096);
    // Normal: 13071 + 3267 = 16338, 13071 + 6535 = 19606
    expect(m[2]).toMatchObject({ min: 13071, low: 16338, high: 19606 });
    expect(m[2]?.promo).toBeUndefined();
  });

  it('a populated Movable zone takes a share before 6.6 and is clamped like HighMem after', () => {
    const z = [zone('Normal', 1000000), zone('Movable', 1000000)];
    // 6.5: lowmem 2000000, each 16896*1000000/2000000 = 8448. 6.6: lowmem 1000000, Normal 16896, Movable clamp(976, 32, 128) = 128
    expect(perZoneMarks(z, rules('6.5'), { minFreeKbytes: 67584, watermarkScaleFactor: 10 }, 4096).map((x) => x.min)).toEqual([8448, 8448]);
    expect(perZoneMarks(z, rules('6.6'), { minFreeKbytes: 67584, watermarkScaleFactor: 10 }, 4096).map((x) => x.min)).toEqual([16896, 128]);
  });

  it('pages_min is min_free_kbytes in pages: 65536 kB with 64 KiB pages is 1024 pages', () => {
    expect(perZoneMarks([zone('Normal', 100000)], rules('6.18'), { minFreeKbytes: 65536, watermarkScaleFactor: 10 }, 65536)[0]?.min).toBe(1024);
  });
});

describe('setup_per_zone_lowmem_reserve (kernel.md 5.3)', () => {
  it('5.11+: every upper zone counted; 6.10-6.13 zero the entries of an empty upper zone', () => {
    // DMA: 700000/256 = 2734, (700000 + 2600000)/256 = 12890; DMA32: 2600000/32... no: DMA32's ratio is 256:
    // 2600000/256 = 10156; Normal's ratio 32 over empty Movable and Device: 0.
    const pages = [4000, 700000, 2600000, 0, 0];
    const ratios = [256, 256, 32, 0, 0];
    expect(nodeReserves(pages, ratios, 'managed-upper')).toEqual([
      [0, 2734, 12890, 12890, 12890],
      [0, 0, 10156, 10156, 10156],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(nodeReserves(pages, ratios, 'empty-upper-zero')[0]).toEqual([0, 2734, 12890, 0, 0]);
  });

  it('5.8-5.10 leave HighMem (ratio 0) out of the sum for zones below it; before and after, it counts', () => {
    // 32-bit: DMA 4000, Normal 200000, HighMem 800000, Movable 0; ratios 256, 32, 0, 0.
    // DMA's entry for Movable: 5.8 = (Movable 0 + Normal 200000)/256 = 781; <= 5.7 and 5.11+ = 1000000/256 = 3906.
    const pages = [4000, 200000, 800000, 0];
    const ratios = [256, 32, 0, 0];
    expect(nodeReserves(pages, ratios, 'skip-empty-lower')[0]).toEqual([0, 781, 3906, 781]);
    expect(nodeReserves(pages, ratios, 'ratio-0-none')[0]).toEqual([0, 781, 3906, 3906]);
    expect(nodeReserves(pages, ratios, 'managed-upper')[0]).toEqual([0, 781, 3906, 3906]);
    // Normal: 800000/32 = 25000 for HighMem and Movable
    expect(nodeReserves(pages, ratios, 'ratio-0-none')[1]).toEqual([0, 0, 25000, 25000]);
  });

  it('up to 4.16 a ratio below 1 is forced to 1; from 4.17 it means no reserve', () => {
    const pages = [4000, 200000, 800000, 0];
    expect(nodeReserves(pages, [256, 0, 32], 'ratio-at-least-1')[1]).toEqual([0, 0, 800000, 800000]);
    expect(nodeReserves(pages, [256, 0, 32, 0], 'ratio-0-none')[1]).toEqual([0, 0, 0, 0]);
  });

  it('default ratios follow the zone types and the era', () => {
    const x86 = zoneLayout(['DMA', 'DMA32', 'Normal'], { reserveLength: 5 });
    expect(defaultRatios(x86, rules('6.18'))).toEqual([256, 256, 32, 0, 0]);
    const i386 = zoneLayout(['DMA', 'Normal', 'HighMem'], { reserveLength: 4 });
    expect(defaultRatios(i386, rules('4.16'))).toEqual([256, 32, 32]);
    expect(defaultRatios(i386, rules('4.17'))).toEqual([256, 32, 0, 0]);
  });
});

describe('recomputing real zoneinfo captures (their kernels computed the marks; the sysctls are inferred)', () => {
  it('fixtures/proc-x86_64-6.18: every min, low, high, promo and protection', () => {
    const zones = parseZoneinfo(fixture('proc-x86_64-6.18/zoneinfo'), 'z').zones;
    const r = rules('6.18');
    const layout = layoutOf({ zones: [], watermarks: zones });
    const pm = inferPagesMin(zones, r);
    const wsf = inferScaleFactor(zones, r);
    expect(wsf).toBe(10);
    const out = setupWatermarks(zones, r, layout, { minFreeKbytes: (pm ?? 0) * 4, watermarkScaleFactor: 10, lowmemReserveRatio: [256, 256, 32, 0, 0] }, 4096);
    const marks = (l: ZoneWatermarks[]) => l.map((w) => [w.zone, w.min, w.low, w.high, w.promo, w.lowmemReserve]);
    expect(marks(out)).toEqual(marks(zones));
  });

  it('fixtures/zoneinfo-x86_64-4.4-two-node.txt: both nodes, 4.4 rules (managed sizes, wsf absent before 4.6)', () => {
    const zones = parseZoneinfo(fixture('zoneinfo-x86_64-4.4-two-node.txt'), 'z').zones;
    const r = rules('4.4');
    const layout = layoutOf({ zones: [], watermarks: zones });
    const pm = inferPagesMin(zones, r);
    expect(pm).toBeDefined();
    const out = setupWatermarks(zones, r, layout, { minFreeKbytes: (pm ?? 0) * 4, watermarkScaleFactor: 0, lowmemReserveRatio: defaultRatios(layout, r) }, 4096);
    const marks = (l: ZoneWatermarks[]) => l.map((w) => [w.node, w.zone, w.min, w.low, w.high, w.lowmemReserve]);
    expect(marks(out)).toEqual(marks(zones));
  });
});

describe('this machine: the live sysctls reproduce the live zoneinfo exactly', () => {
  const files = ['/proc/zoneinfo', '/proc/sys/vm/min_free_kbytes', '/proc/sys/vm/watermark_scale_factor', '/proc/sys/vm/lowmem_reserve_ratio'];
  const readable = (f: string): boolean => {
    try {
      readFileSync(f, 'utf8');
      return true;
    } catch {
      return false;
    }
  };
  const why =
    process.platform !== 'linux'
      ? 'not Linux'
      : files.filter((f) => !existsSync(f) || !readable(f)).map((f) => `${f} is not readable`).join(', ') || undefined;
  if (why !== undefined) process.stdout.write(`watermark-setup.test.ts: skipping the live what-if: ${why}\n`);
  it.skipIf(why !== undefined)(`min, low, high, promo and protection of every zone${why ? ` (skipped: ${why})` : ''}`, () => {
    const zones = parseZoneinfo(readFileSync('/proc/zoneinfo', 'utf8'), '/proc/zoneinfo').zones;
    const sysctls = Object.fromEntries(
      files.slice(1).map((f) => [`vm.${f.split('/').pop() as string}`, { value: readFileSync(f, 'utf8'), origin: f }]),
    );
    const k = kernel(osRelease());
    const w = whatIf(zones, {}, { rules: k.rules, layout: layoutOf({ zones: [], watermarks: zones }), pageSize: 4096, sysctls });
    expect(w.minFreeKbytes.source).toBe('/proc/sys/vm/min_free_kbytes');
    expect(w.watermarkScaleFactor.source).toBe('/proc/sys/vm/watermark_scale_factor');
    expect(w.lowmemReserveRatio.source).toBe('/proc/sys/vm/lowmem_reserve_ratio');
    // the live marks include the boost (kernel.md 1b); the recomputation adds the same boost back
    const marks = (l: ZoneWatermarks[]) => l.map((z) => [z.node, z.zone, z.min, z.low, z.high, z.promo, z.lowmemReserve]);
    expect(marks(w.watermarks)).toEqual(marks(zones));
  });
});
