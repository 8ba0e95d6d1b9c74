// Tests for GFP profiles and gfp_to_alloc_flags per generation, read off kernel.md 1a and the S1/S6/S12 sources.

import { describe, expect, it } from 'vitest';
import {
  allocFlags,
  flagExists,
  gfpProfile,
  nomemallocWithholdsHarder,
  parseAllocFlag,
  parseGfpProfile,
  pathForMark,
  type GfpProfile,
} from '../../src/analysis/gfp.js';
import { InputError, type Generation } from '../../src/model.js';

describe('gfpProfile', () => {
  it('GFP_KERNEL sleeps and stops at Normal', () => {
    expect(gfpProfile('kernel')).toEqual({
      name: 'GFP_KERNEL',
      highestZone: 'Normal',
      high: false,
      canSleep: true,
      atomic: false,
      noMemalloc: false,
      movable: false,
    });
  });
  it('GFP_ATOMIC has __GFP_HIGH and __GFP_ATOMIC and cannot sleep', () => {
    expect(gfpProfile('atomic')).toMatchObject({ high: true, canSleep: false, atomic: true, highestZone: 'Normal' });
  });
  it('GFP_NOWAIT cannot sleep and has no __GFP_HIGH', () => {
    expect(gfpProfile('nowait')).toMatchObject({ high: false, canSleep: false, atomic: false });
  });
  it('zones of the zone-modifier profiles', () => {
    expect(gfpProfile('highuser').highestZone).toBe('HighMem');
    expect(gfpProfile('highuser-movable')).toMatchObject({ highestZone: 'Movable', movable: true, canSleep: true });
    expect(gfpProfile('dma32')).toMatchObject({ name: 'GFP_DMA32', highestZone: 'DMA32', canSleep: true });
    expect(gfpProfile('dma')).toMatchObject({ name: 'GFP_DMA', highestZone: 'DMA', canSleep: true });
  });
  it('parses names as users type them', () => {
    expect(parseGfpProfile('GFP_HIGHUSER_MOVABLE')).toBe('highuser-movable');
    expect(parseGfpProfile('Atomic')).toBe('atomic');
    expect(parseGfpProfile('gfp_noio')).toBeUndefined();
  });
});

