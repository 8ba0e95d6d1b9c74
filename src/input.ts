// Finds the inputs (files, stdin, a saved procfs, live /proc), recognises each by content, merges them.

import type { Io } from './io.js';
import { InputError, type Machine, type Snapshot, type ZoneFree, type ZoneTypes, type ZoneWatermarks } from './model.js';
import { BuddyinfoLineParser, SnapshotAssembler, checkColumns } from './parse/buddyinfo.js';
import { looksLikePagetypeinfo, parsePagetypeinfo } from './parse/pagetypeinfo.js';
import { looksLikeReport, parseReports, type FailureReport, type ReportZone } from './parse/report.js';
import { looksLikeZoneinfo, parseZoneinfo } from './parse/zoneinfo.js';

export interface InputOptions {
  /** FILE arguments; `-` is standard input. */
  files: string[];
  /** A saved procfs folder (a sosreport's proc/) read instead of /proc. */
  proc?: string;
  /** --page-size, in bytes. */
  pageSize?: number;
  /** Keep every snapshot, not only the last (history needs them, the table does not). */
  keepSnapshots?: boolean;
  /** Also read live or --proc zoneinfo (watermarks) and pagetypeinfo (per-migratetype counts). */
  want?: { watermarks?: boolean; types?: boolean };
  /** Inputs with no free counts are fine (the report command lists reports that lack them). */
  allowEmpty?: boolean;
  /** Read every input as a kernel log, whatever its first lines look like (the report command). */
  logs?: boolean;
}

/** One input to read: a name for messages and a way to open it. */
export interface Source {
  name: string;
  open(): AsyncIterable<string>;
  /** A file of a procfs (live or saved) that may legitimately be missing or unreadable. */
  optional?: boolean;
}

export type InputKind = 'buddyinfo' | 'zoneinfo' | 'pagetypeinfo' | 'report' | 'version';

/**
 * Recognises an input by its first lines, so files can be given in any order and under any name. Text
 * with no zone line in its head is read as a kernel log: its reports may come after megabytes of other
 * messages.
 */
export function sniff(head: string): InputKind {
  if (looksLikePagetypeinfo(head)) return 'pagetypeinfo';
  if (looksLikeZoneinfo(head)) return 'zoneinfo';
  if (/(?:^|[\s\]:>])Node\s+\S+\s*zone\b/im.test(head)) return 'buddyinfo';
  if (/^Linux version \S+[^\n]*\n?$/.test(head)) return 'version';
  return 'report';
}

/** The longest line a text input may have (history's limit too). */
const MAX_LINE = 1 << 20;
/** The most text a log is read into memory for its reports; past it the input is not a kernel log. */
const MAX_LOG = 512 * 1024 * 1024;

/** Decides which sources to read, following the order the README documents. */
export function sources(io: Io, opts: InputOptions): { list: Source[]; live: boolean } {
  const file = (name: string, optional = false): Source =>
    name === '-'
      ? { name: 'standard input', open: () => io.stdin() }
      : { name, open: () => io.readFile(name), optional };
  if (opts.files.filter((f) => f === '-').length > 1) {
    throw new InputError('"-" (standard input) is given twice: standard input can be read only once.');
  }
  if (opts.files.length > 0) return { list: opts.files.map((f) => file(f)), live: false };
  const procfs = (dir: string): Source[] => {
    const list = [file(`${dir}/buddyinfo`)];
    if (opts.want?.watermarks) list.push(file(`${dir}/zoneinfo`, true));
    if (opts.want?.types) list.push(file(`${dir}/pagetypeinfo`, true));
    list.push(file(`${dir}/version`, true));
    return list;
  };
  if (opts.proc !== undefined) return { list: procfs(opts.proc.replace(/\/+$/, '') || '/'), live: false };
  if (io.stdinHasData) return { list: [file('-')], live: false };
  return { list: procfs('/proc'), live: true };
}

