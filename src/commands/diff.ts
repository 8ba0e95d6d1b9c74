// `buddyinfo diff BEFORE AFTER`: what changed per zone and order between two snapshots.

import type { Command } from 'commander';
import { makeChalk } from '../format/color.js';
import type { DiffView } from '../format/diff.js';
import { loadMachine, type LoadedMachine } from '../input/machine.js';
import type { Io } from '../io.js';
import { InputError, type Snapshot } from '../model.js';
import { outputOptions, pageSizeOption, terminalWidth, type CliContext } from './context.js';

export interface DiffOptions {
  before: string;
  after: string;
  pageSize?: number;
  json: boolean;
  color: 0 | 1;
}

/** Reads one side: the last snapshot of the file, with a note when the file holds several. */
async function side(io: Io, file: string, pageSize: number | undefined, notes: string[]): Promise<{ snap: Snapshot; machine: LoadedMachine }> {
  const m = await loadMachine(io, { files: [file], pageSize, folderHint: 'buddyinfo' });
  const last = m.snapshots[m.snapshots.length - 1];
  if (!last) throw new InputError(`${file}: expected /proc/buddyinfo lines, found no zone line.`);
  if (m.snapshotCount > 1) notes.push(`${file} holds ${m.snapshotCount} snapshots: comparing its last.`);
  return { snap: last, machine: m };
}

/** Builds what both views print: the JSON is this object, the text one rendering of it. */
export async function diffView(io: Io, opts: DiffOptions): Promise<DiffView> {
  if (opts.before === '-' && opts.after === '-') {
    throw new InputError('diff: only one side can be standard input ("-").');
  }
  const notes: string[] = [];
  const before = await side(io, opts.before, opts.pageSize, notes);
  const after = await side(io, opts.after, opts.pageSize, notes);
  // Each side's page size was decided where it was loaded; a side that states one (a report) wins over
  // one that assumed the default, and two that state different ones are not the same box.
  const stated = [before.machine, after.machine].filter((m) => m.pageSizeOrigin !== 'default');
  const page = stated[0] ?? before.machine;
  const other = stated[1];
  if (other !== undefined && other.pageSize !== page.pageSize) {
    throw new InputError(
      `${opts.before} has ${page.pageSize}-byte pages and ${opts.after} ${other.pageSize}-byte pages: expected two snapshots of one box; --page-size overrides both.`,
    );
  }
  // Loaded when the command runs, so the start-up of every other command does not pay for it.
  const { diffSnapshots } = await import('../analysis/diff.js');
  const d = diffSnapshots(before.snap, after.snap, page.pageSize);
  const name = (f: string): string => (f === '-' ? 'standard input' : f);
  return {
    pageSize: page.pageSize,
    pageSizeOrigin: page.pageSizeOrigin,
    before: name(opts.before),
    after: name(opts.after),
    zones: d.zones,
    notes: [...notes, ...d.notes],
  };
}

export async function diff(io: Io, opts: DiffOptions): Promise<number> {
  const view = await diffView(io, opts);
  const { renderDiff } = await import('../format/diff.js');
  io.stdout.write(opts.json ? `${JSON.stringify(view, null, 2)}\n` : renderDiff(view, await makeChalk(opts.color), terminalWidth(io)));
  return 0;
}

const EXAMPLES = `
Examples:
  $ cat /proc/buddyinfo > before.txt; echo 1 > /proc/sys/vm/compact_memory; buddyinfo diff before.txt /proc/buddyinfo
  $ buddyinfo diff --json before.txt /proc/buddyinfo | jq '.zones[] | {zone, delta}'

From a clone of the repository (fixtures/ holds real captures):
  $ buddyinfo diff fixtures/diff-before.txt fixtures/diff-after.txt`;

export function register(prog: Command, ctx: CliContext): void {
  const cmd = prog
    .command('diff')
    .description('the change per node, zone and order between two snapshots, in blocks and bytes, with the largest order and the indices')
    .argument('<before>', 'the earlier capture ("-": standard input); a file of several snapshots gives its last')
    .argument('<after>', 'the later capture');
  pageSizeOption(cmd);
  outputOptions(cmd, 'print the change as JSON')
    .addHelpText('after', EXAMPLES)
    .action(async (before: string, after: string, o: { pageSize?: number; json?: boolean; color?: boolean }) => {
      ctx.exit(await diff(ctx.io, { before, after, pageSize: o.pageSize, json: o.json === true, color: ctx.colorOf(o) }));
    });
}
