// Start-up bench: each path's wall time above bare `node -e 0`, measured side by side, to a pipe and on a terminal.
//
// Each round runs bare node and every path once, in an order that rotates from round to round, so a
// slow moment of the machine (another process, the CPU's clock) falls on all of them alike; a path's
// figure is its time minus bare node's time in the same round, summarised as the median and the
// quartiles over the rounds. Standard input is /dev/null, as under cron or systemd: an empty pipe counts
// as input in some paths. On a terminal the runs happen inside `script`, so standard output is a pty.
//
// `node bench/startup.mjs` runs it alone (BENCH_RUNS rounds, default 31); `node bench/startup.mjs
// --driver SPEC OUT` is the inner loop, run directly for the pipe and under `script` for the terminal.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));

/** The paths the targets name (issue 14): name, argv after the bin, exit statuses that are a normal answer. */
export function startupCases(dir) {
  return [
    { name: 'node -e 0 (bare)', argv: ['-e', '0'], bare: true },
    { name: 'buddyinfo (the table)', argv: [BIN], target: 25 },
    { name: 'buddyinfo --json', argv: [BIN, '--json'], target: 10 },
    { name: 'buddyinfo --format prometheus', argv: [BIN, '--format', 'prometheus'], target: 10 },
    { name: 'buddyinfo --format prometheus --output FILE', argv: [BIN, '--format', 'prometheus', '--output', join(dir, 'buddyinfo.prom')], target: 10 },
    { name: 'buddyinfo check --order 4', argv: [BIN, 'check', '--order', '4'], ok: [0, 1], target: 10 },
    { name: 'buddyinfo check --order 4 --quiet', argv: [BIN, 'check', '--order', '4', '--quiet'], ok: [0, 1], target: 10 },
  ];
}

/** Runs every case `runs` times (after one round not counted), interleaved; returns ms per case per round. */
function drive(cases, runs, tty) {
  const devNull = openSync('/dev/null', 'r');
  const out = tty ? 'inherit' : 'pipe';
  const times = cases.map(() => []);
  for (let round = -1; round < runs; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + Math.max(round, 0)) % cases.length;
      const c = cases[i];
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, c.argv, { stdio: [devNull, out, 'pipe'], env: process.env });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (!(c.ok ?? [0]).includes(r.status)) {
        throw new Error(`${c.name} exited ${r.status ?? r.signal}: ${r.stderr?.toString() ?? ''}`);
      }
      if (round >= 0) times[i].push(ms);
    }
  }
  return times;
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median and quartiles of each case's time above bare node in the same round, and the raw medians. */
export function summarise(cases, times) {
  const bareAt = cases.findIndex((c) => c.bare);
  const bare = times[bareAt];
  return cases.map((c, i) => {
    const raw = [...times[i]].sort((a, b) => a - b);
    const above = times[i].map((t, r) => t - bare[r]).sort((a, b) => a - b);
    return {
      name: c.name,
      bare: c.bare === true,
      target: c.target,
      median: quantile(raw, 0.5),
      above: quantile(above, 0.5),
      q1: quantile(above, 0.25),
      q3: quantile(above, 0.75),
    };
  });
}

/** Whether `script` (util-linux) can give the runs a terminal here. */
function scriptWorks() {
  if (!existsSync('/usr/bin/script') && spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status !== 0) return false;
  return spawnSync('script', ['-qec', 'test -t 1', '/dev/null'], { stdio: 'ignore' }).status === 0;
}

/**
 * Both measurements: to a pipe, then on a terminal of 120x40 (the width the table fits to). Returns
 * { pipe, tty } summaries; tty is undefined when `script` is missing.
 */
export function startupBench(runs) {
  const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-startup-'));
  try {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ dir, runs }));
    const pipeOut = join(dir, 'pipe.json');
    run(process.execPath, [HERE, '--driver', spec, pipeOut]);
    const pipe = JSON.parse(readFileSync(pipeOut, 'utf8'));
    let tty;
    if (process.env.BENCH_TTY !== '0' && scriptWorks()) {
      const ttyOut = join(dir, 'tty.json');
      const inner = `stty cols 120 rows 40; exec '${process.execPath}' '${HERE}' --driver '${spec}' '${ttyOut}' --tty`;
      run('script', ['-qec', inner, '/dev/null']);
      tty = JSON.parse(readFileSync(ttyOut, 'utf8'));
    }
    return { pipe, tty };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
}

/** One table: each path's ms above bare node, pipe and terminal side by side. */
export function startupTable({ pipe, tty }) {
  const f = (s) => (s === undefined ? 'n/a' : s.bare ? `${s.median.toFixed(1)} ms (itself)` : `${s.above >= 0 ? '+' : ''}${s.above.toFixed(1)} ms [${s.q1.toFixed(1)}, ${s.q3.toFixed(1)}]`);
  const rows = pipe.map((p, i) => [p.name, f(p), f(tty?.[i]), p.target === undefined ? '' : `within ${p.target} ms`]);
  const head = ['path (stdin /dev/null)', 'to a pipe: median [quartiles] above bare', 'on a terminal', 'target'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r) => r.map((c, k) => c.padEnd(widths[k])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const args = process.argv.slice(2);
if (args[0] === '--driver') {
  const { dir, runs } = JSON.parse(readFileSync(args[1], 'utf8'));
  const only = process.env.BENCH_CASES === undefined ? undefined : new RegExp(process.env.BENCH_CASES);
  let cases = startupCases(dir).filter((c) => c.bare || only === undefined || only.test(c.name));
  // BENCH_BASE=label=/path/to/bin/buddyinfo.js,...: each path also run by those builds, side by side.
  const bases = (process.env.BENCH_BASE ?? '').split(',').filter((x) => x !== '').map((x) => (x.includes('=') ? x.split('=') : ['base', x]));
  cases = cases.flatMap((c) => (c.bare ? [c] : [c, ...bases.map(([label, bin]) => ({ ...c, name: `${c.name} [${label}]`, argv: c.argv.map((a) => (a === BIN ? bin : a)) }))]));
  writeFileSync(args[2], JSON.stringify(summarise(cases, drive(cases, runs, args[3] === '--tty'))));
} else if (process.argv[1] === HERE) {
  const runs = Number(process.env.BENCH_RUNS ?? 31);
  console.log(`start-up, ${runs} interleaved rounds:`);
  console.log(startupTable(startupBench(runs)));
}
