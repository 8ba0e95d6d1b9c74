// Reads every input and merges what they say about the machine: snapshots, watermarks, free lists, release.

import type { Io } from '../io.js';
import { InputError, type Machine, type Snapshot, type StatedKernel, type ZoneFree } from '../model.js';
import { BuddyinfoLineParser, SnapshotAssembler, checkColumns } from '../parse/buddyinfo.js';
import { parsePagetypeinfo } from '../parse/pagetypeinfo.js';
import type { FailureReport } from '../parse/report-types.js';
import { releaseFromBanner, releaseFromUname, type StatedRelease } from '../parse/version.js';
import { parseSysctlOutput, VM_SYSCTLS } from '../parse/sysctl.js';
import { parseZoneinfo } from '../parse/zoneinfo.js';
import { readReports } from './reports.js';
import { sniff, type InputKind } from './sniff.js';
import { chooseSources, openError, type InputOptions, type Source } from './sources.js';
import { collect, lines, peek } from './text.js';

/** Reads a buddyinfo stream, keeping the last snapshot (or all, when asked) and a count. */
async function readBuddyinfo(
  src: Source,
  stream: AsyncIterable<string>,
  keep: boolean,
): Promise<{ snapshots: Snapshot[]; count: number }> {
  const parser = new BuddyinfoLineParser(src.name);
  const asm = new SnapshotAssembler();
  const kept: Snapshot[] = [];
  let count = 0;
  const finish = (s: Snapshot | undefined): void => {
    if (!s) return;
    checkColumns(s);
    count++;
    if (keep) kept.push(s);
    else kept[0] = s;
  };
  const take = (z: ZoneFree | undefined): void => {
    if (z) finish(asm.add(z));
  };
  for await (const [text, n] of lines(stream, src.name)) take(parser.line(text, n));
  take(parser.end());
  finish(asm.end());
  if (count === 0) {
    throw new InputError(
      `${src.name}: expected /proc/buddyinfo lines like "Node 0, zone Normal 12 5 3 ...", found no zone line.`,
      src.name,
    );
  }
  return { snapshots: kept, count };
}

/** What the inputs say about the machine, with what was read to say it. */
export interface LoadedMachine extends Machine {
  /** The page size an input states (a report's free-area block sizes), before the decision. */
  statedPageSize?: number;
  /** Snapshots read in all; only the last is kept unless keepSnapshots. */
  snapshotCount: number;
  /** The inputs that were read. */
  sources: string[];
  /** Allocation-failure, OOM and Mem-Info reports found in logs, in input order. */
  reports: FailureReport[];
}

/** Reads every input and merges what they say about the machine. */
export async function loadMachine(io: Io, opts: InputOptions): Promise<LoadedMachine> {
  const { list, live } = await chooseSources(io, opts);
  const machine: LoadedMachine = {
    reports: [],
    snapshots: [],
    watermarks: [],
    types: [],
    pageSize: 4096,
    pageSizeOrigin: 'default',
    notes: [],
    snapshotCount: 0,
    sources: [],
  };
  if (live) machine.kernel = { version: io.kernelRelease(), origin: 'the running kernel', live: true };
  const missing: string[] = [];
  for (const src of list) {
    let head: string;
    let stream: AsyncIterable<string>;
    try {
      ({ head, stream } = await peek(src.open()));
    } catch (err) {
      if (src.optional) {
        const code = (err as NodeJS.ErrnoException | undefined)?.code;
        // /proc/pagetypeinfo is mode 0400 from 5.4 ("mm, vmstat: hide /proc/pagetypeinfo from normal users",
        // Michal Hocko, the companion of the 100000 cap), and on the stable updates it reached (4.14.y, 5.3.y).
        if (live && src.name === '/proc/pagetypeinfo' && (code === 'EACCES' || code === 'EPERM')) {
          machine.notes.push('Could not read /proc/pagetypeinfo: the per-type view needs root. Carrying on without it.');
          continue;
        }
        // A kernel without the sysctl (compaction_proactiveness before 5.9) or a saved procfs without sys/.
        if (!src.name.endsWith('/version') && src.sysctl === undefined) missing.push(src.name);
        continue;
      }
      throw openError(src.name, err, live);
    }
    if (src.sysctl !== undefined) {
      const value = (await collect(src.name, stream)).trim();
      if (value !== '') (machine.sysctls ??= {})[src.sysctl] = { value, origin: src.name };
      continue;
    }
    machine.sources.push(src.name);
    // Every input of `report` is a log, except `sysctl -a` output given beside it (vm.extfrag_threshold).
    const kind = sniff(head);
    await readSource(machine, src, opts.logs && kind !== 'sysctl' ? 'report' : kind, head, stream, opts);
  }
  Object.assign(machine, decidePageSize(opts.pageSize, live ? io.livePageSize() : undefined, machine.statedPageSize));
  if (missing.length > 0) {
    machine.notes.push(`Could not read ${missing.join(', ')}: carrying on without ${missing.length > 1 ? 'them' : 'it'}.`);
  }
  if (machine.snapshots.length === 0 && !opts.allowEmpty) {
    const names = list.map((s) => s.name).join(', ');
    throw new InputError(
      machine.reports.length > 0
        ? `${names}: found ${machine.reports.length} report${machine.reports.length === 1 ? '' : 's'} but no free-area line ("Node 0 Normal: 12*4kB 5*8kB ... = 88kB") to read the free blocks from.`
        : machine.watermarks.length > 0 || machine.types.length > 0
          ? `${names}: found a ${machine.watermarks.length > 0 ? 'zoneinfo' : 'pagetypeinfo'} but no buddyinfo: give the buddyinfo from the same box beside it.`
          : `${names}: expected /proc/buddyinfo lines like "Node 0, zone Normal 12 5 3 ...", found no zone line.`,
    );
  }
  return machine;
}

