// Finds the inputs (files, stdin, a saved procfs, live /proc), recognises each by content, merges them.

import type { Io } from './io.js';
import { InputError, type Machine, type Snapshot, type ZoneFree } from './model.js';
import { BuddyinfoLineParser, SnapshotAssembler, checkColumns } from './parse/buddyinfo.js';
import { looksLikePagetypeinfo, parsePagetypeinfo } from './parse/pagetypeinfo.js';
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
}

/** One input to read: a name for messages and a way to open it. */
export interface Source {
  name: string;
  open(): AsyncIterable<string>;
  /** A file of a procfs (live or saved) that may legitimately be missing or unreadable. */
  optional?: boolean;
}

export type InputKind = 'buddyinfo' | 'zoneinfo' | 'pagetypeinfo' | 'version';

/** Recognises an input by its first lines, so files can be given in any order and under any name. */
export function sniff(head: string): InputKind {
  if (looksLikePagetypeinfo(head)) return 'pagetypeinfo';
  if (looksLikeZoneinfo(head)) return 'zoneinfo';
  if (/^Linux version \S+/.test(head)) return 'version';
  return 'buddyinfo';
}

/** Decides which sources to read, following the order the README documents. */
export function sources(io: Io, opts: InputOptions): { list: Source[]; live: boolean } {
  const file = (name: string, optional = false): Source =>
    name === '-'
      ? { name: 'standard input', open: () => io.stdin() }
      : { name, open: () => io.readFile(name), optional };
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
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder (use --proc DIR for a saved procfs)'
          : ((err as Error | undefined)?.message ?? String(err));
  return new InputError(`cannot read ${name}: ${why}.`, name);
}

/** Splits text chunks into lines, numbered from 1, without holding more than one partial line. */
export async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<[string, number]> {
  let rest = '';
  let n = 0;
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
      yield [text.slice(start, i), ++n];
      start = i + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield [rest, ++n];
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

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const c of chunks) parts.push(c);
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
  for await (const [text, n] of lines(stream)) take(parser.line(text, n));
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

/** Reads every input and merges what they say about the machine. */
export async function loadMachine(io: Io, opts: InputOptions): Promise<Machine & { snapshotCount: number; sources: string[] }> {
  const { list, live } = sources(io, opts);
  const machine: Machine & { snapshotCount: number; sources: string[] } = {
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
    await readSource(machine, src, sniff(head), head, stream, opts);
  }
  if (missing.length > 0) {
    machine.notes.push(`Could not read ${missing.join(', ')}: carrying on without ${missing.length > 1 ? 'them' : 'it'}.`);
  }
  if (machine.snapshots.length === 0) {
    throw new InputError(
      `${list.map((s) => s.name).join(', ')}: expected /proc/buddyinfo lines like "Node 0, zone Normal 12 5 3 ...", found no zone line.`,
    );
  }
  return machine;
}

/** Adds what one recognised input says to the machine. */
async function readSource(
  machine: Machine & { snapshotCount: number },
  src: Source,
  kind: InputKind,
  head: string,
  stream: AsyncIterable<string>,
  opts: InputOptions,
): Promise<void> {
  switch (kind) {
    case 'buddyinfo': {
      const { snapshots, count } = await readBuddyinfo(src, stream, opts.keepSnapshots ?? false);
      if (opts.keepSnapshots) machine.snapshots.push(...snapshots);
      else machine.snapshots = snapshots;
      machine.snapshotCount += count;
      return;
    }
    case 'zoneinfo':
      machine.watermarks.push(...parseZoneinfo(await collect(stream), src.name).zones);
      return;
    case 'pagetypeinfo':
      machine.types.push(...parsePagetypeinfo(await collect(stream), src.name).zones);
      return;
    case 'version': {
      const version = /^Linux version (\S+)/.exec(head)?.[1];
      if (version) machine.kernel = { version, origin: src.name };
      return;
    }
  }
}
