// Reads the lines of an OOM report beyond its zones: oom-kill:, the memory cgroup's counters, the kill, swap, totals.

import type { LogicalLine } from './logline.js';
import type { Builder } from './report-builder.js';
import type { MemInfoTotals, OomFacts } from './report-oom-types.js';
import { exact } from './report-values.js';

const COUNTER = /^(memory|memory\+swap|kmem|swap): usage (\d+)kB, limit (\d+)kB, failcnt (\d+)$/;
const TASK_IN = /^Task in (\S+) killed as a result of limit of (\S+)$/;
const LIMIT_REACHED = /^Memory limit reached of cgroup (\S+)$/;
/** "Out of memory: Kill process 1 (a) score 9 or sacrifice child", "Killed process 1 (a), UID 0, total-vm:...". */
// 2.6.1x wrote "Out of Memory: Killed process 10475 (firefox-bin)." with a capital M.
const KILL = /^(?:(Memory cgroup out of memory|Out of [Mm]emory(?: \([^)]*\))?): )?Kill(?:ed)? process (\d+) \((.*)\)(?=[\s,.]|$)(.*)$/;
// A mail re-flow can glue the next syslog record to the value: the number and its unit are what counts.
const SWAP = /^(Free|Total) swap\s*=\s*(\d+)kB\b/;
const PAGES = /^(\d+) pages (RAM|reserved)$/;
/** A line of Mem-Info's totals: key:value pairs in pages, perhaps cut after a key ("isolated_anon:"). */
const TOTALS = /^[a-z_]+:\d+(?:\s+[a-z_]+:\d*)*$/;
const NODE_LINE = /^Node (\d+) active_anon:.*\ball_unreclaimable\?\s+(yes|no)\b/;

function oomOf(b: Builder): OomFacts {
  return (b.report.oom ??= { counters: [] });
}

function memInfoOf(b: Builder): MemInfoTotals {
  return (b.report.memInfo ??= { pages: {}, unreclaimableNodes: [] });
}

/** A kB field of a kill line ("anon-rss:6375476kB"), or undefined. */
function kib(rest: string, key: string): number | undefined {
  const m = new RegExp(`\\b${key}:(\\d+)kB`).exec(rest);
  return m ? exact(m[1] as string) : undefined;
}

/** The `oom-kill:` summary line (5.0+, dump_oom_summary): key=value pairs, `global_oom` alone. */
function readSummary(b: Builder, body: string): void {
  const o = oomOf(b);
  const get = (key: string): string | undefined => new RegExp(`(?:^|,)${key}=([^,]*)`).exec(body)?.[1];
  const constraint = get('constraint');
  if (constraint !== undefined) o.constraint = constraint;
  const memcg = get('oom_memcg');
  if (memcg !== undefined) o.oomMemcg = memcg;
  if (/(?:^|,)global_oom(?:,|$)/.test(body)) o.globalOom = true;
  const taskMemcg = get('task_memcg');
  if (taskMemcg !== undefined) o.taskMemcg = taskMemcg;
  const comm = get('task');
  if (comm !== undefined) {
    const pid = exact(get('pid') ?? '');
    const uid = exact(get('uid') ?? '');
    o.task = { comm, ...(pid === undefined ? {} : { pid }), ...(uid === undefined ? {} : { uid }) };
  }
  // The summary repeats the placement. Its nodemask stays apart (a header's nodemask dates the report,
  // 4.9-4.20); mems_allowed, which 5.0+ headers no longer print, limits the replay to the allowed nodes.
  const r = b.report;
  const nodemask = get('nodemask');
  if (nodemask !== undefined) o.nodemask = nodemask;
  const mems = get('mems_allowed');
  if (r.memsAllowed === undefined && mems !== undefined && /^[\d,-]*$/.test(mems)) r.memsAllowed = mems;
}

/**
 * Reads one line of a report for its OOM facts and Mem-Info totals. It only records: the caller's state
 * machine still sees the line (Free swap, for one, also ends the zone part of the block).
 */
export function readOomLine(b: Builder, t: string, l: LogicalLine): void {
  let m: RegExpExecArray | null;
  if (t.startsWith('oom-kill:')) return readSummary(b, t.slice('oom-kill:'.length));
  if ((m = COUNTER.exec(t))) {
    const [usage, limit, failcnt] = [exact(m[2] as string), exact(m[3] as string), exact(m[4] as string)];
    if (usage === undefined || limit === undefined || failcnt === undefined) return;
    const name = m[1] as 'memory' | 'memory+swap' | 'kmem' | 'swap';
    oomOf(b).counters.push({ name, usageKiB: usage, limitKiB: limit, failcnt, line: l.line });
    return;
  }
  if ((m = TASK_IN.exec(t))) {
    Object.assign(oomOf(b), { taskCgroup: m[1] as string, limitOf: m[2] as string });
    return;
  }
  if ((m = LIMIT_REACHED.exec(t))) {
    oomOf(b).limitOf = m[1] as string;
    return;
  }
  if ((m = KILL.exec(t))) return readKill(b, m, l);
  if ((m = SWAP.exec(t))) {
    const v = exact(m[2] as string);
    if (v !== undefined) memInfoOf(b)[m[1] === 'Free' ? 'freeSwapKiB' : 'totalSwapKiB'] = v;
    return;
  }
  if ((m = PAGES.exec(t))) {
    const v = exact(m[1] as string);
    if (v !== undefined) memInfoOf(b)[m[2] === 'RAM' ? 'pagesRam' : 'pagesReserved'] = v;
    return;
  }
  if ((m = NODE_LINE.exec(t))) {
    if (m[2] === 'yes') memInfoOf(b).unreclaimableNodes.push(Number(m[1]));
    return;
  }
  // Mem-Info's totals come before the first zone line (show_free_areas, in pages).
  if (b.memInfoLine !== undefined && b.zones.size === 0 && TOTALS.test(t)) {
    const pages = memInfoOf(b).pages;
    for (const [, key, digits] of t.matchAll(/([a-z_]+):(\d+)/g)) {
      const v = exact(digits as string);
      if (v !== undefined && !((key as string) in pages)) pages[key as string] = v;
    }
  }
}

/** A kill line: the one that names the victim with its sizes wins over "Kill process ... or sacrifice child". */
function readKill(b: Builder, m: RegExpExecArray, l: LogicalLine): void {
  const pid = exact(m[2] as string);
  if (pid === undefined) return;
  const o = oomOf(b);
  const rest = m[4] as string;
  const prev = o.killed?.pid === pid ? o.killed : undefined;
  const killed = { ...(prev ?? {}), pid, comm: m[3] as string, memcg: (prev?.memcg ?? false) || m[1] === 'Memory cgroup out of memory', line: l.line };
  const score = /\bscore (\d+)/.exec(rest);
  if (score) killed.score = Number(score[1]);
  const uid = /\bUID:? ?(\d+)/.exec(rest);
  if (uid) killed.uid = Number(uid[1]);
  for (const [key, field] of [
    ['total-vm', 'totalVmKiB'],
    ['anon-rss', 'anonRssKiB'],
    ['file-rss', 'fileRssKiB'],
    ['shmem-rss', 'shmemRssKiB'],
  ] as const) {
    const v = kib(rest, key);
    if (v !== undefined) killed[field] = v;
  }
  o.killed = killed;
}