/** Slow-path flags for a profile, generation and order. */
function slow(p: GfpProfile, g: Generation, order = 0): readonly string[] {
  return allocFlags(gfpProfile(p), g, order);
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
    expect(slow('nowait', '3.7')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER']);
  });
  it('__GFP_NOMEMALLOC withholds HARDER in 3.7 but not in 2.6.32 itself (S1)', () => {
    const req = { ...gfpProfile('nowait'), noMemalloc: true };
    expect(allocFlags(req, '3.7', 0)).toEqual(['ALLOC_WMARK_MIN']);
    expect(allocFlags(req, '2.6.32', 0)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER']);
  });
  it('CMA for movable requests from 3.7 only', () => {
    expect(slow('highuser-movable', '2.6.32')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(slow('highuser-movable', '3.7')).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
    expect(slow('highuser-movable', '6.18', 9)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET', 'ALLOC_CMA']);
  });
  it('4.4-6.2: HARDER comes from __GFP_ATOMIC, so GFP_NOWAIT gets nothing', () => {
    expect(slow('atomic', '4.4', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(slow('nowait', '4.4', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(slow('nowait', '4.15', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    const noMem = { ...gfpProfile('atomic'), noMemalloc: true };
    expect(allocFlags(noMem, '4.15', 2)).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HIGH']);
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
});

describe('__GFP_NOMEMALLOC inside the 2.6.32 generation (2.6.32-3.6) depends on the release', () => {
  // GFP_ATOMIC|__GFP_COMP|__GFP_NOMEMALLOC (mode 0x14020 up to 4.3): __GFP_HIGH, cannot sleep, NOMEMALLOC.
  const atomicNoMem = { ...gfpProfile('atomic'), noMemalloc: true };
  const withHarder = ['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH'];
  const withoutHarder = ['ALLOC_WMARK_MIN', 'ALLOC_HIGH'];

  it('2.6.38 and later withhold ALLOC_HARDER (Arcangeli, THP series), 3.2 included', () => {
    expect(allocFlags(atomicNoMem, '2.6.32', 1, { release: '3.2.0-4-amd64' })).toEqual(withoutHarder);
    expect(allocFlags(atomicNoMem, '2.6.32', 1, { release: '2.6.38' })).toEqual(withoutHarder);
    expect(allocFlags(atomicNoMem, '2.6.32', 1, { release: '3.6.11' })).toEqual(withoutHarder);
  });
  it('2.6.32 to 2.6.37 still give it ALLOC_HARDER', () => {
    expect(allocFlags(atomicNoMem, '2.6.32', 1, { release: '2.6.37.6' })).toEqual(withHarder);
    expect(allocFlags(atomicNoMem, '2.6.32', 1, { release: '2.6.32-41-server' })).toEqual(withHarder);
  });
  it('with no release it keeps 2.6.32\'s ALLOC_HARDER, as before', () => {
    expect(allocFlags(atomicNoMem, '2.6.32', 1)).toEqual(withHarder);
  });
  it('a request without __GFP_NOMEMALLOC gets ALLOC_HARDER whatever the release', () => {
    expect(allocFlags(gfpProfile('atomic'), '2.6.32', 1, { release: '3.2' })).toEqual(withHarder);
  });
  it('only the slow path looks at it: the fast path has no reserve flags', () => {
    expect(allocFlags(atomicNoMem, '2.6.32', 1, { path: 'fast', release: '2.6.37' })).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
  });
  it('says when the answer needs a release', () => {
    expect(nomemallocWithholdsHarder('2.6.32')).toBeUndefined();
    expect(nomemallocWithholdsHarder('2.6.32', '2.6.37')).toBe(false);
    expect(nomemallocWithholdsHarder('2.6.32', '2.6.38')).toBe(true);
    expect(nomemallocWithholdsHarder('2.6.32', '3.0')).toBe(true);
    expect(nomemallocWithholdsHarder('3.7')).toBe(true);
    expect(nomemallocWithholdsHarder('6.18')).toBe(true);
  });
});

describe('allocFlags, other attempts and extra flags', () => {
  it('the fast path uses the low mark and no reserve flags', () => {
    expect(allocFlags(gfpProfile('atomic'), '4.15', 3, { path: 'fast' })).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
    expect(allocFlags(gfpProfile('highuser-movable'), '3.7', 0, { path: 'fast' })).toEqual([
      'ALLOC_WMARK_LOW',
      'ALLOC_CPUSET',
      'ALLOC_CMA',
    ]);
  });
  it('the OOM retry uses the high mark without ALLOC_CMA', () => {
    expect(allocFlags(gfpProfile('highuser-movable'), '6.18', 0, { path: 'oom' })).toEqual([
      'ALLOC_WMARK_HIGH',
      'ALLOC_CPUSET',
    ]);
  });
  it('maps marks to attempts', () => {
    expect([pathForMark('min'), pathForMark('low'), pathForMark('high')]).toEqual(['slow', 'fast', 'oom']);
  });
  it('adds an explicit ALLOC_OOM where it exists', () => {
    expect(allocFlags(gfpProfile('kernel'), '4.15', 0, { extra: ['ALLOC_OOM'] })).toEqual([
      'ALLOC_WMARK_MIN',
      'ALLOC_OOM',
      'ALLOC_CPUSET',
    ]);
  });
  it('refuses a flag the generation does not have', () => {
    expect(() => allocFlags(gfpProfile('kernel'), '4.4', 0, { extra: ['ALLOC_OOM'] })).toThrow(InputError);
    expect(() => allocFlags(gfpProfile('kernel'), '6.3', 0, { extra: ['ALLOC_HARDER'] })).toThrow(/ALLOC_HARDER.*to 6\.2/);
  });
  it('knows when each flag exists', () => {
    expect(flagExists('ALLOC_CMA', '2.6.32')).toBe(false);
    expect(flagExists('ALLOC_CMA', '3.7')).toBe(true);
    expect(flagExists('ALLOC_HIGH', '4.15')).toBe(true);
    expect(flagExists('ALLOC_HIGH', '6.3')).toBe(false);
    expect(flagExists('ALLOC_MIN_RESERVE', '6.3')).toBe(true);
  });
  it('parses flag names as users type them', () => {
    expect(parseAllocFlag('oom')).toBe('ALLOC_OOM');
    expect(parseAllocFlag('ALLOC_MIN_RESERVE')).toBe('ALLOC_MIN_RESERVE');
    expect(parseAllocFlag('min-reserve')).toBe('ALLOC_MIN_RESERVE');
    expect(parseAllocFlag('bogus')).toBeUndefined();
  });
});
