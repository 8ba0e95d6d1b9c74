// The what-if of check: other vm.min_free_kbytes, watermark_scale_factor or lowmem_reserve_ratio, the marks recomputed.

import type { Rules } from '../kernel/rules.js';
import { canonicalZone } from '../kernel/zones.js';
import { InputError, type SysctlValue, type ZoneWatermarks } from '../model.js';
import { defaultRatios, minFreeDefaults, setupWatermarks, zoneSize, type SetupSysctls } from './watermark-setup.js';
import type { ZoneLayout } from './zone-layout.js';

/** What the user asked to change. */
export interface WhatIfAsk {
  minFreeKbytes?: number;
  watermarkScaleFactor?: number;
  lowmemReserveRatio?: number[];
}

/** One sysctl's value in the what-if and where it came from: the option, the value read, or inferred. */
export interface WhatIfValue<T> {
  value: T;
  source: string;
}

export interface WhatIfZone {
  node: number;
  zone: string;
  before: { min: number; low: number; high: number; protection: number[] | null };
  after: { min: number; low: number; high: number; protection: number[] | null };
}

export interface WhatIf {
  minFreeKbytes: WhatIfValue<number>;
  watermarkScaleFactor: WhatIfValue<number>;
  lowmemReserveRatio: WhatIfValue<number[]>;
  /** The boost added back to every mark: the input's (zoneinfo 5.16+, a report's boost:), else 0. */
  boost: 'input' | 'assumed 0';
  /** What the kernel itself would set vm.min_free_kbytes to on this box, and with THP's khugepaged running (kernel.md 5.1). */
  minFreeDefaults?: { kernelDefault: number; thpRecommended: number };
  zones: WhatIfZone[];
  /** The recomputed zones, in the input's order: the check runs on these. */
  watermarks: ZoneWatermarks[];
  notes: string[];
}

/** Whether any what-if option was given. */
export function asksWhatIf(a: WhatIfAsk): boolean {
  return a.minFreeKbytes !== undefined || a.watermarkScaleFactor !== undefined || a.lowmemReserveRatio !== undefined;
}

/** A sysctl read as whole numbers ("256 256 32 0 0"), or undefined. */
function numbers(v: SysctlValue | undefined): number[] | undefined {
  const parts = v?.value.trim().split(/\s+/);
  if (parts === undefined || parts.length === 0 || !parts.every((p) => /^\d+$/.test(p))) return undefined;
  return parts.map(Number);
}

/**
 * pages_min from the zones' min marks when min_free_kbytes was not read: each zone that is not HighMem-like
 * has min = floor(pages_min × size / lowmem) (boost taken off), so pages_min lies between the sum of the
 * mins and that sum plus the number of zones; the smallest value that gives every zone its min is taken.
 */
export function inferPagesMin(zones: readonly ZoneWatermarks[], rules: Rules): number | undefined {
  const low = zones.filter((w) => canonicalZone(w.zone) !== 'HighMem' && !(rules.movableLikeHighmem && canonicalZone(w.zone) === 'Movable'));
  const sized = low.map((w) => ({ share: w.min - (w.boost ?? 0), size: zoneSize(w, rules) }));
  if (sized.some((z) => z.size === undefined)) return undefined;
  const lowmem = sized.reduce((s, z) => s + (z.size ?? 0), 0);
  const base = sized.reduce((s, z) => s + z.share, 0);
  for (let pm = base; pm <= base + sized.length; pm++) {
    if (sized.every((z) => Math.floor((pm * (z.size ?? 0)) / lowmem) === z.share)) return pm;
  }
  return undefined;
}

/**
 * watermark_scale_factor from low - min (boost cancels): a zone whose step is above share/4 fixes
 * floor(size × wsf / 10000) = step; one at share/4 only bounds it. The default 10 when it fits, else the
 * smallest value that fits every zone; undefined when none does.
 */
export function inferScaleFactor(zones: readonly ZoneWatermarks[], rules: Rules): number | undefined {
  const low = zones.filter((w) => canonicalZone(w.zone) !== 'HighMem' && !(rules.movableLikeHighmem && canonicalZone(w.zone) === 'Movable'));
  const fits = (wsf: number): boolean =>
    low.every((w) => {
      const size = zoneSize(w, rules) ?? 0;
      const share = w.min - (w.boost ?? 0);
      const step = w.low - w.min;
      const byFactor = Math.floor((size * wsf) / 10000);
      return step === Math.max(Math.floor(share / 4), byFactor);
    });
  if (fits(10)) return 10;
  for (let wsf = 1; wsf <= 3000; wsf++) if (fits(wsf)) return wsf;
  return undefined;
}

/**
 * Resolves the three sysctls (option, else the value read, else inferred from the marks, else the
 * defaults) and recomputes every zone. Throws InputError when a value cannot be had or does not fit the
 * release (watermark_scale_factor before 4.6, a ratio list of the wrong length).
 */
