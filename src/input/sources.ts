// Which inputs to read (FILEs, standard input, a saved procfs, the live /proc), and file errors in words.

import type { Io } from '../io.js';
import { InputError, isSystemError } from '../model.js';
import { ArchiveInput, textOf } from './decompress.js';
import { sniff } from './sniff.js';
import { peek } from './text.js';
import { looksLikeReport } from '../parse/report.js';
import { sysctlPath, VM_SYSCTLS } from '../parse/sysctl.js';

export interface InputOptions {
  /** FILE arguments; `-` is standard input. */
  files: string[];
  /** A saved procfs folder (a sosreport's proc/) read instead of /proc. */
  proc?: string;
  /** --page-size, in bytes. */
  pageSize?: number;
  /** Keep every snapshot, not only the last (history needs them, the table does not). */
  keepSnapshots?: boolean;
  /**
   * Also read live or --proc zoneinfo (watermarks), pagetypeinfo (per-migratetype counts) and the vm
   * sysctls the next-step analysis reads (DIR/sys/vm/...).
   */
  want?: { watermarks?: boolean; types?: boolean | 'saved'; sysctls?: boolean };
  /** Inputs with no free counts are fine (the report command lists reports that lack them). */
  allowEmpty?: boolean;
  /** Read every input as a kernel log, whatever its first lines look like (the report command). */
  logs?: boolean;
  /** A zoneinfo with no free counts is enough (show lists its zones' free pages and watermarks). */
  allowWatermarksOnly?: boolean;
  /** What to say of a folder given as FILE (the commands without --proc say what they read instead). */
  folderHint?: FolderHint;
  /** Read inputs together even when they look like they come from different boxes (--force). */
  force?: boolean;
  /** --live: the live /proc, whatever standard input is. */
  live?: boolean;
}

/** One input to read: a name for messages and a way to open it. */
export interface Source {
  name: string;
  /** Its text; `note` hears what the reading leaves out (a compressed file cut short). */
  open(note?: (text: string) => void): AsyncIterable<string>;
  /** A file of a procfs (live or saved) that may legitimately be missing or unreadable. */
  optional?: boolean;
  /** A sysctl's own file (DIR/sys/vm/min_free_kbytes): its whole text is that sysctl's value. */
  sysctl?: string;
  /** A procfs's meminfo, read for its swap lines only (the next-step replay's reclaimable pages). */
  meminfo?: true;
  /**
   * The whole text at once, for a file of the live /proc: a read and a decode, where open() takes four
   * layers of async generators (bytes, decompression, decoding, a look at the head), about 0.3 ms a
   * file in code still cold at start-up, for files the kernel never compresses and that are a few KB.
   */
  text?: () => string | Promise<string>;
}

/**
 * Whether standard input is the input when no FILE and no --proc is given. A regular file
 * (`buddyinfo < saved`) always is. A pipe is when someone at a terminal made it (the process has a
 * controlling terminal), and a log reader (report), which has no live source, reads any pipe. A
 * terminal, /dev/null or a closed descriptor is never read. A pipe in a run without a terminal is
 * decided by what it sends (chooseSources).
 */
export function readsStdin(io: Io, opts: Pick<InputOptions, 'logs'>): boolean {
  if (io.stdinKind === 'file') return true;
  return io.stdinKind === 'pipe' && (io.interactive || opts.logs === true);
}

/**
 * How long a pipe in a run without a terminal has to send its first byte. cron gives a pipe it closes
 * at once, and `ssh host buddyinfo` (without -n) and CI runners one that stays open and silent: a pipe
 * silent this long is taken for such a one and the live /proc is read. A script's `zcat f | buddyinfo`
 * sends within a few milliseconds; a slower writer is why scripts should say `-`.
 */
export const IDLE_PIPE_MS = 100;

