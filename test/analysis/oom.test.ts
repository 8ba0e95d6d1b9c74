// OOM reports (kernel.md 6): the lines read beyond the zones, and which kind of OOM each report shows.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { viewReport } from '../../src/commands/report.js';
import { parseReports } from '../../src/parse/report.js';
import type { FailureReport } from '../../src/parse/report-types.js';
import { FIXTURES } from '../helpers/io.js';

const view = (r: FailureReport) => viewReport(r, { ask: {}, mark: 'min', defaultPageSize: 4096 });
const one = (text: string) => parseReports(text, 't').reports[0] as FailureReport;

/** A 5.x global OOM in the kernel's formats (dump_header, show_mem, dump_oom_summary, the kill line). */
const GLOBAL_5X = `[ 100.000001] stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
[ 100.000002] CPU: 1 PID: 4242 Comm: stress Not tainted 5.15.0 #1
[ 100.000003] Mem-Info:
[ 100.000004] active_anon:400000 inactive_anon:50000 isolated_anon:0
                active_file:100 inactive_file:200 isolated_file:0
                unevictable:0 dirty:0 writeback:0
                slab_reclaimable:1000 slab_unreclaimable:2000
                mapped:50 shmem:25000 pagetables:3000 bounce:0
                free:5000 free_pcp:10 free_cma:0
[ 100.000005] Node 0 active_anon:1600000kB inactive_anon:200000kB active_file:400kB inactive_file:800kB unevictable:0kB isolated(anon):0kB isolated(file):0kB all_unreclaimable? yes
[ 100.000006] Node 0 Normal free:20000kB boost:0kB min:20400kB low:25000kB high:30000kB reserved_highatomic:0KB active_anon:1600000kB inactive_anon:200000kB active_file:0kB inactive_file:400kB unevictable:0kB writepending:0kB present:2097152kB managed:2000000kB mlocked:0kB bounce:0kB free_pcp:40kB local_pcp:0kB free_cma:0kB
[ 100.000007] lowmem_reserve[]: 0 0 0 0 0
[ 100.000008] Node 0 Normal: 1000*4kB (UME) 500*8kB (UME) 250*16kB (UM) 125*32kB (M) 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 16000kB
[ 100.000009] 25300 total pagecache pages
[ 100.000010] 0 pages in swap cache
[ 100.000011] Free swap  = 0kB
[ 100.000012] Total swap = 0kB
[ 100.000013] 524288 pages RAM
[ 100.000014] 24288 pages reserved
[ 100.000015] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=stress,pid=4242,uid=1000
[ 100.000016] Out of memory: Killed process 4242 (stress) total-vm:1900000kB, anon-rss:1750000kB, file-rss:100kB, shmem-rss:0kB, UID:1000 pgtables:3600kB oom_score_adj:0
`;

/** A cgroup v2 memory OOM (5.4+): memory: and swap: counters, the summary with oom_memcg, one kill line. */
const MEMCG_V2 = `[ 200.000001] worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
[ 200.000002] memory: usage 524288kB, limit 524288kB, failcnt 17
[ 200.000003] swap: usage 0kB, limit 9007199254740988kB, failcnt 0
[ 200.000004] Memory cgroup stats for /system.slice/app.service:
[ 200.000005] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0-1,oom_memcg=/system.slice/app.service,task_memcg=/system.slice/app.service,task=worker,pid=77,uid=0
[ 200.000006] Memory cgroup out of memory: Killed process 77 (worker) total-vm:600000kB, anon-rss:510000kB, file-rss:2000kB, shmem-rss:0kB, UID:0 pgtables:1200kB oom_score_adj:0
`;

/** A cgroup v1 OOM (<= 4.20): Task in ... killed as a result of limit of, memory+swap at its limit, the two kill lines. */
const MEMCG_V1 = `[ 300.000001] java invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0
[ 300.000002] Task in /kubepods/pod1/ctr killed as a result of limit of /kubepods/pod1
[ 300.000003] memory: usage 1000000kB, limit 2097152kB, failcnt 0
[ 300.000004] memory+swap: usage 2097152kB, limit 2097152kB, failcnt 42
[ 300.000005] kmem: usage 20000kB, limit 9007199254740988kB, failcnt 0
[ 300.000006] Memory cgroup out of memory: Kill process 9 (java) score 990 or sacrifice child
[ 300.000007] Killed process 9 (java) total-vm:3000000kB, anon-rss:900000kB, file-rss:100kB, shmem-rss:0kB
`;

