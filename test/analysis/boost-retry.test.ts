// zone_watermark_fast's retry without the boost (5.9+, f80b08fc4453; kernel.md 1a): worked by hand.

import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../../src/commands/check.js';
import { fakeIo, fixture } from '../helpers/io.js';

/**
 * The 6.18 journal report: Node 0 DMA32 free:2704kB boost:4096kB min:9412kB, so in pages free 676,
 * boost 1,024, min 2,353 (boost included), _watermark[WMARK_MIN] alone 1,329; free_highatomic 2048kB.
 */
const REPORT = fixture('reports/6.18-journalctl-iso-boost-highatomic.txt');

const defaults: CheckOptions = { files: ['r.log'], mark: 'min', gfp: 'atomic', flag: [], kernel: {}, explain: false, json: true, color: 0, order: 0, zone: 'DMA32', reserve: 0 };

async function run(opts: Partial<CheckOptions> & { release?: string }) {
  const { release, ...rest } = opts;
  const io = fakeIo({ files: { 'r.log': REPORT } });
  const code = await check(io, { ...defaults, ...rest, kernel: release === undefined ? {} : { kernel: release } });
  return { code, json: opts.json === false ? undefined : JSON.parse(io.out()), out: io.out() };
}

describe('an atomic order-0 request at min is retried without the boost (5.9+)', () => {
  it('6.18 GFP_ATOMIC: fails with the boost, passes without it', async () => {
    const r = await run({});
    expect(r.code).toBe(0);
    // 6.3 flags: ALLOC_MIN_RESERVE halves, ALLOC_NON_BLOCK takes a quarter; free_highatomic is not
    // subtracted (ALLOC_RESERVES). With the boost: 2353 - 1176 = 1177, - 294 = 883; 676 <= 883.
    // Without: 1329 - 664 = 665, - 166 = 499; 676 > 499.
    expect(r.json.zones[0].steps).toEqual([
      { check: 'watermark', freePages: 676, minPages: 883, reservePages: 0, ok: false },
      { check: 'watermark', freePages: 676, minPages: 499, reservePages: 0, withoutBoost: 1024, ok: true },
    ]);
    expect(r.json.zones[0].margin).toBe(676 - 499);
  });

  it('5.10 GFP_ATOMIC (__GFP_ATOMIC, legacy flags): the same numbers through ALLOC_HIGH and ALLOC_HARDER', async () => {
    const r = await run({ release: '5.10' });
    expect(r.code).toBe(0);
    expect(r.json.zones[0].steps.map((s: { minPages: number; ok: boolean }) => [s.minPages, s.ok])).toEqual([
      [883, false],
      [499, true],
    ]);
  });

  it('5.8 has no retry: the boosted test decides and the request fails', async () => {
    const r = await run({ release: '5.8' });
    expect(r.code).toBe(1);
    expect(r.json.zones[0].steps).toHaveLength(1);
    expect(r.json.zones[0].code).toBe('BELOW_WATERMARK');
  });

  it('GFP_NOWAIT (no __GFP_HIGH, so no ALLOC_MIN_RESERVE) is not retried', async () => {
    const r = await run({ gfp: 'nowait' });
    expect(r.json.zones[0].steps.filter((s: { check: string }) => s.check === 'watermark')).toHaveLength(1);
  });

  it('nor is a request at the low mark (the fast path) or of order 1', async () => {
    const low = await run({ mark: 'low' });
    expect(low.json.zones[0].steps).toHaveLength(1);
    const one = await run({ order: 1 });
    expect(one.json.zones[0].steps.filter((s: { check: string }) => s.check === 'watermark')).toHaveLength(1);
  });

  it('says so in words', async () => {
    const r = await run({ json: false, explain: true });
    expect(r.out).toMatch(/min mark 2,353 pages \(1,329 without the boost\), 499 after the flags/);
    expect(r.out).toMatch(/retries the order-0 test without the zone's watermark boost \(1,024 pages\)/);
    expect(r.out).toMatch(/retried without the boost of 1,024 .*676 > min 499 \+ reserve 0: ok/);
  });
});

describe('before 5.16 the boost is not printed', () => {
  it('a failing zone of a 5.10 report says the retry may apply; a zone that prints its boost does not', async () => {
    // DMA32 of this report: free 3000kB = 750 pages, min 1000kB = 250 pages, no boost: field.
    const io = fakeIo({ files: { 'r.log': fixture('reports/5.10-arm64-cma-highatomic-only.txt') } });
    await check(io, { ...defaults, zone: 'DMA32', reserve: 5000 });
    const z = JSON.parse(io.out()).zones[0];
    expect(z.ok).toBe(false);
    expect(z.notes.join(' ')).toMatch(/watermark_boost is not shown .* retries a failed order-0 test without it/);
    const shown = await run({ release: '5.10', mark: 'min', min: undefined });
    expect(shown.json.zones[0].notes.join(' ')).not.toMatch(/watermark_boost is not shown/);
  });
});