/** Decides which sources to read, following the order the README documents. */
export function sources(io: Io, opts: InputOptions): { list: Source[]; live: boolean; implicitStdin?: boolean; idlePipe?: boolean } {
  const file = (name: string, optional = false): Source =>
    name === '-'
      ? { name: 'standard input', open: (note) => textOf('standard input', io.stdinBytes(), note, true) }
      : { name, open: (note) => textOf(name, io.readBytes(name), note), optional };
  if (opts.files.filter((f) => f === '-').length > 1) {
    throw new InputError('"-" (standard input) is given twice: standard input can be read only once.');
  }
  if (opts.live && (opts.files.length > 0 || opts.proc !== undefined)) {
    throw new InputError(`--live reads this machine's /proc: give either --live or ${opts.files.length > 0 ? 'FILEs' : '--proc DIR'}, not both.`);
  }
  if (opts.files.length > 0) return { list: opts.files.map((f) => file(f)), live: false };
  // want.types 'saved': a saved procfs's pagetypeinfo, not the live one (slow to make, root-only from 5.4).
  const procfs = (dir: string, live = false): Source[] => {
    const list = [file(`${dir}/buddyinfo`)];
    if (opts.want?.watermarks) list.push(file(`${dir}/zoneinfo`, true));
    if (opts.want?.types === true || (opts.want?.types === 'saved' && !live)) list.push(file(`${dir}/pagetypeinfo`, true));
    list.push(file(`${dir}/version`, true));
    if (opts.want?.sysctls) {
      for (const name of VM_SYSCTLS) list.push({ ...file(`${dir}/${sysctlPath(name)}`, true), sysctl: name });
      list.push({ ...file(`${dir}/meminfo`, true), meminfo: true });
    }
    return list;
  };
  if (opts.proc !== undefined) return { list: procfs(opts.proc.replace(/\/+$/, '') || '/'), live: false };
  if (!opts.live && readsStdin(io, opts)) return { list: [file('-')], live: false, implicitStdin: true };
  const read = io.readProcText?.bind(io);
  const list = procfs('/proc', true);
  const idlePipe = !opts.live && io.stdinKind === 'pipe' ? { idlePipe: true } : {};
  return { list: read === undefined ? list : list.map((s) => ({ ...s, text: () => read(s.name) })), live: true, ...idlePipe };
}

/**
 * sources(), and when that reads standard input without a "-", standard input's first chunk: an input
 * that ends before its first byte (`true | buddyinfo`, an empty file) means the live /proc instead.
 */
export async function chooseSources(io: Io, opts: InputOptions): Promise<{ list: Source[]; live: boolean; note?: string }> {
  const chosen = sources(io, opts);
  if (chosen.idlePipe) return unattendedPipe(io, chosen);
  // A log reader has no live source to fall back on: an empty log is its own error.
  const stdin = chosen.list[0];
  if (!chosen.implicitStdin || opts.logs || stdin === undefined) return chosen;
  // The Source's own reader, so a compressed capture piped in is decoded too.
  const notes = heldNotes();
  const chunks = stdin.open(notes.hear)[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    do {
      first = await chunks.next();
    } while (!first.done && first.value === '');
  } catch (err) {
    if (err instanceof ArchiveInput) return { list: [archiveSource(err)], live: false };
    throw openError('standard input', err, false);
  }
  if (first.done) return sources(io, { ...opts, live: true });
  const head = first.value;
  const rest = { [Symbol.asyncIterator]: () => chunks };
  async function* replay(note?: (text: string) => void): AsyncIterable<string> {
    notes.attach(note);
    yield head;
    yield* rest;
  }
  return { list: [{ name: 'standard input', open: replay }], live: false };
}

/**
 * Notes a decoder makes (a compressed capture cut short) while standard input is looked at, before any
 * reader has asked for them: held, then handed to the reader the stream is opened for, and from then on
 * sent to it directly.
 */
function heldNotes(): { hear: (text: string) => void; attach: (note?: (text: string) => void) => void } {
  const held: string[] = [];
  let to: (text: string) => void = (text) => void held.push(text);
  return {
    hear: (text) => to(text),
    attach: (note) => {
      if (note === undefined) return;
      held.splice(0).forEach(note);
      to = note;
    },
  };
}

/** Standard input found to be a tar archive: opened, it says so again, for loadMachine to open it up. */
function archiveSource(found: ArchiveInput): Source {
  return {
    name: 'standard input',
    open: () => ({
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(found),
      }),
    }),
  };
}

/**
 * A pipe in a run without a terminal (cron, systemd, ssh, CI, a script): read when it sends, within
 * IDLE_PIPE_MS, something this tool reads (a buddyinfo, zoneinfo, pagetypeinfo, kernel log); the live
 * /proc when it ends at once or stays silent. Text that is none of those (`while read h; do ssh $h
 * buddyinfo; done < hosts` hands ssh's remote command the rest of the list) is left with a note, so
 * what looked like input is never dropped unsaid.
 */