/** Turns a Node file error into the one sentence the user needs. */
export function openError(name: string, err: unknown, live: boolean): InputError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (live && code === 'ENOENT') {
    return new InputError(
      `${name} does not exist: this does not look like a Linux system. Pass a saved buddyinfo file instead, e.g. "buddyinfo saved.txt".`,
      name,
    );
  }
  const why = errnoText(err, 'no such file', 'it is a folder (use --proc DIR for a saved procfs)');
  return new InputError(`cannot read ${name}: ${why}.`, name);
}

/** A file system error in words: its usual causes named, anything else as Node says it. */
export function errnoText(err: unknown, missing: string, folder: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return missing;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return folder;
  if (code === 'ENOTDIR') return 'part of the path is not a folder';
  return (err as Error | undefined)?.message ?? String(err);
}

/**
 * Splits text chunks into lines, numbered from 1, without holding more than one partial line. Line ends
 * are LF, CRLF, or a lone CR (old Mac editors).
 */
export async function* lines(chunks: AsyncIterable<string>, name = 'input'): AsyncGenerator<[string, number]> {
  let rest = '';
  let n = 0;
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      const cr = text.indexOf('\r', start);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) break;
      // A CR as the chunk's last character may be the first half of a CRLF: wait for the next chunk.
      if (end === cr && end === text.length - 1) break;
      yield [text.slice(start, end), ++n];
      start = end === cr && text[cr + 1] === '\n' ? cr + 2 : end + 1;
    }
    rest = text.slice(start);
    // A text line is never this long: the input is not text, and holding it would grow without bound.
    if (rest.length > MAX_LINE) {
      throw new InputError(`${name}, line ${n + 1}: a line longer than 1 MiB: expected text lines such as /proc/buddyinfo's.`, name, n + 1);
    }
  }
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++n];
}

/** Reads the head of a stream (up to `size` characters) and gives back a stream that replays it. */
export async function peek(
  chunks: AsyncIterable<string>,
  size = 1 << 16,
): Promise<{ head: string; stream: AsyncIterable<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  const buffered: string[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    length += r.value.length;
  }
  async function* replay(): AsyncGenerator<string> {
    yield* buffered;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head: buffered.join(''), stream: replay() };
}

/** The whole text of an input read in one piece (zoneinfo, pagetypeinfo, logs: all small next to a buddyinfo log). */
async function collect(name: string, chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > MAX_LOG) {
      throw new InputError(
        `${name}: more than ${MAX_LOG / 1024 / 1024} MiB with no buddyinfo zone line near its start: expected a buddyinfo capture, a zoneinfo, a pagetypeinfo or a kernel log; for a long log, cut out the part around the report.`,
        name,
      );
    }
    parts.push(c);
  }
  return parts.join('');
}

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
  /** Snapshots read in all; only the last is kept unless keepSnapshots. */
  snapshotCount: number;
  /** The inputs that were read. */
  sources: string[];
  /** Allocation-failure, OOM and Mem-Info reports found in logs, in input order. */
  reports: FailureReport[];
}

/** Reads every input and merges what they say about the machine. */
export async function loadMachine(io: Io, opts: InputOptions): Promise<LoadedMachine> {
  const { list, live } = sources(io, opts);
  const machine: LoadedMachine = {
    reports: [],
    snapshots: [],
    watermarks: [],
    types: [],
    pageSize: opts.pageSize ?? 4096,
    pageSizeOrigin: opts.pageSize !== undefined ? 'option' : 'default',
    notes: [],
    snapshotCount: 0,
    sources: [],
  };
  if (live && opts.pageSize === undefined) {
    const size = io.livePageSize();
    if (size !== undefined) {
      machine.pageSize = size;
      machine.pageSizeOrigin = 'live';
    }
  }
  if (live) machine.kernel = { version: io.kernelRelease(), origin: 'the running kernel' };
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
        if (!src.name.endsWith('/version')) missing.push(src.name);
        continue;
      }
      throw openError(src.name, err, live);
    }
    machine.sources.push(src.name);
    await readSource(machine, src, opts.logs ? 'report' : sniff(head), head, stream, opts);
  }
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
      const version = /^Linux version (\S+)/m.exec(head)?.[1];
      if (version) machine.kernel = { version, origin: src.name };
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
    case 'report':
      addReports(machine, src.name, await collect(src.name, stream), opts);
      return;
    case 'version': {
      const version = /^Linux version (\S+)/.exec(head)?.[1];
      if (version) machine.kernel = { version, origin: src.name };
      return;
    }
  }
}

