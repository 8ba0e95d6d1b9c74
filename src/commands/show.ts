// The default command: the fragmentation table (or its JSON) of the last snapshot read.

import { analyzeZone } from '../analysis/fragmentation.js';
import { makeChalk } from '../format/color.js';
import { renderShow, type ShowView } from '../format/table.js';
import { loadMachine, type InputOptions } from '../input.js';
import type { Io } from '../io.js';

export interface ShowOptions extends InputOptions {
  json: boolean;
  color: 0 | 1;
}

/** Builds the data both views print: the JSON is this object, the table one rendering of it. */
export async function showView(io: Io, opts: ShowOptions): Promise<ShowView> {
  const machine = await loadMachine(io, opts);
  const last = machine.snapshots[machine.snapshots.length - 1];
  return {
    pageSize: machine.pageSize,
    pageSizeOrigin: machine.pageSizeOrigin,
    snapshots: machine.snapshotCount,
    sources: machine.sources,
    zones: (last?.zones ?? []).map((z) => analyzeZone(z, machine.pageSize)),
    notes: machine.notes,
  };
}

export async function show(io: Io, opts: ShowOptions): Promise<number> {
  const view = await showView(io, opts);
  io.stdout.write(opts.json ? `${JSON.stringify(view, null, 2)}\n` : renderShow(view, makeChalk(opts.color)));
  return 0;
}
