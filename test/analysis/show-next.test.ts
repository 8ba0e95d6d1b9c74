// show's per-order next codes: the shortcut at orders every zone passes gives what the full replay gives.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kernelOfMachine } from '../../src/analysis/kernel-of.js';
import { showNext } from '../../src/analysis/show-next.js';
import { showVerdicts } from '../../src/analysis/show-verdicts.js';
import { loadMachine } from '../../src/input/machine.js';
import { fakeIo, fixture } from '../helpers/io.js';

const ZONEINFO = fixture('proc-x86_64-6.18/zoneinfo');
const RELEASES = ['2.6.32', '3.10.0', '4.4.1', '4.19.1', '5.4.0', '5.15.171', '6.1.157', '6.6.80', '6.12.0', '6.18.2'];
const THRESHOLD = { value: 500, source: 'the default' };

async function machineOf(counts: number[][], release: string, withTypes: boolean) {
  const zones = ['DMA', 'DMA32', 'Normal'];
  const buddyinfo = counts.map((c, i) => `Node 0, zone ${zones[i]?.padStart(8)} ${c.map((n) => String(n).padStart(6)).join(' ')}`).join('\n');
  const files: Record<string, string> = {
    '/box/buddyinfo': `${buddyinfo}\n`,
    '/box/zoneinfo': ZONEINFO,
    '/box/version': `Linux version ${release} (b@h) #1 SMP\n`,
  };
  if (withTypes) files['/box/pagetypeinfo'] = fixture('proc-x86_64-6.18/pagetypeinfo');
  return loadMachine(fakeIo({ files }), { files: [], proc: '/box', want: { watermarks: true, types: withTypes } });
}

async function both(counts: number[][], release: string, withTypes = false) {
  const machine = await machineOf(counts, release, withTypes);
  const kernel = kernelOfMachine(machine, {});
  const found = showVerdicts(machine, ['min', 'low', 'high'], kernel);
  if (found === undefined || 'error' in found) throw new Error('no verdicts');
  const fast = showNext(machine, kernel, found.verdicts, ['min', 'low', 'high'], THRESHOLD);
  const full = showNext(machine, kernel, found.verdicts, ['min', 'low', 'high'], THRESHOLD, { replayAll: true });
  return { fast, full };
}

describe('showNext', () => {
  it('on the live capture (every GFP_KERNEL order passes in Normal and DMA32): CHECK_PASSES everywhere, DMA never serves', async () => {
    const counts = fixture('proc-x86_64-6.18/buddyinfo')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).slice(4).map(Number));
    const { fast, full } = await both(counts, '6.18.2', true);
    expect(fast).toEqual(full);
    // DMA: min + lowmem_reserve (66 + its protection for Normal) is more than its 3,840 pages: no code.
    expect(fast.zones.get('0/dma')).toEqual(Array(11).fill(null));
    expect(fast.zones.get('0/normal')).toEqual(Array(11).fill('CHECK_PASSES'));
  });

  it('gives the full replay\'s codes for any counts and release (property)', async () => {
    const zone = (max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: 11, maxLength: 11 });
    await fc.assert(
      fc.asyncProperty(zone(20), zone(400), zone(400), fc.constantFrom(...RELEASES), async (dma, dma32, normal, release) => {
        const { fast, full } = await both([dma, dma32, normal], release);
        expect(fast.allocationOk).toEqual(full.allocationOk);
        expect([...fast.zones.entries()].sort()).toEqual([...full.zones.entries()].sort());
      }),
      { numRuns: 150 },
    );
  });
});
