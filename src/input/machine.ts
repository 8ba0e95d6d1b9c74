// Reads every input and merges what they say about the machine: snapshots, watermarks, free lists, release.

import type { Io } from '../io.js';
import { InputError, isSystemError, where, type Machine, type Snapshot, type StatedKernel, type ZoneFree } from '../model.js';
import { BuddyinfoLineParser, SnapshotAssembler, checkColumns, cutShortOf } from '../parse/buddyinfo.js';
import type { IndexTable } from '../parse/extfrag.js';
import { parsePagetypeinfo } from '../parse/pagetypeinfo.js';
import { readPaste } from '../parse/paste.js';
import type { FailureReport } from '../parse/report-types.js';
import { releaseFromBanner, releaseFromUname, type StatedRelease } from '../parse/version.js';
import { parseZoneinfo } from '../parse/zoneinfo.js';
import { meminfoSwap } from '../parse/meminfo.js';
import { parseSysctlOutput, VM_SYSCTLS } from '../parse/sysctl.js';
import { crossCheck } from './crosscheck.js';
import { ArchiveInput } from './decompress.js';
import { archiveSources, expandSosreports, sosreportNotes } from './sosreport.js';
import { isEmptyPaste, marklessZones, mergePaste, snapshotFromTypes } from './paste.js';
import { onceEach, readReports } from './reports.js';
import { sniff, type InputKind } from './sniff.js';
import { chooseSources, openError, type InputOptions, type Source } from './sources.js';
import { collect, lines, peek } from './text.js';

/** A text read at once, as peek() gives a stream: its head (all of it) and a stream of it. */
function whole(text: string): { head: string; stream: AsyncIterable<string> } {
  return {
    head: text,
    stream: {
      async *[Symbol.asyncIterator]() {
        yield text;
      },
    },
  };
}

/** The start of a zone line cut before its counts: "N", "No", "Node 0,", "Node 0, zone Nor". */
const PARTIAL_ZONE_START = /^N(?:o(?:d(?:e(?:\s+\d*(?:,\s*(?:z(?:o(?:n(?:e(?:\s+[A-Za-z]\w*)?)?)?)?)?)?)?)?)?)?$/;

/**
 * Reads a buddyinfo stream, keeping the last snapshot (or all, when asked) and a count. As history does
 * (parse/log-reader.ts), only the source's last line may be cut short: it is left out with a note, and so
 * is a last snapshot that stops short of the one before it.
 */
async function readBuddyinfo(
  src: Source,
  stream: AsyncIterable<string>,
  keep: boolean,
): Promise<{ snapshots: Snapshot[]; count: number; notes: string[] }> {
  const parser = new BuddyinfoLineParser(src.name);
  const asm = new SnapshotAssembler();
  const kept: Snapshot[] = [];
  const notes: string[] = [];
  let count = 0;
  let before: ZoneFree[] | undefined;
  // The newest snapshot is held until another follows: it may be the one cut short.
  let held: Snapshot | undefined;
  let deferred: InputError | undefined;
  const commit = (s: Snapshot): void => {
    count++;
    before = s.zones;
    if (keep) kept.push(s);
    else kept[0] = s;
  };
  const finish = (s: Snapshot | undefined): void => {
    if (!s) return;
    checkColumns(s);
    if (held) commit(held);
    held = s;
  };
  const take = (z: ZoneFree | undefined): void => {
    if (z) finish(asm.add(z));
  };
  let lastLine: { text: string; n: number } | undefined;
  for await (const [text, n] of lines(stream, src.name)) {
    if (text.trim() !== '') lastLine = { text: text.trim(), n };
    if (deferred) {
      if (text.trim() === '') continue;
      throw deferred;
    }
    try {
      take(parser.line(text, n));
    } catch (err) {
      // An error about this line (or met on a blank one) waits: it stands only if a line follows.
      if (!(err instanceof InputError) || (err.line !== n && text.trim() !== '')) throw err;
      deferred = err;
    }
  }
  try {
    take(parser.end());
  } catch (err) {
    if (!(err instanceof InputError) || deferred) throw err;
    deferred = err;
  }
  finish(asm.end());
  // A last line cut before its counts ("No", "Node 0, zo") is no zone line for the parser: said, not passed over.
  if (lastLine !== undefined && PARTIAL_ZONE_START.test(lastLine.text) && deferred?.line !== lastLine.n) {
    notes.push(`${where(src.name, lastLine.n)}: the last line was left out: it stops short ("${lastLine.text}").`);
  }
  const last = held;
  if (deferred) {
    if (!last) throw deferred;
    const why = deferred.message.replace(/^.*?, line \d+: /, '').replace(/\.$/, '');
    if (before === undefined) {
      notes.push(`${where(src.name, deferred.line ?? 0)}: the last line was left out: it stops short (${why}).`);
      commit(last);
    } else {
      notes.push(`${where(src.name, last.zones[0]?.line ?? 0)}: the last snapshot was left out: it stops short at line ${deferred.line} (${why}).`);
    }
  } else if (last) {
    const short = cutShortOf(last.zones, before);
    if (short === undefined) commit(last);
    else notes.push(`${where(src.name, last.zones[0]?.line ?? 0)}: the last snapshot was left out: ${short}.`);
  }
  if (count === 0) {
    throw new InputError(
      `${src.name}: expected /proc/buddyinfo lines like "Node 0, zone Normal 12 5 3 ...", found no zone line.`,
      src.name,
    );
  }
  return { snapshots: kept, count, notes };
}

