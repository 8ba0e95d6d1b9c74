// The default command: the fragmentation table, its JSON or Prometheus exposition, of the last snapshot read.

import type { Command } from 'commander';
import { analyzeZone } from '../analysis/fragmentation.js';
import { gfpProfile } from '../analysis/gfp.js';
import { GENERATIONS, generationOf } from '../analysis/kernel.js';
import { checkMachine, type CheckResult, type ZoneResult } from '../analysis/zonelist.js';
import { renderByType } from '../format/bytype.js';
import { makeChalk } from '../format/color.js';
import { renderPrometheus } from '../format/prometheus.js';
import { renderShow, type ShowView, type WatermarkMark } from '../format/table.js';
import { errnoText, loadMachine, sources, type InputOptions } from '../input.js';
import type { Io } from '../io.js';
import type { CliContext, CommonOptions } from '../cli.js';
import { InputError, type Generation, type Machine } from '../model.js';

export type ShowFormat = 'table' | 'json' | 'prometheus';
export const SHOW_FORMATS: readonly ShowFormat[] = ['table', 'json', 'prometheus'];

export interface ShowOptions extends InputOptions {
  /** --json, the alias of --format json. */
  json: boolean;
  /** --format as typed; checked here so a bad value is one sentence and exit status 2. */
  format?: string;
  /** --output FILE: written atomically instead of printing. */
  output?: string;
  /** --by-type: the per-migratetype table instead of the fragmentation table. */
  byType?: boolean;
  color: 0 | 1;
}

/** The marks the table and JSON summarise (issue 3); Prometheus also exports the high mark. */
const TABLE_MARKS: readonly WatermarkMark[] = ['min', 'low'];
const PROMETHEUS_MARKS: readonly WatermarkMark[] = ['min', 'low', 'high'];

/** Reads --format and --json together; throws InputError when they disagree or the format is unknown. */
export function resolveFormat(json: boolean, format: string | undefined): ShowFormat {
  if (format === undefined) return json ? 'json' : 'table';
  const f = format.trim().toLowerCase() as ShowFormat;
  if (!SHOW_FORMATS.includes(f)) {
    throw new InputError(`--format: expected one of ${SHOW_FORMATS.join(', ')}, found "${format}".`);
  }
  if (json && f !== 'json') throw new InputError(`--json asks for JSON but --format asks for ${f}: give one of them.`);
  return f;
}

/** The generation to replay: the one of the kernel release the input names, else the newest, and why. */
function generationFor(machine: Machine): { generation: Generation; origin: string; note?: string } {
  const newest = GENERATIONS[GENERATIONS.length - 1]?.generation ?? '6.18';
  const k = machine.kernel;
  if (k === undefined) return { generation: newest, origin: 'kernel release unknown, the newest assumed' };
  try {
    return { generation: generationOf(k.version), origin: `${k.version}, from ${k.origin}` };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { generation: newest, origin: 'the newest assumed', note: `${err.message} The newest kernel's check is replayed.` };
  }
}

/** A zone's verdict per mark, keyed by `node/zone` (zone name in lower case). */
type VerdictsByZone = Map<string, Map<WatermarkMark, ZoneResult>>;

const zoneKey = (z: { node: number; zone: string }): string => `${z.node}/${z.zone.toLowerCase()}`;

