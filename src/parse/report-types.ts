// What the report reader gives: reports, the zones they print, and the problems met reading them.

import type { ZoneFree, ZoneWatermarks } from '../model.js';
import type { MemInfoTotals, OomFacts } from './report-oom-types.js';

/** Something in the input that could not be read as a report expects; the rest of the report still is. */
export interface ReportProblem {
  /** 1-based physical line of the input. */
  line: number;
  message: string;
}

/** One zone as a report shows it: the zone line, its lowmem_reserve[] line and its free-area line. */
export interface ReportZone {
  /** NUMA node; 0 when the kernel printed no "Node N " (non-NUMA builds print none). */
  node: number;
  zone: string;
  /** Physical line of the zone line ("Node 0 DMA32 free:12560kB min:..."), when there was one. */
  line?: number;
  /** Physical line of the free-area line ("Node 0 DMA32: 2360*4kB ..."), when there was one. */
  freeLine?: number;
  /** The zone line's counters converted from kB to pages with the report's page size. */
  watermarks?: ZoneWatermarks;
  /** lowmem_reserve[] as printed: already in pages, one entry per zone type. */
  lowmemReserve?: number[];
  /** Free blocks per order, from a complete free-area line. */
  free?: ZoneFree;
  /** Counts of the orders read from a free-area line that was cut short (orders 0..k); `free` is then absent. */
  freePartial?: number[];
  /** Per order, the migratetype letters printed after the count (3.8+, e.g. "UME"), '' where none. */
  types?: string[];
  /** The free-area line's "= N kB" total. */
  freeKiB?: number;
  /** The free-area line said "empty": the zone has no pages (older kernels print unpopulated zones so). */
  empty?: true;
  /** The zone line's "all_unreclaimable? yes|no" (to 4.7): reclaim had given up on the zone. */
  allUnreclaimable?: boolean;
}

/** One report: a failure or OOM header with the Mem-Info block after it, or a Mem-Info block alone. */
export interface FailureReport {
  /** Where the text came from, for messages. */
  source: string;
  /** 1-based physical line of the header (for a bare Mem-Info block, of its first line). */
  line: number;
  /** Last physical line that belonged to the report. */
  endLine: number;
  /**
   * meminfo: a Mem-Info block or zone lines with no header before them (SysRq-m, an excerpt); stall: the
   * warning an allocation still retrying prints, with the same dump as a failure.
   */
  kind: 'allocation-failure' | 'stall' | 'oom' | 'meminfo';
  /**
   * The header is not in the input: the dump's kind comes from the stack before it (warn_alloc frames:
   * an allocation failure; out_of_memory, oom_kill_process: an OOM).
   */
  headerless?: true;
  /** stall: how long the allocation had been retrying ("page allocation stalls for 10646ms", 4.9-4.14). */
  stallMs?: number;
  /** Time from the header's prefix: the wall clock when the log had one, else printk seconds. */
  time?: string;
  /** The task's comm as the header names it. */
  process?: string;
  /** From the dump_stack line after the header ("CPU: 3 PID: 12 Comm: ..." or "Pid: 12, comm: ..."). */
  pid?: number;
  /** The request's order; null for meminfo and for an OOM kill not caused by an allocation (order=-1). */
  order: number | null;
  /** The OOM header said order=-1: SysRq f, or a memory cgroup's page-fault path (kernel.md 6). */
  orderMinusOne?: boolean;
  /** The GFP mode as printed ("0x4020", "0x480020"). */
  mode?: string;
  modeValue?: number;
  /** Flag names: those the kernel printed in brackets (4.5+), else decoded from modeValue. */
  flags?: string[];
  flagsFrom?: 'printed' | 'decoded';
  /** For decoded flags: the first release whose __GFP_* values were used (see gfp-names.ts). */
  flagsLayout?: string;
  nodemask?: string;
  cpuset?: string;
  memsAllowed?: string;
  /** The cpuset was printed on the header line itself (5.0+), not on a line of its own (4.x). */
  cpusetOnHeader?: boolean;
  /** OOM reports only. */
  oomScoreAdj?: number;
  /** The header read "page allocation failure." (2.6.32) rather than "failure:". */
  headerDot?: boolean;
  /** Kernel release stated nearby: the dump_stack line, else the last "Linux version" line before. */
  kernel?: string;
  /** The line that stated it. */
  kernelLine?: number;
  /** The upstream release a Debian banner names beside its own. */
  kernelUpstream?: string;
  /** Bytes, from the first column of a free-area line: 4kB -> 4096, 64kB -> 65536. */
  pageSize?: number;
  zones: ReportZone[];
  problems: ReportProblem[];
  /** The OOM killer's lines (kernel.md 6): oom-kill:, a memory cgroup's counters, the kill. */
  oom?: OomFacts;
  /** show_mem's totals, swap and RAM. */
  memInfo?: MemInfoTotals;
}

export interface ParsedLog {
  reports: FailureReport[];
  /** The last kernel release the log states (a "Linux version" or dump_stack line). */
  kernel?: { version: string; line: number; upstream?: string };
  /** Problems outside any report. */
  problems: ReportProblem[];
}
