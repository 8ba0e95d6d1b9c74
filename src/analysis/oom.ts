// Which kind of OOM a report shows (kernel.md 6): a cgroup limit, a global shortage, or a high-order failure with free memory.

import type { MemInfoTotals, MemcgCounter, KilledTask } from '../parse/report-oom-types.js';
import type { FailureReport } from '../parse/report-types.js';
import { joinAnd, zoneName } from '../words.js';
import type { CheckResult } from './check-types.js';
import type { OomCode } from './codes.js';

/** What filled memory: show_mem's totals grouped, in kB. */
export interface MemUse {
  anonKiB: number;
  fileKiB: number;
  shmemKiB: number;
  slabUnreclaimableKiB: number;
  pageTablesKiB: number;
  unevictableKiB: number;
  freeKiB: number;
  ramKiB: number | null;
  /** The largest of anon, file, slab_unreclaimable, pagetables, unevictable. */
  largest: 'anon' | 'file' | 'slab_unreclaimable' | 'pagetables' | 'unevictable';
}

export interface OomDiagnosis {
  code: OomCode;
  text: string;
  /** oom-kill:'s constraint (5.0+), null when the report does not print one. */
  constraint: string | null;
  /** For a memory cgroup OOM: the cgroup and the counter at (or nearest) its limit. */
  memcg: { cgroup: string | null; counter: MemcgCounter | null } | null;
  killed: KilledTask | null;
  swap: { freeKiB: number; totalKiB: number } | null;
  use: MemUse | null;
  /** Zones (up to 4.7) or nodes (4.8+) whose reclaim had given up (all_unreclaimable? yes). */
  unreclaimable: string[];
}

