// Every command, in the order --help lists them: the one list the program is built from.

import type { CliContext, Register } from './context.js';
import { register as check } from './check.js';
import { register as completion } from './completion.js';
import { register as diff } from './diff.js';
import { register as history } from './history.js';
import { register as report } from './report.js';
import { register as show, showCommand } from './show.js';
import { register as watch } from './watch.js';

export const COMMANDS: readonly { name: string; register: Register }[] = [
  { name: 'show', register: show },
  { name: 'check', register: check },
  { name: 'report', register: report },
  { name: 'history', register: history },
  { name: 'diff', register: diff },
  { name: 'watch', register: watch },
  { name: 'completion', register: completion },
];

/** The command `buddyinfo` runs when the first word names no command. */
export const DEFAULT_COMMAND = 'show';

/** What the default command does with no FILE and no option: a run with no argument (see cli.ts). */
export const runDefaultAlone = (ctx: CliContext): Promise<void> => showCommand(ctx, [], {});

/** One line per command for `buddyinfo --help` (each command's own --help has its full description). */
export const SUMMARIES: Readonly<Record<string, string>> = {
  show: 'the fragmentation table per zone (the default)',
  check: 'would an order-N allocation succeed? exit 0/1',
  report: 'why the allocations in a kernel log failed',
  history: 'summarise a long log of snapshots',
  diff: 'what changed between two snapshots',
  watch: 'sample this box every few seconds',
  completion: 'print a bash or zsh completion script',
};