describe('the lines beyond the zones', () => {
  it('a 5.x global OOM: totals over five lines, the node line, swap, RAM, the summary and the kill', () => {
    const r = one(GLOBAL_5X);
    expect(r.memInfo).toMatchObject({
      pages: { active_anon: 400000, inactive_anon: 50000, active_file: 100, inactive_file: 200, shmem: 25000, slab_unreclaimable: 2000, pagetables: 3000, free: 5000 },
      freeSwapKiB: 0,
      totalSwapKiB: 0,
      pagesRam: 524288,
      pagesReserved: 24288,
      unreclaimableNodes: [0],
    });
    expect(r.oom).toMatchObject({ constraint: 'CONSTRAINT_NONE', globalOom: true, taskMemcg: '/user.slice', task: { comm: 'stress', pid: 4242, uid: 1000 } });
    expect(r.oom?.killed).toEqual({ pid: 4242, comm: 'stress', memcg: false, uid: 1000, totalVmKiB: 1900000, anonRssKiB: 1750000, fileRssKiB: 100, shmemRssKiB: 0, line: 21 });
    // the summary's mems_allowed is kept (5.0+ headers no longer print it); its nodemask is not the header's
    expect([r.memsAllowed, r.nodemask, r.oom?.nodemask]).toEqual(['0', undefined, '(null)']);
  });

  it('cgroup v2 and v1 counters, "Task in ... limit of", and the two v1 kill lines merged', () => {
    expect(one(MEMCG_V2).oom?.counters.map((c) => [c.name, c.usageKiB, c.limitKiB, c.failcnt])).toEqual([
      ['memory', 524288, 524288, 17],
      ['swap', 0, 9007199254740988, 0],
    ]);
    const v1 = one(MEMCG_V1);
    expect(v1.oom).toMatchObject({ taskCgroup: '/kubepods/pod1/ctr', limitOf: '/kubepods/pod1' });
    expect(v1.oom?.counters.map((c) => c.name)).toEqual(['memory', 'memory+swap', 'kmem']);
    expect(v1.oom?.killed).toMatchObject({ pid: 9, comm: 'java', memcg: true, score: 990, anonRssKiB: 900000, line: 7 });
  });
});

describe('the kind of OOM', () => {
  it('a global shortage: what filled memory, no swap, reclaim given up, the task killed', () => {
    const v = view(one(GLOBAL_5X));
    expect(v.oom?.code).toBe('OOM_GLOBAL_SHORTAGE');
    // anon (400000 + 50000) pages = 1800000 kB, file 300 pages = 1200 kB, RAM 524288 pages = 2 GiB
    expect(v.oom?.use).toMatchObject({ anonKiB: 1800000, fileKiB: 1200, shmemKiB: 100000, freeKiB: 20000, ramKiB: 2097152, largest: 'anon' });
    expect(v.oom?.text).toBe(
      'Global OOM: the box ran out of memory reclaim could free. Most of it was anonymous memory (process heaps, tmpfs and shmem): anon 1.7 GiB, page cache 1.2 MiB, unreclaimable slab 7.8 MiB, free 19.5 MiB of 2.0 GiB RAM. No swap is configured, so anonymous memory could not be reclaimed. Reclaim had given up on node 0 (all_unreclaimable). The OOM killer killed stress (pid 4242): anon-rss 1.7 GiB, file-rss 100 KiB.',
    );
    expect(v.why[0]?.code).toBe('OOM_GLOBAL_SHORTAGE');
    // swap is known to be 0, so only the zone's file pages count (0 + 400 kB = 100 pages): 5000 + 100 <= min 5100
    expect(v.check?.zones[0]?.reclaim).toEqual({ reclaimablePages: 100, anonCounted: false, ok: false, swapKnown: true });
    expect(v.check?.next?.code).toBe('RECLAIM_CANNOT_HELP');
  });

  it('a memory cgroup limit: no replay, the limit is the answer', () => {
    const v = view(one(MEMCG_V2));
    expect(v.check).toBeNull();
    expect(v.why.map((w) => w.code)).toEqual(['OOM_MEMCG_LIMIT']);
    expect(v.oom?.memcg).toMatchObject({ cgroup: '/system.slice/app.service', counter: { name: 'memory', usageKiB: 524288, limitKiB: 524288 } });
    expect(v.problems).toEqual([]);
    // v1: memory is at 1000000 of 2097152 kB, memory+swap at its limit: that is the counter named
    const v1 = view(one(MEMCG_V1));
    expect(v1.oom?.memcg?.counter).toMatchObject({ name: 'memory+swap', usageKiB: 2097152, failcnt: 42 });
    expect(v1.why[0]?.text).toMatch(/^Memory-cgroup limit reached in \/kubepods\/pod1 \(memory\+swap usage 2097152 kB of limit 2097152 kB, failcnt 42\)/);
  });

  it('"Memory limit reached of cgroup" is a limit too; "limit of host" (a vendor kernel\'s global OOM) is not', () => {
    const reached = one('x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\nMemory limit reached of cgroup /a\nmemory: usage 10kB, limit 10kB, failcnt 1\n');
    expect(view(reached).oom?.code).toBe('OOM_MEMCG_LIMIT');
    const host = one(
      'x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0\nTask in /user.slice killed as a result of limit of host\nNode 0 Normal free:4000kB min:8000kB low:10000kB high:12000kB\nNode 0 Normal: 1000*4kB = 4000kB\n',
    );
    expect(view(host).oom?.code).toBe('OOM_GLOBAL_SHORTAGE');
  });

  it('order=-1 without a cgroup is SysRq f: OOM_FORCED', () => {
    const v = view(one('[ 1.0] kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0\n[ 1.1] Out of memory: Killed process 1 (init) total-vm:100kB, anon-rss:10kB, file-rss:0kB, shmem-rss:0kB\n'));
    expect(v.oom?.code).toBe('OOM_FORCED');
    expect(v.why.map((w) => w.code)).toEqual(['OOM_FORCED']);
  });

  it('an order-2 OOM with the memory free but no block of order 2: OOM_FRAGMENTED', () => {
    // Normal: free 20000 kB = 5000 pages, all in order-0 and order-1 blocks; min 10000 kB = 2500 pages:
    // 5000 - 3 > 2500, but no block of order >= 2
    const text = `y invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=2, oom_score_adj=0
Node 0 Normal free:20000kB min:10000kB low:12500kB high:15000kB managed:2000000kB
lowmem_reserve[]: 0 0 0 0 0
Node 0 Normal: 3000*4kB (UME) 1000*8kB (UME) 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 20000kB
`;
    const v = view(one(text));
    expect(v.check?.zones[0]?.code).toBe('NO_BLOCK');
    expect(v.oom?.code).toBe('OOM_FRAGMENTED');
    expect(v.oom?.text).toMatch(/^An order-2 request was refused while node 0 Normal had the free memory but not the block/);
  });
});

