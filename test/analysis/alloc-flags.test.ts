// Tests for GFP profiles and gfp_to_alloc_flags per release, read off kernel.md 1a/1b and the S1/S6/S12 sources.

import { describe, expect, it } from 'vitest';
import { allocFlags, assertFlagsExist, flagExists, hasFlag, parseAllocFlag, pathForMark } from '../../src/analysis/alloc-flags.js';
import { gfpProfile, GFP_PROFILES, parseGfpProfile, type GfpProfile } from '../../src/analysis/gfp-request.js';
import { InputError, type GfpRequest } from '../../src/model.js';
import { rules } from '../helpers/kernel.js';

describe('gfpProfile', () => {
  it('GFP_KERNEL sleeps, does I/O and stops at Normal', () => {
    expect(gfpProfile('kernel')).toEqual({
      name: 'GFP_KERNEL',
      highestZone: 'Normal',
      high: false,
      canSleep: true,
      atomic: false,
      noMemalloc: false,
      movable: false,
      io: true,
      fs: true,
      noKswapd: false,
    });
  });
  it('GFP_ATOMIC has __GFP_HIGH and __GFP_ATOMIC, cannot sleep, no I/O', () => {
    expect(gfpProfile('atomic')).toMatchObject({ high: true, canSleep: false, atomic: true, highestZone: 'Normal', io: false, fs: false });
  });
  it('GFP_NOWAIT cannot sleep and has no __GFP_HIGH', () => {
    expect(gfpProfile('nowait')).toMatchObject({ high: false, canSleep: false, atomic: false, io: false, fs: false });
  });
  it('zones of the zone-modifier profiles', () => {
    expect(gfpProfile('highuser').highestZone).toBe('HighMem');
    expect(gfpProfile('highuser-movable')).toMatchObject({ highestZone: 'Movable', movable: true, canSleep: true });
    expect(gfpProfile('dma32')).toMatchObject({ name: 'GFP_DMA32', highestZone: 'DMA32', canSleep: true });
    expect(gfpProfile('dma')).toMatchObject({ name: 'GFP_DMA', highestZone: 'DMA', canSleep: true });
  });
  it('THP: GFP_TRANSHUGE may reclaim, _LIGHT may not; both movable and __GFP_NOMEMALLOC', () => {
    expect(gfpProfile('transhuge')).toMatchObject({ name: 'GFP_TRANSHUGE', highestZone: 'Movable', movable: true, noMemalloc: true, canSleep: true });
    expect(gfpProfile('transhuge-light')).toMatchObject({ name: 'GFP_TRANSHUGE_LIGHT', movable: true, noMemalloc: true, canSleep: false });
    expect(GFP_PROFILES).toContain('transhuge');
    expect(GFP_PROFILES).toContain('transhuge-light');
  });
  it('parses names as users type them', () => {
    expect(parseGfpProfile('GFP_HIGHUSER_MOVABLE')).toBe('highuser-movable');
    expect(parseGfpProfile('Atomic')).toBe('atomic');
    expect(parseGfpProfile('gfp_transhuge_light')).toBe('transhuge-light');
    expect(parseGfpProfile('gfp_noio')).toBeUndefined();
  });
});

/** Slow-path flags for a profile, release and order. */
function slow(p: GfpProfile, release: string, order = 0): readonly string[] {
  return allocFlags(gfpProfile(p), rules(release), order);
}
function fast(p: GfpProfile | GfpRequest, release: string, order = 0): readonly string[] {
  return allocFlags(typeof p === 'string' ? gfpProfile(p) : p, rules(release), order, { path: 'fast' });
}

