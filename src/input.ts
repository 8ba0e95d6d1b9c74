// Finds the inputs (files, stdin, a saved procfs, live /proc), recognises each by content, merges them.

import type { Io } from './io.js';
import { InputError, type Machine, type Snapshot, type ZoneFree } from './model.js';
import { BuddyinfoLineParser, SnapshotAssembler, checkColumns } from './parse/buddyinfo.js';

export interface InputOptions {
  /** FILE arguments; `-` is standard input. */
  files: string[];
  /** A saved procfs folder (a sosreport's proc/) read instead of /proc. */
  proc?: string;
  /** --page-size, in bytes. */
  pageSize?: number;
  /** Keep every snapshot, not only the last (history needs them, the table does not). */
  keepSnapshots?: boolean;
}

/** One input to read: a name for messages and a way to open it. */
export interface Source {
  name: string;
  open(): AsyncIterable<string>;
  /** A file of a procfs (live or saved) that may legitimately be missing or unreadable. */
  optional?: boolean;
}

export type InputKind = 'buddyinfo';

/** Decides which sources to read, following the order the README documents. */
export function sources(io: Io, opts: InputOptions): { list: Source[]; live: boolean } {
  const file = (name: string): Source =>
    name === '-' ? { name: 'standard input', open: () => io.stdin() } : { name, open: () => io.readFile(name) };
  if (opts.files.length > 0) return { list: opts.files.map(file), live: false };
  if (opts.proc !== undefined) {
    return { list: [{ ...file(`${opts.proc.replace(/\/+$/, '')}/buddyinfo`) }], live: false };
  }
  if (io.stdinHasData) return { list: [file('-')], live: false };
  return { list: [{ ...file('/proc/buddyinfo') }], live: true };
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

/** Reads a buddyinfo source as a stream, keeping the last snapshot (or all, when asked) and a count. */
async function readBuddyinfo(
  src: Source,
  keep: boolean,
  live: boolean,
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
  try {
    for await (const [text, n] of lines(src.open())) take(parser.line(text, n));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw openError(src.name, err, live);
  }
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
    sources: list.map((s) => s.name),
  };
  if (live && opts.pageSize === undefined) {
    const size = io.livePageSize();
    if (size !== undefined) {
      machine.pageSize = size;
      machine.pageSizeOrigin = 'live';
    }
  }
  if (live) machine.kernel = { version: io.kernelRelease(), origin: 'the running kernel' };
  for (const src of list) {
    const { snapshots, count } = await readBuddyinfo(src, opts.keepSnapshots ?? false, live);
    machine.snapshots.push(...snapshots);
    machine.snapshotCount += count;
  }
  return machine;
}
