// The reclaimable LRU pages of a report's zone lines and its all_unreclaimable? flag (kernel.md 4, R(z)).

import { describe, expect, it } from 'vitest';
import { parseReports } from '../../src/parse/report.js';
import { readZoneFields } from '../../src/parse/zone-fields.js';
import { reclaimFromReport, unreclaimableOnLine } from '../../src/parse/zone-reclaim.js';
import { fixture } from '../helpers/io.js';

describe('a report zone line', () => {
  it('gives the LRU counters in pages, isolated(...) too, and all_unreclaimable?', () => {
    const line =
      'free:44284kB min:24460kB low:30572kB high:36688kB active_anon:2201032kB inactive_anon:553404kB active_file:184kB inactive_file:56kB isolated(anon):128kB isolated(file):0kB all_unreclaimable? yes';
    const fields = readZoneFields(line);
    // 2201032/4 = 550258, 553404/4 = 138351, 184/4 = 46, 56/4 = 14, 128/4 = 32
    expect(reclaimFromReport(fields, 4)).toEqual({
      activeAnon: 550258,
      inactiveAnon: 138351,
      activeFile: 46,
      inactiveFile: 14,
      isolatedAnon: 32,
      isolatedFile: 0,
    });
    expect(unreclaimableOnLine(line)).toBe(true);
    expect(unreclaimableOnLine('free:1kB all_unreclaimable? no')).toBe(false);
    expect(unreclaimableOnLine('free:1kB')).toBeUndefined();
    // without one of the four lists there is no R(z) to compute
    expect(reclaimFromReport(readZoneFields('free:4kB active_anon:4kB inactive_anon:4kB active_file:4kB'), 4)).toBeUndefined();
  });

  it('corpus 23 (3.10 el7, rsyslog #012): every zone all_unreclaimable, almost nothing on the file lists', () => {
    const [r] = parseReports(fixture('real/reports/23-3.10-el7-x86_64-rsyslog-012-all-unreclaimable.txt'), 'c23').reports;
    const zones = r?.zones.map((z) => [z.zone, z.watermarks?.allUnreclaimable, z.watermarks?.reclaimable?.activeFile, z.watermarks?.reclaimable?.inactiveFile]);
    // DMA32: active_file:184kB inactive_file:56kB; Normal: active_file:52kB inactive_file:0kB
    expect(zones).toEqual([
      ['DMA', true, 0, 0],
      ['DMA32', true, 46, 14],
      ['Normal', true, 13, 0],
    ]);
  });
});