/** How much the inputs have given so far, to tell an input that gave nothing. */
function yieldOf(m: LoadedMachine): string {
  const sysctls = Object.keys(m.sysctls ?? {}).length;
  return [m.snapshotCount, m.watermarks.length, m.types.length, m.reports.length, m.indexTables.length, m.kernel?.origin, sysctls, m.statedPageSize, m.marklessZones?.length].join();
}

function emptyWhy(head: string): string {
  if (head.trim() === '') return 'it is empty';
  if (head.includes('\u0000')) return 'it is not text';
  return 'it holds no buddyinfo, zoneinfo, pagetypeinfo, kernel report or release';
}

/** What the inputs say about the machine, with what was read to say it. */
export interface LoadedMachine extends Machine {
  /** The page size an input states (a report's free-area block sizes), before the decision. */
  statedPageSize?: number;
  /** Snapshots read in all; only the last is kept unless keepSnapshots. */
  snapshotCount: number;
  /** The free counts are the sums of a pagetypeinfo's rows: no buddyinfo was given. */
  countsFromTypes?: true;
  /** Read from this machine's /proc (no FILE, no --proc, nothing on standard input). */
  live: boolean;
  /** The inputs that were read. */
  sources: string[];
  /** Allocation-failure, OOM and Mem-Info reports found in logs, in input order. */
  reports: FailureReport[];
  /** debugfs extfrag_index / unusable_index tables, each with the buddyinfo capture it can be compared with. */
  indexTables: { table: IndexTable; snapshot?: Snapshot }[];
  /** Zones of a zoneinfo read without their watermarks ("line N: Node 0 DMA"), for the error. */
  marklessZones?: string[];
}

