// watch's share of one core at a 1 s interval: the process's user + system time over a window, from /proc.
//
// Each case runs `buddyinfo watch --interval 1s` (with and without --order) for a settling time, then
// for a window; its utime + stime (/proc/PID/stat, in clock ticks) over the window divided by the window
// is its share of a core, the kernel's time making /proc files included. The cases run at the same
// time (each is idle between samples), to a pipe and on a terminal (under `script`, 120x40).
//
// `node bench/watch.mjs` runs it alone (BENCH_WATCH_S seconds of window, default 20).

import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3 of stat(5)): utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** The pid of a process whose parent is `parent` (the CLI under script's shell, which execs it). */
function childOf(parent) {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One watch process: started, measured over the window, stopped with SIGINT. */
async function measure(args, tty, settleMs, windowMs) {
  const argv = [BIN, 'watch', '--interval', '1s', ...args];
  const child = tty
    ? spawn('script', ['-qec', `stty cols 120 rows 40; exec '${process.execPath}' ${argv.map((a) => `'${a}'`).join(' ')}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  await sleep(settleMs);
  const pid = tty ? childOf(child.pid) : child.pid;
  if (pid === undefined) throw new Error('watch did not start under script');
  const t0 = process.hrtime.bigint();
  const c0 = cpuSeconds(pid);
  await sleep(windowMs);
  const c1 = cpuSeconds(pid);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.kill(pid, 'SIGINT');
  await new Promise((r) => child.on('exit', r));
  return { share: ((c1 - c0) / seconds) * 100, cpu: c1 - c0, seconds };
}

/** Every case at once; returns [{ name, share (% of a core), cpu (s), seconds }]. */
export async function watchBench(windowS = Number(process.env.BENCH_WATCH_S ?? 20)) {
  const tty = spawnSync('script', ['-qec', 'test -t 1', '/dev/null'], { stdio: 'ignore' }).status === 0;
  const cases = [
    { name: 'watch --interval 1s, to a pipe', args: [], tty: false },
    { name: 'watch --interval 1s --order 4, to a pipe', args: ['--order', '4'], tty: false },
    ...(tty
      ? [
          { name: 'watch --interval 1s, on a terminal', args: [], tty: true },
          { name: 'watch --interval 1s --order 4, on a terminal', args: ['--order', '4'], tty: true },
        ]
      : []),
  ];
  const results = await Promise.all(cases.map((c) => measure(c.args, c.tty, 3000, windowS * 1000)));
  return cases.map((c, i) => ({ name: c.name, ...results[i] }));
}

export function watchTable(rows) {
  return rows.map((r) => `${r.name.padEnd(48)} ${r.share.toFixed(2)}% of a core (${(r.cpu * 1000).toFixed(0)} ms of CPU in ${r.seconds.toFixed(1)} s)`).join('\n');
}

if (process.argv[1] === HERE) {
  console.log(watchTable(await watchBench()));
}