/**
 * The migratetype letters of show_migration_types (3.8+). The two enum orders (U E M R C I up to 4.3,
 * U M E H C I from 4.4) give each letter one meaning, so no version is needed to read them.
 */
const TYPE_LETTERS: Record<string, string> = {
  U: 'Unmovable',
  M: 'Movable',
  E: 'Reclaimable',
  R: 'Reserve',
  H: 'HighAtomic',
  C: 'CMA',
  I: 'Isolate',
};

/** Per-type counts from a free-area line's letters: a letter says its list is non-empty, no more. */
export function typesOf(z: ReportZone, source: string): ZoneTypes | undefined {
  if (!z.types || !z.free || z.types.every((t) => t === '')) return undefined;
  const free: ZoneTypes['free'] = {};
  for (const name of Object.values(TYPE_LETTERS)) free[name] = z.free.free.map(() => ({ count: 0, atLeast: false }));
  z.types.forEach((letters, order) => {
    for (const letter of letters) {
      const name = TYPE_LETTERS[letter];
      const cell = name ? free[name]?.[order] : undefined;
      if (cell) {
        cell.count = 1;
        cell.atLeast = true;
      }
    }
  });
  return { node: z.node, zone: z.zone, free, source, line: z.freeLine ?? z.free.line };
}

/** What one report says of each zone, in the model the analyses take. */
export function reportState(r: FailureReport): { zones: ZoneFree[]; watermarks: ZoneWatermarks[]; types: ZoneTypes[] } {
  return {
    zones: r.zones.flatMap((z) => (z.free ? [z.free] : [])),
    watermarks: r.zones.flatMap((z) =>
      z.watermarks ? [{ ...z.watermarks, lowmemReserve: z.lowmemReserve ?? z.watermarks.lowmemReserve }] : [],
    ),
    types: r.zones.flatMap((z) => typesOf(z, r.source) ?? []),
  };
}

/**
 * Adds a log's reports. Each report with free-area lines is a snapshot; the watermarks and migratetypes
 * are the last such report's, so a check replays the state the kernel printed last.
 */
function addReports(machine: LoadedMachine, source: string, text: string, opts: InputOptions): void {
  const log = parseReports(text, source);
  machine.reports.push(...log.reports);
  const usable = log.reports.filter((r) => r.zones.some((z) => z.free));
  for (const r of usable) {
    const snapshot: Snapshot = { zones: r.zones.flatMap((z) => (z.free ? [z.free] : [])) };
    if (r.time !== undefined) snapshot.stamp = r.time;
    if (opts.keepSnapshots) machine.snapshots.push(snapshot);
    else machine.snapshots = [snapshot];
    machine.snapshotCount++;
  }
  const last = usable[usable.length - 1];
  if (last) {
    ({ watermarks: machine.watermarks, types: machine.types } = reportState(last));
    if (last.pageSize !== undefined && opts.pageSize === undefined) {
      machine.pageSize = last.pageSize;
      machine.pageSizeOrigin = 'input';
    }
  }
  const kernel = last?.kernel ?? log.kernel?.version;
  if (kernel !== undefined) {
    machine.kernel = { version: kernel, origin: last?.kernel !== undefined ? `${source}, line ${last.line}` : `${source}, line ${log.kernel?.line}` };
  }
  for (const p of [...log.problems, ...log.reports.flatMap((r) => r.problems)]) {
    machine.notes.push(`${source}, line ${p.line}: ${p.message}`);
  }
}