async function unattendedPipe(io: Io, live: { list: Source[]; live: boolean }): Promise<{ list: Source[]; live: boolean; note?: string }> {
  const notes = heldNotes();
  const chunks = textOf('standard input', io.stdinBytes(), notes.hear, true)[Symbol.asyncIterator]();
  const firstText = async (): Promise<IteratorResult<string> | 'unreadable' | ArchiveInput> => {
    try {
      for (;;) {
        const r = await chunks.next();
        if (r.done || r.value !== '') return r;
      }
    } catch (err) {
      return err instanceof ArchiveInput ? err : 'unreadable';
    }
  };
  const first = await Promise.race([firstText(), io.sleep(IDLE_PIPE_MS).then(() => 'silent' as const)]);
  if (first instanceof ArchiveInput) return { list: [archiveSource(first)], live: false };
  // Silent is ssh's or a CI runner's idle input, or a writer slower than IDLE_PIPE_MS: said, not guessed.
  if (first === 'silent') {
    return {
      ...live,
      note: `Standard input is a pipe that sent nothing within ${IDLE_PIPE_MS / 1000} s: this is this machine's /proc; give - to wait for piped data, or --live (or ssh -n) to leave standard input alone.`,
    };
  }
  if (first === 'unreadable' || first.done) return live;
  const head = first.value;
  const { head: start, stream } = await peek({
    async *[Symbol.asyncIterator]() {
      yield head;
      for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
    },
  });
  if (start.trim() === '') return live;
  if (sniff(start) === 'report' && !looksLikeReport(start)) {
    const line = start.split('\n', 1)[0]?.trim().slice(0, 60) ?? '';
    return {
      ...live,
      note: `Standard input is a pipe whose text is not a buddyinfo or a kernel log (it starts "${line}"): this is this machine's /proc; give - to read standard input.`,
    };
  }
  const open = (note?: (text: string) => void): AsyncIterable<string> => {
    notes.attach(note);
    return stream;
  };
  return { list: [{ name: 'standard input', open }], live: false };
}

/**
 * What a folder given as FILE should have been, by command: show, check and watch read a saved procfs with
 * --proc DIR; report reads the logs in a sosreport folder, so any other folder wants its log file; history
 * reads logs of snapshots; diff compares two buddyinfo files.
 */
export type FolderHint = 'proc' | 'log' | 'history' | 'buddyinfo';

const FOLDER: Record<FolderHint, string> = {
  proc: 'it is a folder (use --proc DIR for a saved procfs)',
  log: 'it is a folder and not a sosreport: give the kernel log in it (such as DIR/var/log/messages)',
  history: 'it is a folder: history reads a log of buddyinfo snapshots; give the log file (show reads a saved procfs with --proc DIR)',
  buddyinfo: 'it is a folder: give the buddyinfo file in it (such as DIR/buddyinfo)',
};

/** Turns a Node file error into the one sentence the user needs. */
export function openError(name: string, err: unknown, live: boolean, folder: FolderHint = 'proc'): InputError {
  // Already one sentence about the input (a compressed file that cannot be decoded).
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (live && code === 'ENOENT') {
    return new InputError(
      `${name} does not exist: this does not look like a Linux system. Pass a saved buddyinfo file instead, e.g. "buddyinfo saved.txt".`,
      name,
    );
  }
  const why = errnoText(err, 'no such file', FOLDER[folder]);
  return new InputError(`cannot read ${name}: ${why}.`, name);
}

/** A file system error in words: its usual causes named, anything else as the system says it, with its code. */
export function errnoText(err: unknown, missing: string, folder: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return missing;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return folder;
  if (code === 'ENOTDIR') return 'part of the path is not a folder';
  const message = (err as Error | undefined)?.message ?? String(err);
  if (!isSystemError(err)) return message;
  // Node words it "EIO: i/o error, read" (then the path, quoted, when the call had one): the middle part is
  // the system's description; the call and the path mean nothing to the user, who named the file already.
  const described = new RegExp(`^${code}: (.+?), [a-z_]+(?: '.*')?$`, 's').exec(message)?.[1];
  if (described !== undefined) return `${described} (${code})`;
  return message.includes(code as string) ? message : `${message} (${code})`;
}

