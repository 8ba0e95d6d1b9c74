// npm run bench: `history` throughput and peak memory on a generated log against `wc -l`, and start-up cost.
//
// BENCH_MB sets the log's size, BENCH_RUNS the start-up rounds (bench/startup.mjs says how they are taken),
// BENCH_WATCH_S watch's window (bench/watch.mjs), BENCH_ONLY the parts to run.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startupBench, startupTable } from './startup.mjs';
import { watchBench, watchTable } from './watch.mjs';

const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));
/** At least 200 MB; BENCH_MB overrides for a quick look. */
const TARGET_BYTES = Number(process.env.BENCH_MB ?? 210) * 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 31);
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date` in the C locale, as `while sleep 60; do date; cat /proc/buddyinfo; done >> log` writes it. */
function dateLine(ms) {
  const d = new Date(ms);
  const p2 = (n) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A seeded generator, so every run parses the same bytes. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * One snapshot a minute of a two-node x86-64 box in the kernel's own format: DMA never moves, DMA32
 * and the two Normal zones drift around their usual counts, and about once a day Normal on node 0 runs
 * out of blocks of order 7 and up for an hour (until compaction or reclaim brings them back).
 */
async function generate(path) {
  const rand = rng(42);
  const zones = [
    { head: 'Node 0, zone      DMA ', base: [1, 1, 1, 0, 2, 1, 1, 0, 1, 1, 3], moves: false },
    { head: 'Node 0, zone    DMA32 ', base: [976, 873, 541, 355, 210, 103, 44, 19, 8, 4, 578], moves: true },
    { head: 'Node 0, zone   Normal ', base: [20213, 11450, 4312, 1208, 412, 120, 33, 8, 2, 1, 3], moves: true },
    { head: 'Node 1, zone   Normal ', base: [18520, 9021, 3011, 988, 301, 88, 20, 4, 1, 1, 2], moves: true },
  ].map((z) => ({ ...z, free: [...z.base] }));
  const out = createWriteStream(path);
  let t = Date.UTC(2025, 0, 1);
  let bytes = 0;
  let snapshots = 0;
  let pressure = 0;
  let block = '';
  while (bytes < TARGET_BYTES) {
    if (pressure === 0 && rand() < 1 / 1440) pressure = 60;
    let text = `${dateLine(t)}\n`;
    zones.forEach((z, k) => {
      if (z.moves) {
        for (let o = 0; o < z.free.length; o++) {
          const spread = Math.max(2, z.base[o] * 0.04);
          const step = (z.base[o] - z.free[o]) * 0.05 + (rand() - 0.5) * spread;
          z.free[o] = Math.max(0, Math.round(z.free[o] + step));
          if (k === 2 && pressure > 0 && o >= 7) z.free[o] = 0;
        }
      }
      text += `${z.head}${z.free.map((n) => `${String(n).padStart(6)} `).join('')}\n`;
    });
    if (pressure > 0) pressure--;
    block += text;
    bytes += text.length;
    snapshots++;
    t += 60_000;
    if (block.length > 1 << 22) {
      if (!out.write(block)) await new Promise((r) => out.once('drain', r));
      block = '';
    }
  }
  out.end(block);
  await new Promise((r) => out.on('finish', r));
  return snapshots;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of a command in ms, output discarded. */
function wall(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

/** Peak RSS in KiB: GNU time reads it from wait4(); without it, poll /proc/PID/status VmHWM. */
async function peakRss(cmd, args) {
  if (GNU_TIME) {
    const { stderr } = wall(GNU_TIME, ['-f', '%M', cmd, ...args]);
    return Number(stderr.trim().split('\n').pop());
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // exited between two looks
      }
    }, 10);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(timer);
      resolve(peak);
    });
  });
}

/**
 * What any Node reader of this file pays before parsing: the file read as the CLI reads it (into one
 * 1 MiB buffer, over and over) and every byte looked at once.
 */
function byteFloor(path) {
  const script = `
    const fs = require('fs');
    const fd = fs.openSync(process.argv[1], 'r');
    const b = Buffer.allocUnsafe(1 << 20);
    let x = 0;
    for (let n; (n = fs.readSync(fd, b, 0, b.length, null)) > 0; ) for (let i = 0; i < n; i++) x = (x + b[i]) | 0;
    if (x === 42) console.log(x);`;
  return wall(process.execPath, ['-e', script, path]).ms;
}

/** The same as text, as history read it before it read bytes: 1 MiB chunks decoded as UTF-8, each character looked at once. */
function textFloor(path) {
  const script = `
    const s = require('fs').createReadStream(process.argv[1], { highWaterMark: 1 << 20 });
    s.setEncoding('utf8');
    let x = 0;
    s.on('data', (c) => { for (let i = 0; i < c.length; i++) x = (x + c.charCodeAt(i)) | 0; });
    s.on('end', () => { if (x === 42) console.log(x); });`;
  return wall(process.execPath, ['-e', script, path]).ms;
}

/** history's throughput and peak RSS on the generated log, beside the floors of reading it. */
async function historyBench() {
  const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-bench-'));
  try {
    const log = join(dir, 'buddyinfo.log');
    process.stderr.write(`generating a ${(TARGET_BYTES / 2 ** 20).toFixed(0)} MiB log in ${dir} ...\n`);
    const snapshots = await generate(log);
    const bytes = statSync(log).size;
    const mib = bytes / 2 ** 20;
    const rate = (ms) => `${(mib / (ms / 1000)).toFixed(0)} MiB/s`;
    /** The issue's target is in MB (10^6 bytes): both units. */
    const rates = (ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s = ${rate(ms)}`;

    wall('wc', ['-l', log]); // into the page cache, so every reader below sees a cached file
    const wc = [];
    const hist = [];
    const floor = [];
    const text = [];
    for (let i = 0; i < 3; i++) {
      wc.push(wall('wc', ['-l', log]).ms);
      hist.push(wall(process.execPath, [BIN, 'history', log]).ms);
      floor.push(byteFloor(log));
      text.push(textFloor(log));
    }
    const peakKiB = await peakRss(process.execPath, [BIN, 'history', '--order', '7', log]);
    const histMs = median(hist);
    const wcMs = median(wc);
    const floorMs = median(floor);
    const textMs = median(text);
    return [
      `log: ${mib.toFixed(0)} MiB (${(bytes / 1e6).toFixed(0)} MB), ${snapshots.toLocaleString('en-US')} snapshots of 4 zones, each after a date line`,
      `history: ${(histMs / 1000).toFixed(2)} s = ${rates(histMs)} (median of 3; target 250 MB/s); peak RSS with --order 7 ${(peakKiB / 1024).toFixed(0)} MiB = ${((peakKiB * 1024) / 1e6).toFixed(0)} MB (target under 100 MB)`,
      `wc -l:   ${(wcMs / 1000).toFixed(2)} s = ${rate(wcMs)}; history takes ${(histMs / wcMs).toFixed(0)}x as long`,
      `node read floor (1 MiB buffer, each byte read once): ${(floorMs / 1000).toFixed(2)} s = ${rate(floorMs)}; history takes ${(histMs / floorMs).toFixed(1)}x as long`,
      `node text floor (UTF-8 chunks, one charCodeAt per character): ${(textMs / 1000).toFixed(2)} s = ${rate(textMs)}`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// BENCH_ONLY=history,startup,watch (any of them) runs only those parts.
const only = (process.env.BENCH_ONLY ?? 'history,startup,watch').split(',');
/** The machine's load when a part starts: another job running meanwhile widens the quartiles. */
const loads = [];
const load = (part) => loads.push(`${part} ${loadavg()[0].toFixed(2)}`);
load('history');
const history = only.includes('history') ? await historyBench() : undefined;
load('start-up');
const startup = only.includes('startup') ? startupBench(RUNS) : undefined;
load('watch');
const watch = only.includes('watch') ? await watchBench() : undefined;
load('end');

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`load average (1 min) as each part started: ${loads.join(', ')}`);
if (startup !== undefined) {
  console.log(`\nstart-up: ms above bare node run in the same round, stdin /dev/null (${RUNS} interleaved rounds):`);
  console.log(startupTable(startup));
}
if (watch !== undefined) {
  console.log(`\nwatch: share of one core over ${process.env.BENCH_WATCH_S ?? 20} s after 3 s of settling (target under 1%):`);
  console.log(watchTable(watch));
}
if (history !== undefined) console.log(`\n${history}`);