describe('the real corpus: fixtures/real/expected/*.json, worked out by hand', () => {
  const dir = `${FIXTURES}real/`;
  const cases = readdirSync(`${dir}expected`).flatMap((f) => {
    const exp = JSON.parse(readFileSync(`${dir}expected/${f}`, 'utf8')) as { reports?: Record<string, unknown>[] };
    const name = f.replace(/\.json$/, '');
    let text: string;
    try {
      text = readFileSync(`${dir}reports/${name}`, 'utf8');
    } catch {
      return [];
    }
    const got = parseReports(text, name).reports;
    // A dump whose header is not in the excerpt (headerLine null) is matched by test/real-corpus.test.ts.
    return (exp.reports ?? []).filter((e) => e.headerLine !== null).map((e) => ({ name, e, r: got.find((g) => g.line === e.headerLine) }));
  });

  it('covers the memcg and global OOM files (04, 23, 26, 28, 53, ...)', () => {
    const files = new Set(cases.map((c) => c.name.slice(0, 2)));
    for (const f of ['03', '04', '13', '14', '23', '26', '28', '53', '55', '61']) expect(files, f).toContain(f);
  });

  it('finds every report the expectations list', () => {
    expect(cases.filter((c) => c.r === undefined).map((c) => `${c.name} line ${String(c.e.headerLine)}`)).toEqual([]);
  });

  const found = cases.flatMap((c) => (c.r === undefined ? [] : [{ ...c, r: c.r }]));
  it.each(found.map((c) => [`${c.name.slice(0, 40)} line ${String(c.e.headerLine)}`, c] as const))('%s', (_, { e, r }) => {
    const mem = r.oom?.counters.find((c) => c.name === 'memory');
    const k = r.oom?.killed;
    expect({
      memcgUsageKiB: mem?.usageKiB ?? null,
      memcgLimitKiB: mem?.limitKiB ?? null,
      killed: k === undefined ? null : { pid: k.pid, comm: k.comm, anonRssKiB: k.anonRssKiB ?? null },
      freeSwapKiB: r.memInfo?.freeSwapKiB ?? null,
    }).toEqual({ memcgUsageKiB: e.memcgUsageKiB ?? null, memcgLimitKiB: e.memcgLimitKiB ?? null, killed: e.killed ?? null, freeSwapKiB: e.freeSwapKiB ?? null });
    if (e.kind === 'oom') expect(view(r).oom?.code === 'OOM_MEMCG_LIMIT', 'memory cgroup OOM').toBe(e.memcg === true);
  });
});