/** "1.8 GiB", "512 MiB", "40 KiB" from kB, for sentences (the format floor has its own). */
function size(kib: number): string {
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(1)} GiB`;
  if (kib >= 1024) return `${(kib / 1024).toFixed(1)} MiB`;
  return `${kib} KiB`;
}

/** show_mem's first lines grouped (pages to kB), or null without them. */
export function memUse(m: MemInfoTotals | undefined, pageSize: number): MemUse | null {
  // Without the four LRU lists (an elided or cut Mem-Info) there is no telling what filled memory.
  const lists = ['active_anon', 'inactive_anon', 'active_file', 'inactive_file'];
  if (m === undefined || !lists.every((k) => m.pages[k] !== undefined)) return null;
  const kib = (keys: string[]): number => keys.reduce((s, k) => s + (m.pages[k] ?? 0), 0) * (pageSize / 1024);
  const use = {
    anonKiB: kib(['active_anon', 'inactive_anon', 'isolated_anon']),
    fileKiB: kib(['active_file', 'inactive_file', 'isolated_file']),
    shmemKiB: kib(['shmem']),
    slabUnreclaimableKiB: kib(['slab_unreclaimable']),
    pageTablesKiB: kib(['pagetables']),
    unevictableKiB: kib(['unevictable']),
    freeKiB: kib(['free']),
    ramKiB: m.pagesRam === undefined ? null : m.pagesRam * (pageSize / 1024),
  };
  const groups = [
    ['anon', use.anonKiB],
    ['file', use.fileKiB],
    ['slab_unreclaimable', use.slabUnreclaimableKiB],
    ['pagetables', use.pageTablesKiB],
    ['unevictable', use.unevictableKiB],
  ] as const;
  const largest = groups.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return { ...use, largest };
}

/** The counter that hit its limit: usage at or above the limit first, else the fullest. */
function limitCounter(counters: readonly MemcgCounter[]): MemcgCounter | null {
  const real = counters.filter((c) => c.limitKiB > 0 && c.name !== 'kmem');
  return [...real].sort((a, b) => b.usageKiB / b.limitKiB - a.usageKiB / a.limitKiB)[0] ?? null;
}

function killedText(k: KilledTask | null, task?: { comm: string; pid?: number }): string {
  if (k === null) return task === undefined ? '' : ` The oom-kill: summary names ${task.comm}${task.pid === undefined ? '' : ` (pid ${task.pid})`} as the task killed.`;
  const rss = [k.anonRssKiB === undefined ? '' : `anon-rss ${size(k.anonRssKiB)}`, k.fileRssKiB === undefined ? '' : `file-rss ${size(k.fileRssKiB)}`]
    .filter((x) => x !== '')
    .join(', ');
  return ` The OOM killer ${k.totalVmKiB === undefined && rss === '' ? 'chose' : 'killed'} ${k.comm} (pid ${k.pid})${rss === '' ? '' : `: ${rss}`}.`;
}

function swapText(s: { freeKiB: number; totalKiB: number } | null): string {
  if (s === null) return '';
  if (s.totalKiB === 0) return ' No swap is configured, so anonymous memory could not be reclaimed.';
  if (s.freeKiB === 0) return ` Swap was full (0 of ${size(s.totalKiB)} free).`;
  return ` Swap had ${size(s.freeKiB)} of ${size(s.totalKiB)} free.`;
}

const LARGEST: Record<MemUse['largest'], string> = {
  anon: 'anonymous memory (process heaps, tmpfs and shmem)',
  file: 'the page cache',
  slab_unreclaimable: 'unreclaimable kernel slab',
  pagetables: 'page tables',
  unevictable: 'unevictable (mlocked) pages',
};

/**
 * The kind of an OOM report (kernel.md 6), first match wins: a memory cgroup's limit (CONSTRAINT_MEMCG,
 * oom_memcg=, "Task in ... killed as a result of limit of", "Memory limit reached", a "Memory cgroup out of
 * memory" kill); order=-1 without a cgroup, SysRq f; an order 1-3 request refused while a zone that
 * could serve it had the memory but no block (the fragmentation path); else a global shortage.
 */
export function diagnoseOom(r: FailureReport, check: CheckResult | null, pageSize: number): OomDiagnosis | undefined {
  const o = r.oom;
  if (r.kind !== 'oom' && o === undefined) return undefined;
  const counters = o?.counters ?? [];
  // Some vendor kernels (Alibaba Cloud Linux 4.19, corpus 28) print "killed as a result of limit of host"
  // for a global OOM: only a cgroup path names a memory cgroup.
  const limitOf = o?.limitOf === 'host' ? undefined : o?.limitOf;
  const memcg =
    o?.constraint === 'CONSTRAINT_MEMCG' ||
    o?.oomMemcg !== undefined ||
    limitOf !== undefined ||
    o?.killed?.memcg === true ||
    (counters.length > 0 && r.zones.length === 0);
  const swap = r.memInfo?.freeSwapKiB !== undefined && r.memInfo.totalSwapKiB !== undefined ? { freeKiB: r.memInfo.freeSwapKiB, totalKiB: r.memInfo.totalSwapKiB } : null;
  const use = memUse(r.memInfo, pageSize);
  const unreclaimable = [
    ...r.zones.filter((z) => z.watermarks?.allUnreclaimable === true).map(zoneName),
    ...(r.memInfo?.unreclaimableNodes ?? []).map((n) => `node ${n}`),
  ];
  const base = { constraint: o?.constraint ?? null, killed: o?.killed ?? null, swap, use, unreclaimable };
  const facts = r.zones.length > 0 || use !== null || o?.killed !== undefined || o?.constraint !== undefined;
  if (!memcg && r.orderMinusOne !== true && !facts) return undefined;
  if (memcg) {
    const counter = limitCounter(counters);
    const cgroup = o?.oomMemcg ?? limitOf ?? null;
    const limit = counter === null ? '' : ` (${counter.name} usage ${counter.usageKiB} kB of limit ${counter.limitKiB} kB, failcnt ${counter.failcnt})`;
    const text = `Memory-cgroup limit reached${cgroup === null ? '' : ` in ${cgroup}`}${limit}: a limit event, not a zone-watermark or fragmentation one, so there is nothing to replay; the limit is the answer.${killedText(base.killed, o?.task)}`;
    return { code: 'OOM_MEMCG_LIMIT', text, memcg: { cgroup, counter }, ...base };
  }
  if (r.orderMinusOne === true) {
    return { code: 'OOM_FORCED', text: `The OOM killer ran with order=-1 and no memory cgroup: it was asked for (SysRq f), no allocation failed.${killedText(base.killed, o?.task)}`, memcg: null, ...base };
  }
  const order = r.order ?? 0;
  const blocked = check?.zones.filter((z) => z.serves && (z.code === 'NO_BLOCK' || z.code === 'ORDER_LOOP' || z.code === 'ONLY_RESERVED_BLOCKS')) ?? [];
  if (order > 0 && blocked.length > 0) {
    const text = `An order-${order} request was refused while ${joinAnd(blocked.map(zoneName))} had the free memory but not the block: the fragmentation path, not a shortage.${killedText(base.killed, o?.task)}`;
    return { code: 'OOM_FRAGMENTED', text, memcg: null, ...base };
  }
  const scope = o?.constraint !== undefined && o.constraint !== 'CONSTRAINT_NONE' ? ` limited by ${o.constraint} to nodes ${r.memsAllowed ?? r.nodemask ?? '?'}` : '';
  const filled =
    use === null
      ? ''
      : ` Most of it was ${LARGEST[use.largest]}: anon ${size(use.anonKiB)}, page cache ${size(use.fileKiB)}, unreclaimable slab ${size(use.slabUnreclaimableKiB)}, free ${size(use.freeKiB)}${use.ramKiB === null ? '' : ` of ${size(use.ramKiB)} RAM`}.`;
  const gaveUp = unreclaimable.length === 0 ? '' : ` Reclaim had given up on ${joinAnd(unreclaimable)} (all_unreclaimable).`;
  const text = `Global OOM${scope}: the box ran out of memory reclaim could free.${filled}${swapText(swap)}${gaveUp}${killedText(base.killed, o?.task)}`;
  return { code: 'OOM_GLOBAL_SHORTAGE', text, memcg: null, ...base };
}
