// What every command shares: the context it registers with, its common options and how they are declared.

import type { Command } from 'commander';
import type { KernelAsk } from '../kernel/choice.js';
import { RULE_NAMES } from '../kernel/rules.js';
import { parsePageSize } from '../format/units.js';
import type { Io } from '../io.js';

/** Options every command that reads buddyinfo shares. */
export interface CommonOptions {
  proc?: string;
  force?: boolean;
  live?: boolean;
  pageSize?: number;
  json: boolean;
  color?: boolean;
}

/** The kernel options of the commands that replay the check (--kernel, --rules). */
export interface KernelOptions {
  kernel?: string;
  rules?: string[];
}

/** What a command module needs to add itself to the program. */
export interface CliContext {
  io: Io;
  /** The colour level for standard output under these options. */
  colorOf(o: { color?: boolean }): 0 | 1;
  /** Records the exit status of the command that ran. */
  exit(code: number): void;
  /** The program's version and the command it runs when the first word names none. */
  version: string;
  defaultCommand: string;
  /** Every command's name, registered or not (the program registers only the one a run needs). */
  commandNames: readonly string[];
}

/**
 * The width to fit text output to: the terminal's, when standard output is one. Piped or redirected
 * output keeps every column and long lines, for grep and for a reader with a wider screen.
 */
export function terminalWidth(io: Io): number | undefined {
  const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
  // A serial console or a container's pty may report 0 columns (no size set): fitting to that would put
  // one word on a line. A width this small is no real terminal's; the output is left as drawn.
  return columns !== undefined && columns >= MIN_COLUMNS ? columns : undefined;
}

/** The narrowest terminal width believed: below it the reported size is taken for no size at all. */
export const MIN_COLUMNS = 20;

/** The terminal's height in rows, 24 when it reports none (or 0, as an unsized console does). */
export function terminalHeight(io: Io): number {
  const rows = io.stdout.isTTY === true ? io.stdout.rows : undefined;
  return rows !== undefined && rows >= 5 ? rows : 24;
}

/** A command module: adds its command to the program. */
export type Register = (prog: Command, ctx: CliContext) => void;

/**
 * --proc, --live and --page-size: where the buddyinfo comes from and its page size. `live: false` for a
 * command that never reads standard input (watch).
 */
export function inputOptions(cmd: Command, { live = true } = {}): Command {
  cmd.option('--proc <dir>', "read buddyinfo (and zoneinfo, pagetypeinfo) from a saved procfs folder, e.g. a sosreport's proc/, or from a whole sosreport (folder or archive)");
  if (live) cmd.option('--live', "read this machine's /proc, whatever standard input is");
  return pageSizeOption(cmd);
}

/** --force: read FILEs that look like captures of different boxes together anyway (show, check, history). */
export function forceOption(cmd: Command): Command {
  return cmd.option('--force', 'read FILEs together even when they look like captures of different boxes');
}

/** --page-size alone, for commands that read only saved text. */
export function pageSizeOption(cmd: Command): Command {
  return cmd.option(
    '--page-size <size>',
    "page size of a saved capture (4096, 4K, 16K, 64K); default: the running kernel's for live input, else what the input states, else 4K",
    parsePageSize,
  );
}

/** --json, --color and --no-color. */
export function outputOptions(cmd: Command, json = 'print the analysis as JSON'): Command {
  return cmd
    .option('--json', json)
    .option('--color', 'colour the output even when not on a terminal')
    .option('--no-color', 'never colour the output');
}

/** --kernel and --rules: which release's rules the check replays. */
export function kernelOptions(cmd: Command): Command {
  return cmd
    .option('--kernel <release>', "replay this kernel release's rules (e.g. 3.10.0-1160.el7, 5.15.171, 6.1.157); default: the release the input states")
    .option(
      '--rules <axis=value>',
      `override one rule axis (repeatable): an axis value or a release to take it from, e.g. flags=6.3, highatomic=free; axes: ${RULE_NAMES.join(', ')}`,
      (text: string, prev: string[] | undefined) => [...(prev ?? []), text],
    );
}

/** What the user asked of the kernel choice, from parsed options. */
export function kernelAsk(o: KernelOptions & { algorithm?: 'legacy' | 'modern' }): KernelAsk {
  const ask: KernelAsk = {};
  if (o.kernel !== undefined) ask.kernel = o.kernel;
  if (o.algorithm !== undefined) ask.algorithm = o.algorithm;
  if (o.rules !== undefined) ask.rules = o.rules;
  return ask;
}
