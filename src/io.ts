// The outside world as the commands see it: streams, files, the live kernel. cli.ts supplies the real one.

export interface Output {
  write(text: string): void;
  isTTY?: boolean;
  /** Terminal width, when a terminal. */
  columns?: number;
  /** Terminal height, when a terminal. */
  rows?: number;
}

/**
 * What standard input is: a regular file (`< saved`), a pipe or socket, a terminal, another device
 * (/dev/null is a character device), or no descriptor at all (closed).
 */
export type StdinKind = 'file' | 'pipe' | 'tty' | 'null' | 'none';

export interface Io {
  stdout: Output;
  stderr: Output;
  env: Readonly<Record<string, string | undefined>>;
  /** What standard input is (src/input/sources.ts decides from it whether to read it). */
  stdinKind: StdinKind;
  /**
   * The process has a controlling terminal (/dev/tty opens): someone ran it from a shell. cron, systemd,
   * `ssh host cmd` without -t and CI runners give none.
   */
  interactive: boolean;
  /**
   * Standard input and files as raw bytes, for readers that scan bytes without decoding them (history's
   * log reader). A chunk is only valid until the next one is asked for: the array may be reused.
   */
  stdinBytes(): AsyncIterable<Uint8Array>;
  readBytes(path: string): AsyncIterable<Uint8Array>;
  /**
   * A small file of the live /proc read whole, at once, as UTF-8; throws a Node error (ENOENT, EACCES...)
   * when it cannot; a promise when the read was started before the bundle loaded (src/boot.cts, for the
   * slow pagetypeinfo). Optional: without it the live files are read as any other, through readBytes.
   */
  readProcText?(path: string): string | Promise<string>;
  /** Whether a path exists and is readable by us. */
  readable(path: string): boolean;
  /** Whether a path is a regular file, which can be opened twice (a pipe's data is gone once read). */
  regularFile(path: string): boolean;
  /** The names in a folder (a sosreport's), or undefined when the path is no readable folder. */
  listDir(path: string): string[] | undefined;
  /** The running kernel's page size in bytes, when it can be found. */
  livePageSize(): number | undefined;
  /** The running kernel's release (uname -r). */
  kernelRelease(): string;
  /**
   * The running kernel's log, read to its end without waiting for more: /dev/kmsg opened non-blocking,
   * else the dmesg command (when /dev/kmsg needs root); `via` says which. Throws (a Node error) when
   * neither can be read.
   */
  kernelLog(): { text: string; via: '/dev/kmsg' | 'dmesg' };
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits, unless the signal aborts first (then rejects with an AbortError). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Aborted when the user presses Ctrl-C; long-running commands stop on it. */
  interrupt: AbortSignal;
  /**
   * Writes --output. A regular file (or the one a symbolic link names) is replaced atomically: a temporary
   * file in its folder, renamed into place, the link kept. A FIFO or a device is opened and written, as a
   * shell's `>` does; a path that is standard output or error itself (/dev/stdout) is written on it.
   */
  writeOutput(path: string, text: string): Promise<void>;
}
