// The typed model every layer shares: what the parsers produce and the analyses consume.

/** One zone's free-block counts, as one line of /proc/buddyinfo (or a free-area line of a report) gives them. */
export interface ZoneFree {
  node: number;
  /** Zone name as the kernel prints it: DMA, DMA32, Normal, HighMem, Movable, Device, ... */
  zone: string;
  /** nr_free per order: free[o] is the number of free blocks of 2^o pages. */
  free: number[];
  /** Where the counts came from, for messages. */
  source: string;
  line: number;
}

/** One reading of every zone: consecutive zone lines until a (node, zone) pair repeats. */
export interface Snapshot {
  zones: ZoneFree[];
  /** Text of the timestamp line that preceded the snapshot, when a log carried one. */
  stamp?: string;
}

/** Watermarks and counters of one zone, from /proc/zoneinfo or from a report's zone line. All in pages. */
export interface ZoneWatermarks {
  node: number;
  zone: string;
  /** NR_FREE_PAGES: `pages free` in zoneinfo, `free:` in a report. What the kernel checks first. */
  freePages?: number;
  /** min/low/high as printed: they already include the boost (kernel.md 1b, wmark_pages). */
  min: number;
  low: number;
  high: number;
  boost?: number;
  promo?: number;
  spanned?: number;
  present?: number;
  managed?: number;
  /** lowmem_reserve[] (zoneinfo `protection:`), indexed by zone type. */
  lowmemReserve?: number[];
  /** NR_FREE_CMA_PAGES (`nr_free_cma`, `free_cma:`). */
  freeCma?: number;
  /** The zone's CMA pages, free or not (zoneinfo `cma`, 5.12+). */
  cmaPages?: number;
  /** zone->nr_reserved_highatomic, in pages (report `reserved_highatomic:`). */
  reservedHighatomic?: number;
  /** zone->nr_free_highatomic, in pages (report `free_highatomic:`, 6.12+). */
  freeHighatomic?: number;
  /** The zone's type index when the source shows it (modern zoneinfo lists every zone type in order). */
  zoneIndex?: number;
  source: string;
  line: number;
  /** The zone's LRU pages, from which zone_reclaimable_pages is computed (kernel.md 4). */
  reclaimable?: ReclaimableCounts;
  /** The kernel gave up reclaiming the zone (zoneinfo `all_unreclaimable: 1`, a report's `all_unreclaimable? yes`). */
  allUnreclaimable?: boolean;
  /** What gave the marks: a zoneinfo, a report's zone line, or a what-if recomputation. */
  kind?: 'zoneinfo' | 'report' | 'what-if';
}

/** A zone's LRU list sizes in pages (zoneinfo nr_zone_* from 4.8, nr_* before; a report's zone line). */
export interface ReclaimableCounts {
  activeFile: number;
  inactiveFile: number;
  activeAnon: number;
  inactiveAnon: number;
  /** Pages taken off the lists by reclaim in progress (counted by zone_reclaimable_pages up to 4.7). */
  isolatedFile?: number;
  isolatedAnon?: number;
}

/** Free blocks of one zone split by migratetype, from /proc/pagetypeinfo or a report's letters. */
export interface ZoneTypes {
  node: number;
  zone: string;
  /** Migratetype name (Unmovable, Movable, Reclaimable, HighAtomic, Reserve, CMA, Isolate) to per-order counts. */
  free: Record<string, TypeCount[]>;
  /** Pageblocks per migratetype, when pagetypeinfo gives them. */
  blocks?: Record<string, number>;
  /** pageblock_nr_pages (pagetypeinfo "Pages per block:"), when the source gives it. */
  pagesPerBlock?: number;
  source: string;
  line: number;
}

/**
 * A per-order, per-type free count. pagetypeinfo caps a cell at 100000 on newer kernels and prints
 * `>100000`: then `atLeast` is true and `count` is a lower bound, not the number.
 * Report letters say only that a list is non-empty: then `count` is 1 and `atLeast` is true.
 */