/**
 * The page size, decided once for every command: --page-size, else the running kernel's (live input),
 * else what the input states (the first block size of a report's free-area lines), else 4 KiB, which
 * the output then says it assumed.
 */
export function decidePageSize(
  option: number | undefined,
  live: number | undefined,
  stated: number | undefined,
): Pick<Machine, 'pageSize' | 'pageSizeOrigin'> {
  if (option !== undefined) return { pageSize: option, pageSizeOrigin: 'option' };
  if (live !== undefined) return { pageSize: live, pageSizeOrigin: 'live' };
  if (stated !== undefined) return { pageSize: stated, pageSizeOrigin: 'input' };
  return { pageSize: 4096, pageSizeOrigin: 'default' };
}

/** A release found in an input, as the machine records it. */
function stated(r: StatedRelease, origin: string): StatedKernel {
  return r.upstream === undefined ? { version: r.release, origin } : { version: r.release, origin, upstream: r.upstream };
}

/** Adds what one recognised input says to the machine. */
async function readSource(
  machine: LoadedMachine,
  src: Source,
  kind: InputKind,
  head: string,
  stream: AsyncIterable<string>,
  opts: InputOptions,
): Promise<void> {
  switch (kind) {
    case 'buddyinfo': {
      // `cat /proc/version /proc/buddyinfo > saved.txt` keeps the release beside the counts.
      const banner = head.split('\n').map((l) => releaseFromBanner(l)).find((r) => r !== undefined);
      if (banner) machine.kernel = stated(banner, src.name);
      const { snapshots, count } = await readBuddyinfo(src, stream, opts.keepSnapshots ?? false);
      // A loop, not push(...snapshots): a log of many thousand snapshots would overflow the call stack.
      if (opts.keepSnapshots) for (const snap of snapshots) machine.snapshots.push(snap);
      else machine.snapshots = snapshots;
      machine.snapshotCount += count;
      return;
    }
    case 'zoneinfo':
      machine.watermarks.push(...parseZoneinfo(await collect(src.name, stream), src.name).zones);
      return;
    case 'pagetypeinfo':
      machine.types.push(...parsePagetypeinfo(await collect(src.name, stream), src.name).zones);
      return;
    case 'report': {
      const log = readReports(src.name, await collect(src.name, stream), opts.keepSnapshots ?? false);
      machine.reports.push(...log.reports);
      if (opts.keepSnapshots) for (const snap of log.snapshots) machine.snapshots.push(snap);
      else if (log.snapshots.length > 0) machine.snapshots = log.snapshots;
      machine.snapshotCount += log.count;
      if (log.state !== undefined) ({ watermarks: machine.watermarks, types: machine.types } = log.state);
      if (log.pageSize !== undefined) machine.statedPageSize = log.pageSize;
      if (log.kernel !== undefined) machine.kernel = log.kernel;
      machine.notes.push(...log.notes);
      return;
    }
    case 'sysctl': {
      for (const [name, v] of parseSysctlOutput(await collect(src.name, stream))) {
        if ((VM_SYSCTLS as readonly string[]).includes(name)) (machine.sysctls ??= {})[name] = { value: v.value, origin: `${src.name}, line ${v.line}` };
      }
      return;
    }
    case 'version': {
      const banner = releaseFromBanner(head);
      const release = banner ?? (releaseFromUname(head) === undefined ? undefined : { release: releaseFromUname(head) as string });
      if (release) machine.kernel = stated(release, src.name);
      return;
    }
  }
}

