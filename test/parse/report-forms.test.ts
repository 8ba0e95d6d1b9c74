// The report line forms real pastes carry (issue 12), each on lines written in that form; kB / page size worked in comments.

import { describe, expect, it } from 'vitest';
import { parseReports } from '../../src/parse/report.js';
import type { FailureReport, ReportZone } from '../../src/parse/report-types.js';

const reports = (text: string): FailureReport[] => parseReports(text, 'paste').reports;
const one = (text: string): FailureReport => {
  const all = reports(text);
  expect(all).toHaveLength(1);
  return all[0] as FailureReport;
};
const zone = (r: FailureReport, name: string, node = 0): ReportZone => {
  const z = r.zones.find((x) => x.zone === name && x.node === node);
  if (z === undefined) throw new Error(`no zone ${node}/${name}`);
  return z;
};

/** A 2.6-era zone pair: free 8128 kB / 4 = 2032 pages. */
const OLD_ZONES = [
  'Node 0 DMA free:8128kB min:2624kB low:3264kB high:3904kB active:0kB inactive:0kB present:16384kB pages_scanned:0 all_unreclaimable? yes',
  'lowmem_reserve[]: 0 0 0 0',
  'Node 0 DMA32 free:0kB min:0kB low:0kB high:0kB active:0kB inactive:0kB present:0kB pages_scanned:0 all_unreclaimable? no',
  'lowmem_reserve[]: 0 0 0 0',
  'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 2*2048kB 1*4096kB = 8192kB',
  'Node 0 DMA32: empty',
];

describe('zone lines of 2.6 to 4.7', () => {
  it('reads "all_unreclaimable? yes|no" at the end of a zone line', () => {
    const r = one(['swapper: page allocation failure. order:1, mode:0x20', ...OLD_ZONES].join('\n'));
    expect(zone(r, 'DMA').allUnreclaimable).toBe(true);
    expect(zone(r, 'DMA32').allUnreclaimable).toBe(false);
  });

  it('reads "DMA32: empty" as an empty zone, with no counts and no problem about a cut line', () => {
    const r = one(['swapper: page allocation failure. order:1, mode:0x20', ...OLD_ZONES].join('\n'));
    const dma32 = zone(r, 'DMA32');
    expect(dma32.empty).toBe(true);
    expect(dma32.free).toBeUndefined();
    expect(dma32.freePartial).toBeUndefined();
    expect(r.problems.filter((p) => /DMA32/.test(p.message))).toEqual([]);
    // 2*2048 + 1*4096 = 8192 kB.
    expect(zone(r, 'DMA').free?.free).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]);
  });
});