export interface TypeCount {
  count: number;
  atLeast: boolean;
}

/** Everything read from the inputs, merged: the analyses take this. */
export interface Machine {
  /** The snapshots of free counts, oldest first; most analyses use the last. */
  snapshots: Snapshot[];
  watermarks: ZoneWatermarks[];
  types: ZoneTypes[];
  /** Page size in bytes, and whether it was measured or assumed. */
  pageSize: number;
  pageSizeOrigin: PageSizeOrigin;
  /** Kernel release when known (live uname, or stated in the input), with where it came from. */
  kernel?: StatedKernel;
  /** Sysctl values (vm.extfrag_threshold, vm.min_free_kbytes...) by name, when an input gave them. */
  sysctls?: Record<string, SysctlValue>;
  /** Free (and total) swap in kB from a procfs's meminfo (live or saved), and the file it came from. */
  swap?: { freeKiB: number; totalKiB?: number; origin: string };
  /** Input notes worth showing the user (files missing from --proc, sections skipped). */
  notes: string[];
}

/** One sysctl's value as read (whitespace-separated numbers for arrays), and where it was read. */
export interface SysctlValue {
  value: string;
  /** In words: "/proc/sys/vm/extfrag_threshold", "sosreport/sos_commands/kernel/sysctl_-a, line 812". */
  origin: string;
}

/** Where the page size came from: the running kernel, --page-size, the input itself, or assumed (4 KiB). */
export type PageSizeOrigin = 'live' | 'option' | 'input' | 'default';

/** A kernel release an input states, and where. */
export interface StatedKernel {
  version: string;
  /** In words, for output: "saved.txt, line 4", "the running kernel". */
  origin: string;
  /** Read from the running kernel (uname -r). */
  live?: boolean;
  /** The upstream stable release a distribution names beside its own ("Debian 6.1.153-1"). */
  upstream?: string;
}

/** Bad input or usage: one sentence for the user, exit status 2. Never a bug. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly source?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * Whether an error is the system's (an errno code such as EIO or ENOSPC, met opening, reading or writing
 * a file) rather than a fault of the program: it is then bad input, said in one sentence, not a bug.
 * Node's own errors have codes too, but "ERR_..." ones, which this leaves out.
 */
export function isSystemError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/** Formats "source, line N: " for messages that point into an input. */
export function where(source: string, line?: number): string {
  return line === undefined ? `${source}` : `${source}, line ${line}`;
}

/** Zone types a request can name as its highest zone (gfp_zone). */
export type ZoneType = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable';

/**
 * What an allocation request asks for, in the terms gfp_to_alloc_flags reads. Built from a named
 * profile (`--gfp atomic`) or decoded from a report's GFP mode; turned into alloc flags per release.
 */
export interface GfpRequest {
  /** How the user or the report named it: "GFP_KERNEL", "GFP_ATOMIC|__GFP_COMP", "0x4020". */
  name: string;
  /** gfp_zone(): the highest zone the request may use. */
  highestZone: ZoneType;
  /** __GFP_HIGH */
  high: boolean;
  /** The caller may sleep: __GFP_WAIT up to 4.3, __GFP_DIRECT_RECLAIM from 4.4. */
  canSleep: boolean;
  /** __GFP_ATOMIC (4.4 to 6.2 only; from 6.3 the kernel derives it from !canSleep). */
  atomic: boolean;
  /** __GFP_NOMEMALLOC */
  noMemalloc: boolean;
  /** The request's migratetype is Movable: from 3.7 it may use CMA blocks (ALLOC_CMA). */
  movable: boolean;
  /** __GFP_IO and __GFP_FS: direct compaction needs them (try_to_compact_pages, kernel.md 4.1). */
  io: boolean;
  fs: boolean;
  /** __GFP_NO_KSWAPD (2.6.38-4.3, THP): from 3.16 such a caller counts as able to sleep. */
  noKswapd: boolean;
}