export function whatIf(
  zones: readonly ZoneWatermarks[],
  ask: WhatIfAsk,
  ctx: { rules: Rules; layout: ZoneLayout; pageSize: number; sysctls?: Record<string, SysctlValue>; pageblockPages?: number },
): WhatIf {
  const { rules, layout, pageSize } = ctx;
  const notes: string[] = [];
  const read = (name: string): SysctlValue | undefined => ctx.sysctls?.[name];
  if (ask.watermarkScaleFactor !== undefined && !rules.scaleFactor) {
    throw new InputError('--watermark-scale-factor: this release has no vm.watermark_scale_factor (it came in 4.6); its low and high marks follow min_free_kbytes alone.');
  }
  const shift = Math.round(Math.log2(pageSize)) - 10;
  let minFree: WhatIfValue<number>;
  const mfRead = numbers(read('vm.min_free_kbytes'));
  if (ask.minFreeKbytes !== undefined) minFree = { value: ask.minFreeKbytes, source: '--min-free-kbytes' };
  else if (mfRead?.length === 1) minFree = { value: mfRead[0] as number, source: read('vm.min_free_kbytes')?.origin ?? '' };
  else {
    const pm = inferPagesMin(zones, rules);
    if (pm === undefined) throw new InputError('--min-free-kbytes is needed: vm.min_free_kbytes was not read and the zones\' min marks do not give it (give /proc/sys/vm or sysctl -a output).');
    minFree = { value: pm * 2 ** shift, source: `inferred from the zones' min marks (${pm} pages)` };
  }
  let wsf: WhatIfValue<number>;
  const wsfRead = numbers(read('vm.watermark_scale_factor'));
  if (ask.watermarkScaleFactor !== undefined) wsf = { value: ask.watermarkScaleFactor, source: '--watermark-scale-factor' };
  else if (!rules.scaleFactor) wsf = { value: 0, source: 'none before 4.6' };
  else if (wsfRead?.length === 1) wsf = { value: wsfRead[0] as number, source: read('vm.watermark_scale_factor')?.origin ?? '' };
  else {
    const v = inferScaleFactor(zones, rules);
    wsf = v === undefined ? { value: 10, source: 'the default, 10 (the marks fit no single value)' } : { value: v, source: "inferred from the zones' low - min" };
  }
  const want = rules.lowmemReserve === 'ratio-at-least-1' ? [layout.types.length - 1, layout.types.length] : [layout.types.length];
  let ratios: WhatIfValue<number[]>;
  const rRead = numbers(read('vm.lowmem_reserve_ratio'));
  if (ask.lowmemReserveRatio !== undefined) ratios = { value: ask.lowmemReserveRatio, source: '--lowmem-reserve-ratio' };
  else if (rRead !== undefined && want.includes(rRead.length)) ratios = { value: rRead, source: read('vm.lowmem_reserve_ratio')?.origin ?? '' };
  else ratios = { value: defaultRatios(layout, rules), source: `the defaults for ${layout.types.join(', ')}` };
  if (!want.includes(ratios.value.length)) {
    throw new InputError(
      `--lowmem-reserve-ratio: expected ${want.join(' or ')} values, one per zone type (${layout.types.join(', ')}), found ${ratios.value.length}.`,
    );
  }
  if (rules.scaleFactor && (wsf.value < 1 || wsf.value > 3000)) throw new InputError(`--watermark-scale-factor: expected 1 to 3000, found ${wsf.value}.`);
  if (wsf.value > 1000) notes.push('Kernels before 5.17 refuse a vm.watermark_scale_factor above 1000.');
  const s: SetupSysctls = { minFreeKbytes: minFree.value, watermarkScaleFactor: wsf.value, lowmemReserveRatio: ratios.value };
  const after = setupWatermarks(zones, rules, layout, s, pageSize);
  const boost = zones.some((w) => w.boost !== undefined) ? 'input' : 'assumed 0';
  if (boost === 'assumed 0' && rules.boost) notes.push('The input shows no watermark boost (zoneinfo prints it from 5.16), so the recomputed marks assume none.');
  const view = (w: ZoneWatermarks) => ({ min: w.min, low: w.low, high: w.high, protection: w.lowmemReserve ? [...w.lowmemReserve] : null });
  const defaults = ctx.pageblockPages === undefined ? undefined : minFreeDefaults(zones, rules, pageSize, ctx.pageblockPages);
  return {
    minFreeKbytes: minFree,
    watermarkScaleFactor: wsf,
    lowmemReserveRatio: ratios,
    boost,
    ...(defaults === undefined ? {} : { minFreeDefaults: defaults }),
    zones: zones.map((w, i) => ({ node: w.node, zone: w.zone, before: view(w), after: view(after[i] as ZoneWatermarks) })),
    watermarks: after,
    notes,
  };
}
