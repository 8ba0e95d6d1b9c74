// What an OOM report says beyond its zones (kernel.md 6): the kill, the cgroup's counters, swap, the Mem-Info totals.

/** One `memory: usage NkB, limit NkB, failcnt N` line (memory+swap, kmem, swap alike). */
export interface MemcgCounter {
  name: 'memory' | 'memory+swap' | 'kmem' | 'swap';
  usageKiB: number;
  limitKiB: number;
  failcnt: number;
  line: number;
}

/** The task the OOM killer killed (or chose, up to 5.0's "Kill process ... or sacrifice child"). */
export interface KilledTask {
  pid: number;
  comm: string;
  /** The kill line said "Memory cgroup out of memory". */
  memcg: boolean;
  score?: number;
  totalVmKiB?: number;
  anonRssKiB?: number;
  fileRssKiB?: number;
  shmemRssKiB?: number;
  uid?: number;
  line: number;
}

export interface OomFacts {
  /** The `oom-kill:` summary (5.0+): constraint, the cgroups, the task. */
  constraint?: string;
  oomMemcg?: string;
  globalOom?: boolean;
  taskMemcg?: string;
  task?: { comm: string; pid?: number; uid?: number };
  /** The summary's nodemask (the allocation's, for CONSTRAINT_MEMORY_POLICY). */
  nodemask?: string;
  /** `Task in A killed as a result of limit of B` (<= 4.20) or `Memory limit reached of cgroup B`: B. */
  limitOf?: string;
  taskCgroup?: string;
  counters: MemcgCounter[];
  killed?: KilledTask;
}

/** show_mem's totals: Mem-Info's first lines (pages), swap (kB), RAM (pages), and unreclaimable nodes. */
export interface MemInfoTotals {
  /** As printed after Mem-Info: active_anon, inactive_anon, ..., free, free_pcp, free_cma, in pages. */
  pages: Record<string, number>;
  freeSwapKiB?: number;
  totalSwapKiB?: number;
  pagesRam?: number;
  pagesReserved?: number;
  /** Nodes whose line says `all_unreclaimable? yes` (4.8+: reclaim gave up on the whole node). */
  unreclaimableNodes: number[];
}