/** "node 0 Normal", "node 0 Normal and node 1 Normal", "a, b and c". */
function zoneList(zones: readonly { node: number; zone: string }[]): string {
  const names = zones.map((z) => `node ${z.node} ${z.zone}`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The watermark verdicts of a default request (GFP_KERNEL) per zone and mark, with the per-type counts
 * when pagetypeinfo was read so the modern block search (4.4+) looks at the real free lists. Undefined
 * when no watermarks are known; `error` when no zone could be checked. Zones the request may not use
 * (HighMem, Movable for GFP_KERNEL) are not in its zonelist and get no verdict.
 *
 * A zoneinfo that covers only some of the buddyinfo's zones (from another box, or cut short) leaves the
 * others without watermarks, and checkMachine refuses a walk through such a zone. A zone's verdict does
 * not depend on the other zones' watermarks, only on the zonelist's shape (the layout and the zone whose
 * lowmem_reserve index is read), so the covered zones are checked in calls narrowed with `zone` (which
 * filters the walk after it is built: layout and reserve index as for the whole machine), and with
 * `node` too where a zone of the same name on another node is the uncovered one (then, up to the 4.4
 * generation, the reserve index is that node's first zone's, which is the local node's on any box
 * whose nodes hold the same zone types). The uncovered zones get no verdict, and one note names them.
 */
export function watermarkVerdicts(
  machine: Machine,
  marks: readonly WatermarkMark[],
):
  | { check: NonNullable<ShowView['watermarkCheck']>; verdicts: VerdictsByZone; notes: string[] }
  | { error: string }
  | undefined {
  const last = machine.snapshots[machine.snapshots.length - 1];
  if (last === undefined || machine.watermarks.length === 0) return undefined;
  const gen = generationFor(machine);
  const gfp = gfpProfile('kernel');
  const input = { zones: last.zones, watermarks: machine.watermarks, types: machine.types.length > 0 ? machine.types : undefined };
  const covered = new Set(machine.watermarks.map(zoneKey));
  const uncovered = last.zones.filter((z) => !covered.has(zoneKey(z)));
  // The narrowed calls: none when every zone is covered (one walk of the whole zonelist per mark).
  const narrowings: { node?: number; zone?: string }[] = [];
  if (uncovered.length === 0) narrowings.push({});
  else {
    const uncoveredNames = new Set(uncovered.map((z) => z.zone.toLowerCase()));
    const seen = new Set<string>();
    for (const z of last.zones) {
      if (!covered.has(zoneKey(z))) continue;
      const name = z.zone.toLowerCase();
      if (uncoveredNames.has(name)) narrowings.push({ node: z.node, zone: z.zone });
      else if (!seen.has(name)) narrowings.push({ zone: z.zone });
      seen.add(name);
    }
  }
  // One replay per mark: each zone's result carries the largest order that passes, and passing at order k
  // implies passing at k-1 in every generation (the property tests of test/analysis/watermark.test.ts), so
  // the per-order verdicts follow from it without replaying every order.
  const verdicts: VerdictsByZone = new Map();
  let algorithm: CheckResult['algorithm'] | undefined;
  let firstError: string | undefined;
  for (const narrow of narrowings) {
    for (const mark of marks) {
      let r: CheckResult;
      try {
        r = checkMachine(input, { order: 0, mark, gfp, generation: gen.generation, ...narrow });
      } catch (err) {
        // A narrowing to a zone the request may not use (HighMem for GFP_KERNEL) finds no zone to walk.
        if (!(err instanceof InputError)) throw err;
        firstError ??= err.message;
        continue;
      }
      algorithm ??= r.algorithm;
      for (const zr of r.zones) {
        const byMark = verdicts.get(zoneKey(zr)) ?? new Map<WatermarkMark, ZoneResult>();
        byMark.set(mark, zr);
        verdicts.set(zoneKey(zr), byMark);
      }
    }
  }
  if (algorithm === undefined) return { error: firstError ?? 'no zone could be checked.' };
  const check = { gfp: gfp.name, kernel: gen.generation, kernelOrigin: gen.origin, marks: [...marks], algorithm };
  const notes: string[] = [];
  if (uncovered.length > 0) {
    notes.push(
      `No watermarks are known for ${zoneList(uncovered)}, so ${uncovered.length === 1 ? 'it has' : 'they have'} no watermark verdict: ` +
        'give a zoneinfo from the same box as the buddyinfo, which covers every zone.',
    );
  }
  if (gen.note !== undefined) notes.push(gen.note);
  return { check, verdicts, notes };
}

/** Builds the data every view prints: the JSON is this object, the table and the exposition renderings of it. */
export async function showView(io: Io, opts: ShowOptions, marks: readonly WatermarkMark[] = TABLE_MARKS): Promise<ShowView> {
  const format = resolveFormat(opts.json, opts.format);
  const { live } = sources(io, opts);
  // pagetypeinfo is root-only from 5.4: live, the plain table reads it only when it may, while the views
  // that need it (--by-type, Prometheus) ask anyway so the user hears once that it needs root.
  const types = !live || opts.byType === true || format === 'prometheus' || io.readable('/proc/pagetypeinfo');
  const machine = await loadMachine(io, { ...opts, want: { watermarks: true, types, ...opts.want } });
  const last = machine.snapshots[machine.snapshots.length - 1];
  const found = watermarkVerdicts(machine, marks);
  const notes = [...machine.notes];
  if (found !== undefined && 'error' in found) notes.push(`No watermark verdict: ${found.error}`);
  const verdicts = found !== undefined && 'check' in found ? found : undefined;
  if (verdicts !== undefined) notes.push(...verdicts.notes);
  const sameZone = (a: { node: number; zone: string }, b: { node: number; zone: string }): boolean =>
    a.node === b.node && a.zone.toLowerCase() === b.zone.toLowerCase();
  const view: ShowView = {
    pageSize: machine.pageSize,
    pageSizeOrigin: machine.pageSizeOrigin,
    snapshots: machine.snapshotCount,
    sources: machine.sources,
    zones: (last?.zones ?? []).map((z) => {
      const figures: ShowView['zones'][number] = analyzeZone(z, machine.pageSize);
      const t = machine.types.find((x) => sameZone(x, z));
      if (t !== undefined) figures.types = t.blocks === undefined ? { free: t.free } : { free: t.free, blocks: t.blocks };
      if (verdicts !== undefined) {
        const largest: Record<string, number> = {};
        const ok: Record<string, boolean[]> = {};
        let listsKnown: boolean | undefined;
        for (const mark of marks) {
          const first = verdicts.verdicts.get(zoneKey(z))?.get(mark);
          if (first === undefined) continue;
          largest[mark] = first.largestPassingOrder;
          ok[mark] = z.free.map((_, order) => order <= first.largestPassingOrder);
          listsKnown = first.listsKnown;
        }
        if (listsKnown !== undefined) {
          figures.largestPassingOrder = largest;
          figures.watermarkOk = ok;
          figures.listsKnown = listsKnown;
        }
      }
      return figures;
    }),
    notes,
  };
  if (verdicts !== undefined) view.watermarkCheck = verdicts.check;
  return view;
}

/** Turns a failed write of --output into the one sentence the user needs. */
function writeError(path: string, err: unknown): InputError {
  return new InputError(`cannot write ${path}: ${errnoText(err, 'its folder does not exist', 'it is a folder')}.`, path);
}

export async function show(io: Io, opts: ShowOptions): Promise<number> {
  const format = resolveFormat(opts.json, opts.format);
  const view = await showView(io, opts, format === 'prometheus' ? PROMETHEUS_MARKS : TABLE_MARKS);
  const color = opts.output === undefined ? opts.color : 0;
  let text: string;
  if (format === 'json') text = `${JSON.stringify(view, null, 2)}\n`;
  else if (format === 'prometheus') {
    text = renderPrometheus(view);
    // The exposition has no place for prose: notes go to standard error, where cron mails them.
    for (const note of view.notes) io.stderr.write(`buddyinfo: ${note}\n`);
    if (view.pageSizeOrigin === 'default') {
      io.stderr.write('buddyinfo: the page size is assumed to be 4 KiB; pass --page-size if the capture came from a 16K or 64K kernel.\n');
    }
  } else if (opts.byType) text = renderByType(view, makeChalk(color));
  else text = renderShow(view, makeChalk(color));
  if (opts.output === undefined) {
    io.stdout.write(text);
    return 0;
  }
  try {
    await io.writeFileAtomic(opts.output, text);
  } catch (err) {
    throw writeError(opts.output, err);
  }
  return 0;
}

/** Examples for the default command, which also end `buddyinfo --help`. */
export const EXAMPLES = `
Examples:
  $ buddyinfo                                            this machine's /proc/buddyinfo
  $ buddyinfo fixtures/buddyinfo-procfs-x86_64.txt       a saved capture
  $ cat fixtures/buddyinfo-two-node.txt | buddyinfo      a capture on standard input
  $ buddyinfo --proc fixtures/proc-x86_64-6.18           a saved procfs folder (a sosreport's proc/)
  $ buddyinfo --json fixtures/buddyinfo-chromeos-6.6.txt | jq '.zones[2].orders[4]'
  $ buddyinfo check --order 4                            would a 64 KiB allocation succeed here now?
  $ buddyinfo report fixtures/reports/4.9-cma-only-high-orders.txt   why did this allocation fail?`;

/** The default command: the fragmentation table. */
export function register(prog: Command, ctx: CliContext): void {
  ctx
    .common(
      prog
        .command('show', { isDefault: true })
        .description('show the fragmentation table of each zone (the default command)')
        .argument('[file...]', 'buddyinfo captures, and zoneinfo/pagetypeinfo beside them; "-" reads standard input; none: piped input, else the live /proc')
        .option('--format <format>', 'table, json (the same as --json) or prometheus (text exposition for node_exporter\'s textfile collector)')
        .option('--output <file>', 'write to FILE instead of standard output: a temporary file in the same folder, renamed into place')
        .option('--by-type', 'show free blocks per order and migratetype, and pageblocks per type (from pagetypeinfo)', false),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], o: CommonOptions & { format?: string; output?: string; byType: boolean }) => {
      ctx.exit(
        await show(ctx.io, {
          files,
          proc: o.proc,
          pageSize: o.pageSize,
          json: o.json,
          format: o.format,
          output: o.output,
          byType: o.byType,
          color: ctx.colorOf(o),
        }),
      );
    });
}