describe('allocFlags, slow path (gfp_to_alloc_flags)', () => {
  it('2.6.32: GFP_KERNEL gets WMARK_MIN|CPUSET only', () => {
    expect(slow('kernel', '2.6.32')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
  });
  it('2.6.32: GFP_ATOMIC gets HIGH|HARDER and loses CPUSET', () => {
    expect(slow('atomic', '2.6.32', 4)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
  });
  it('<= 4.3: GFP_NOWAIT gets HARDER because it cannot sleep', () => {
    expect(slow('nowait', '2.6.32')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER']);
    expect(slow('nowait', '3.10')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER']);
    expect(slow('nowait', '4.3')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER']);
  });
  it('__GFP_NOMEMALLOC withholds HARDER in 3.10 but not in 2.6.32 itself (S1); CPUSET is dropped either way', () => {
    const req = { ...gfpProfile('nowait'), noMemalloc: true };
    expect(allocFlags(req, rules('3.10'), 0)).toEqual(['ALLOC_WMARK_MIN']);
    expect(allocFlags(req, rules('2.6.32'), 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER']);
  });
  it('CMA for movable requests from 3.7 only', () => {
    expect(slow('highuser-movable', '2.6.32')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(slow('highuser-movable', '3.6')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(slow('highuser-movable', '3.7')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
    expect(slow('highuser-movable', '3.10')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
    expect(slow('highuser-movable', '6.18', 9)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
  });
  it('4.4-6.2: HARDER comes from __GFP_ATOMIC, so GFP_NOWAIT gets nothing', () => {
    expect(slow('atomic', '4.4', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(slow('nowait', '4.4', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(slow('nowait', '4.15', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    const noMem = { ...gfpProfile('atomic'), noMemalloc: true };
    // __GFP_ATOMIC|__GFP_NOMEMALLOC: no HARDER, but CPUSET is still dropped
    expect(allocFlags(noMem, rules('4.15'), 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HIGH']);
  });
  it('6.3+: GFP_ATOMIC gets MIN_RESERVE|NON_BLOCK, HIGHATOMIC for order > 0', () => {
    expect(slow('atomic', '6.3', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE']);
    expect(slow('atomic', '6.3', 3)).toEqual([
      'ALLOC_WMARK_MIN',
      'ALLOC_NON_BLOCK',
      'ALLOC_MIN_RESERVE',
      'ALLOC_HIGHATOMIC',
    ]);
    expect(slow('atomic', '6.18', 3)).toEqual([
      'ALLOC_WMARK_MIN',
      'ALLOC_NON_BLOCK',
      'ALLOC_MIN_RESERVE',
      'ALLOC_HIGHATOMIC',
    ]);
  });
  it('6.3-6.17: GFP_NOWAIT gets NON_BLOCK and, for order > 0, HIGHATOMIC; 6.18 (M14) drops HIGHATOMIC', () => {
    expect(slow('nowait', '6.3', 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET', 'ALLOC_HIGHATOMIC']);
    expect(slow('nowait', '6.12', 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET', 'ALLOC_HIGHATOMIC']);
    expect(slow('nowait', '6.12', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET']);
    expect(slow('nowait', '6.18', 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET']);
  });
  it('6.3+: GFP_KERNEL gets no reserve flag', () => {
    expect(slow('kernel', '6.18', 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
  });
  it('6.3+: __GFP_NOMEMALLOC withholds NON_BLOCK and HIGHATOMIC (GFP_TRANSHUGE_LIGHT at order 9)', () => {
    expect(slow('transhuge-light', '6.12', 9)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
  });
});

describe('the stable backports change the flags inside one series (kernel.md 1a axes 2 and 4)', () => {
  it('6.1.115 -> 6.1.116: GFP_ATOMIC goes from HIGH|HARDER to MIN_RESERVE|NON_BLOCK (M23)', () => {
    expect(slow('atomic', '6.1.115', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(slow('atomic', '6.1.116', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE']);
    expect(slow('atomic', '5.15.170', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(slow('atomic', '5.15.171', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE']);
  });
  it('6.1.115 -> 6.1.116: GFP_NOWAIT goes from nothing to NON_BLOCK (and HIGHATOMIC at order > 0)', () => {
    expect(slow('nowait', '6.1.115', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(slow('nowait', '6.1.116', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET', 'ALLOC_HIGHATOMIC']);
  });
  it.each([
    ['6.1.156', '6.1.157'],
    ['5.15.194', '5.15.195'],
    ['6.12.53', '6.12.54'],
  ])('%s -> %s: GFP_NOWAIT order 3 loses HIGHATOMIC; GFP_ATOMIC keeps it (M14, M24)', (before, after) => {
    expect(slow('nowait', before, 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET', 'ALLOC_HIGHATOMIC']);
    expect(slow('nowait', after, 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET']);
    expect(slow('atomic', after, 3)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE', 'ALLOC_HIGHATOMIC']);
  });
  it('a distribution string keeps its base release\'s flags (6.1.0-40-amd64 is legacy)', () => {
    expect(slow('atomic', '6.1.0-40-amd64', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
  });
});

describe('__GFP_NOMEMALLOC up to 3.6 depends on the release (2.6.38+ withholds ALLOC_HARDER, M20)', () => {
  // GFP_ATOMIC|__GFP_COMP|__GFP_NOMEMALLOC (mode 0x14020 up to 4.3): __GFP_HIGH, cannot sleep, NOMEMALLOC.
  const atomicNoMem = { ...gfpProfile('atomic'), noMemalloc: true };
  const withHarder = ['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH'];
  const withoutHarder = ['ALLOC_WMARK_MIN', 'ALLOC_HIGH'];

  it('2.6.38 and later withhold ALLOC_HARDER (Arcangeli, THP series), 3.2 included', () => {
    expect(allocFlags(atomicNoMem, rules('3.2.0-4-amd64'), 1)).toEqual(withoutHarder);
    expect(allocFlags(atomicNoMem, rules('2.6.38'), 1)).toEqual(withoutHarder);
    expect(allocFlags(atomicNoMem, rules('3.6.11'), 1)).toEqual(withoutHarder);
  });
  it('2.6.32 to 2.6.37 still give it ALLOC_HARDER', () => {
    expect(allocFlags(atomicNoMem, rules('2.6.37.6'), 1)).toEqual(withHarder);
    expect(allocFlags(atomicNoMem, rules('2.6.32-41-server'), 1)).toEqual(withHarder);
  });
  it('2.6.32 itself keeps ALLOC_HARDER, as before', () => {
    expect(allocFlags(atomicNoMem, rules('2.6.32'), 1)).toEqual(withHarder);
  });
  it('a request without __GFP_NOMEMALLOC gets ALLOC_HARDER whatever the release', () => {
    expect(allocFlags(gfpProfile('atomic'), rules('3.2'), 1)).toEqual(withHarder);
  });
  it('only the slow path looks at it: the fast path has no reserve flags', () => {
    expect(allocFlags(atomicNoMem, rules('2.6.37'), 1, { path: 'fast' })).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
  });
  it('the rule is the nomemallocNoHarder axis', () => {
    expect(rules('2.6.32').nomemallocNoHarder).toBe(false);
    expect(rules('2.6.37').nomemallocNoHarder).toBe(false);
    expect(rules('2.6.38').nomemallocNoHarder).toBe(true);
    expect(rules('3.0').nomemallocNoHarder).toBe(true);
    expect(rules('3.10').nomemallocNoHarder).toBe(true);
    expect(rules('6.18').nomemallocNoHarder).toBe(true);
  });
});

describe('__GFP_NO_KSWAPD (THP, 2.6.38-4.3): a caller without __GFP_WAIT counts as sleeping from 3.16 (M20)', () => {
  // A THP attempt with __GFP_WAIT cleared: GFP_TRANSHUGE & ~__GFP_WAIT, no __GFP_NOMEMALLOC so HARDER can show.
  const thp: GfpRequest = { ...gfpProfile('transhuge'), canSleep: false, noMemalloc: false, noKswapd: true };
  it('3.14 and 3.10.4: cannot sleep, so HARDER and no CPUSET', () => {
    expect(allocFlags(thp, rules('3.14.1'), 9)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_CMA']);
    expect(allocFlags(thp, rules('3.10.4'), 9)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_CMA']);
  });
  it('3.16, 4.3 and 3.10.105: neither HARDER nor the CPUSET drop', () => {
    for (const v of ['3.16', '4.3.3', '3.10.105']) {
      expect(allocFlags(thp, rules(v), 9)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
    }
  });
});

describe('allocFlags, the fast path (kernel.md 1b "Which watermark")', () => {
  it('uses the low mark and no reserve flags', () => {
    // kernel.md 1b: from 4.12 the fast path adds ALLOC_CPUSET only with cpusets enabled and a caller
    // nodemask, which a replay cannot know, so 4.15 has no ALLOC_CPUSET here (it had, before the refinement).
    expect(fast('atomic', '4.15', 3)).toEqual(['ALLOC_WMARK_LOW']);
    expect(fast('highuser-movable', '3.10', 0)).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET', 'ALLOC_CMA']);
  });
  it('ALLOC_CPUSET unconditionally up to 4.6, left out from 4.7 (cpusets_enabled() is unknown)', () => {
    // 4.6 and 4.7 both have ALLOC_FAIR (3.16-4.7)
    expect(fast('kernel', '4.6')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET', 'ALLOC_FAIR']);
    expect(fast('kernel', '4.7')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_FAIR']);
    expect(fast('kernel', '4.12')).toEqual(['ALLOC_WMARK_LOW']);
    expect(fast('kernel', '6.18')).toEqual(['ALLOC_WMARK_LOW']);
  });
  it('ALLOC_FAIR 3.16-4.7 (present in 3.16.0 and 4.7.4, absent in 3.14.1 and 4.8.15)', () => {
    expect(fast('kernel', '3.14.1')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
    expect(fast('kernel', '3.16')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET', 'ALLOC_FAIR']);
    expect(fast('kernel', '4.4')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET', 'ALLOC_FAIR']);
    expect(fast('kernel', '4.8.15')).toEqual(['ALLOC_WMARK_LOW']);
  });
  it('2.6.32: LOW|CPUSET, also for a request that cannot sleep', () => {
    expect(fast('nowait', '2.6.32')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
  });
  it('ALLOC_CMA for movable requests on the fast path too', () => {
    // kernel bit order: CMA 0x80 before FAIR 0x100
    expect(fast('highuser-movable', '4.7')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CMA', 'ALLOC_FAIR']);
    expect(fast('highuser-movable', '6.18')).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CMA']);
  });
});

describe('allocFlags, the OOM retry and extra flags', () => {
  it('the OOM retry is ALLOC_WMARK_HIGH|ALLOC_CPUSET only: no CMA, no reserve flags, in every release', () => {
    for (const v of ['2.6.32', '3.10', '4.4', '4.19', '6.1.116', '6.18']) {
      expect(allocFlags(gfpProfile('highuser-movable'), rules(v), 0, { path: 'oom' })).toEqual(['ALLOC_WMARK_HIGH', 'ALLOC_CPUSET']);
      expect(allocFlags(gfpProfile('atomic'), rules(v), 3, { path: 'oom' })).toEqual(['ALLOC_WMARK_HIGH', 'ALLOC_CPUSET']);
    }
  });
  it('maps marks to attempts', () => {
    expect([pathForMark('min'), pathForMark('low'), pathForMark('high')]).toEqual(['slow', 'fast', 'oom']);
  });
  it('adds an explicit ALLOC_OOM where it exists (4.14+, M21)', () => {
    expect(allocFlags(gfpProfile('kernel'), rules('4.15'), 0, { extra: ['ALLOC_OOM'] })).toEqual([
      'ALLOC_WMARK_MIN',
      'ALLOC_OOM',
      'ALLOC_CPUSET',
    ]);
    expect(allocFlags(gfpProfile('kernel'), rules('4.14'), 0, { extra: ['ALLOC_OOM'] })).toContain('ALLOC_OOM');
  });
  it('refuses a flag the rules do not have', () => {
    expect(() => allocFlags(gfpProfile('kernel'), rules('4.4'), 0, { extra: ['ALLOC_OOM'] })).toThrow(InputError);
    expect(() => allocFlags(gfpProfile('kernel'), rules('4.13'), 0, { extra: ['ALLOC_OOM'] })).toThrow(/ALLOC_OOM .*before ALLOC_OOM \(4\.14\)/);
    expect(() => allocFlags(gfpProfile('kernel'), rules('6.3'), 0, { extra: ['ALLOC_HARDER'] })).toThrow(
      /ALLOC_HARDER does not exist .*ALLOC_MIN_RESERVE model of 6\.3/,
    );
    expect(() => allocFlags(gfpProfile('kernel'), rules('6.1.116'), 0, { extra: ['ALLOC_HARDER'] })).toThrow(InputError);
    expect(() => assertFlagsExist(['ALLOC_FAIR'], rules('4.8'))).toThrow(InputError);
  });
  it('knows when each flag exists', () => {
    expect(flagExists('ALLOC_CMA', rules('2.6.32'))).toBe(false);
    expect(flagExists('ALLOC_CMA', rules('3.7'))).toBe(true);
    expect(flagExists('ALLOC_HIGH', rules('4.15'))).toBe(true);
    expect(flagExists('ALLOC_HIGH', rules('6.3'))).toBe(false);
    expect(flagExists('ALLOC_HIGH', rules('6.1.115'))).toBe(true);
    expect(flagExists('ALLOC_HIGH', rules('6.1.116'))).toBe(false);
    expect(flagExists('ALLOC_MIN_RESERVE', rules('6.3'))).toBe(true);
    expect(flagExists('ALLOC_HIGHATOMIC', rules('5.15.171'))).toBe(true);
    expect(flagExists('ALLOC_OOM', rules('4.13'))).toBe(false);
    expect(flagExists('ALLOC_OOM', rules('4.14'))).toBe(true);
    expect(flagExists('ALLOC_FAIR', rules('3.14'))).toBe(false);
    expect(flagExists('ALLOC_FAIR', rules('4.7'))).toBe(true);
    expect(flagExists('ALLOC_WMARK_MIN', rules('2.6.32'))).toBe(true);
  });
  it('parses flag names as users type them', () => {
    expect(parseAllocFlag('oom')).toBe('ALLOC_OOM');
    expect(parseAllocFlag('ALLOC_MIN_RESERVE')).toBe('ALLOC_MIN_RESERVE');
    expect(parseAllocFlag('min-reserve')).toBe('ALLOC_MIN_RESERVE');
    expect(parseAllocFlag('bogus')).toBeUndefined();
  });
  it('hasFlag', () => {
    expect(hasFlag(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET'], 'ALLOC_CPUSET')).toBe(true);
    expect(hasFlag(['ALLOC_WMARK_MIN'], 'ALLOC_CPUSET')).toBe(false);
  });
});