/** Reads every input and merges what they say about the machine. */
export async function loadMachine(io: Io, opts: InputOptions): Promise<LoadedMachine> {
  const chosen = await chooseSources(io, opts);
  const live = chosen.live;
  // A sosreport (folder or archive) among the FILEs, or as --proc, is opened up into the files it holds.
  const sos = live ? { list: chosen.list, notes: [], boxOf: new Map<string, string>() } : await expandSosreports(io, opts, chosen.list);
  const list = sos.list;
  const machine: LoadedMachine = {
    live,
    reports: [],
    snapshots: [],
    watermarks: [],
    types: [],
    pageSize: 4096,
    pageSizeOrigin: 'default',
    notes: [...(chosen.note === undefined ? [] : [chosen.note]), ...sos.notes],
    snapshotCount: 0,
    sources: [],
    indexTables: [],
  };
  if (live) machine.kernel = { version: io.kernelRelease(), origin: 'the running kernel', live: true };
  const missing: string[] = [];
  const folderHint = opts.folderHint ?? (opts.logs === true ? 'log' : 'proc');
  for (const src of list) {
    let head: string;
    let stream: AsyncIterable<string>;
    try {
      ({ head, stream } = src.text === undefined ? await peek(src.open((text) => machine.notes.push(text))) : whole(await src.text()));
    } catch (err) {
      // A sosreport archive piped in: its files join the list, read as from an archive given as FILE.
      if (err instanceof ArchiveInput) {
        const found = await archiveSources(io, src.name, opts.logs === true, err.bytes);
        machine.notes.push(...sosreportNotes(src.name, found, opts.logs === true));
        for (const s of found.list) sos.boxOf.set(s.name, src.name);
        list.push(...found.list);
        continue;
      }
      if (src.optional) {
        const code = (err as NodeJS.ErrnoException | undefined)?.code;
        // /proc/pagetypeinfo is mode 0400 from 5.4 ("mm, vmstat: hide /proc/pagetypeinfo from normal users",
        // Michal Hocko, the companion of the 100000 cap), and on the stable updates it reached (4.14.y, 5.3.y).
        if (live && src.name === '/proc/pagetypeinfo' && (code === 'EACCES' || code === 'EPERM')) {
          machine.notes.push('Could not read /proc/pagetypeinfo: the per-type view needs root. Carrying on without it.');
          continue;
        }
        // A kernel without the sysctl (compaction_proactiveness before 5.9) or a saved procfs without sys/.
        if (!src.name.endsWith('/version') && src.sysctl === undefined && src.meminfo === undefined) missing.push(src.name);
        continue;
      }
      throw openError(src.name, err, live, folderHint);
    }
    if (src.meminfo) {
      const swap = meminfoSwap(await collect(src.name, stream));
      if (swap !== undefined) machine.swap = { ...swap, origin: src.name };
      continue;
    }
    if (src.sysctl !== undefined) {
      const value = (await collect(src.name, stream)).trim();
      if (value !== '') (machine.sysctls ??= {})[src.sysctl] = { value, origin: src.name };
      continue;
    }
    machine.sources.push(src.name);
    // Every input of `report` is a log, except `sysctl -a` output given beside it (vm.extfrag_threshold).
    const kind = sniff(head);
    const before = yieldOf(machine);
    try {
      await readSource(machine, src, opts.logs && kind !== 'sysctl' ? 'report' : kind, head, stream, opts);
    } catch (err) {
      // The file failed past its head (EIO from a bad disk, /proc/self/mem): the same sentence as at its start.
      if (isSystemError(err)) throw openError(src.name, err, live, folderHint);
      throw err;
    }
    // A FILE that gave nothing is said, not passed over: it may be the one the user meant.
    const named = opts.files.includes(src.name) || src.name === 'standard input';
    if (!live && named && yieldOf(machine) === before) machine.notes.push(`${src.name}: nothing was read from it: ${emptyWhy(head)}.`);
  }
  if (opts.logs && sos.boxOf.size > 0) {
    const { reports, dropped } = onceEach(machine.reports);
    machine.reports = reports;
    if (dropped > 0) machine.notes.push(`${dropped} report${dropped === 1 ? '' : 's'} found again in another log of the sosreport ${dropped === 1 ? 'is' : 'are'} listed once.`);
  }
  Object.assign(machine, decidePageSize(opts.pageSize, live ? io.livePageSize() : undefined, machine.statedPageSize));
  const fromTypes = machine.snapshots.length === 0;
  if (fromTypes) {
    // A pagetypeinfo alone still gives the counts per order: the sums of its per-type rows.
    const derived = snapshotFromTypes(machine.types);
    if (derived !== undefined) {
      machine.countsFromTypes = true;
      machine.snapshots = [derived.snapshot];
      machine.snapshotCount = 1;
      machine.notes.push(...derived.notes);
    }
  }
  if (missing.length > 0) {
    machine.notes.push(`Could not read ${missing.join(', ')}: carrying on without ${missing.length > 1 ? 'them' : 'it'}.`);
  }
  // FILEs may come from different boxes; a procfs, live or saved, is one box by construction.
  if (opts.files.length > 0 && !live) {
    const sameBox = (a: string, b: string): boolean => sos.boxOf.get(a) !== undefined && sos.boxOf.get(a) === sos.boxOf.get(b);
    const counts = fromTypes ? 'pagetypeinfo' : 'buddyinfo';
    machine.notes.push(...crossCheck(machine.snapshots[machine.snapshots.length - 1], machine.watermarks, machine.types, opts.force === true, sameBox, { counts }));
  }
  if (machine.snapshots.length === 0 && !opts.allowEmpty && !(opts.allowWatermarksOnly === true && machine.watermarks.length > 0)) {
    const names = list.map((s) => s.name).join(', ');
    throw new InputError(
      machine.reports.length > 0
        ? `${names}: found ${machine.reports.length} report${machine.reports.length === 1 ? '' : 's'} but no free-area line ("Node 0 Normal: 12*4kB 5*8kB ... = 88kB") to read the free blocks from.`
        : machine.watermarks.length > 0 || machine.types.length > 0
          ? `${names}: found a ${machine.watermarks.length > 0 ? 'zoneinfo' : 'pagetypeinfo'} but no buddyinfo: give the buddyinfo from the same box beside it.`
          : machine.indexTables.length > 0
            ? `${names}: found the kernel's debugfs ${machine.indexTables[0]?.table.file ?? 'extfrag'} rows (line ${machine.indexTables[0]?.table.line}) but no buddyinfo: they hold indices, not free counts; give the buddyinfo read beside them.`
            : machine.marklessZones !== undefined
              ? `${names}: found a zoneinfo without its min, low and high lines (${machine.marklessZones.slice(0, 3).join('; ')}) and no buddyinfo: nothing to analyse; give the whole /proc/zoneinfo, or the buddyinfo from the same box.`
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

/** A parser's result, or undefined when it refuses the text as bad input. */
function tryParse<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InputError) return undefined;
    throw err;
  }
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
      const { snapshots, count, notes } = await readBuddyinfo(src, stream, opts.keepSnapshots ?? false);
      machine.notes.push(...notes);
      // A loop, not push(...snapshots): a log of many thousand snapshots would overflow the call stack.
      if (opts.keepSnapshots) for (const snap of snapshots) machine.snapshots.push(snap);
      else machine.snapshots = snapshots;
      machine.snapshotCount += count;
      return;
    }
    case 'zoneinfo':
    case 'pagetypeinfo':
    case 'paste': {
      const text = await collect(src.name, stream);
      // The file as the kernel printed it (live, a saved procfs) goes straight to its own parser; anything
      // that parser refuses (a paste of several files) to the paste reader.
      if (kind === 'zoneinfo' && /^Node \d+, zone/.test(text)) {
        const z = tryParse(() => parseZoneinfo(text, src.name));
        if (z !== undefined) {
          machine.watermarks.push(...z.zones);
          const markless = marklessZones(z);
          if (markless.length > 0) (machine.marklessZones ??= []).push(...markless);
          for (const p of z.problems) machine.notes.push(p.message);
          return;
        }
      }
      if (kind === 'pagetypeinfo' && text.startsWith('Page block order:')) {
        const t = tryParse(() => parsePagetypeinfo(text, src.name));
        if (t !== undefined) {
          machine.types.push(...t.zones);
          return;
        }
      }
      // A pasted capture: prompts, quotes, several /proc files and debugfs rows in one text.
      const paste = readPaste(text, src.name);
      const first = paste.problems[0];
      if (first !== undefined && isEmptyPaste(paste)) throw first;
      mergePaste(machine, paste, src.name, text, opts.keepSnapshots ?? false);
      return;
    }
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

