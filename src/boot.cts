// Starts the bundled CLI with V8's code cache, so every run skips most of parsing and compiling it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { startEarlyReads } from './early.cjs';

/**
 * dist/buddyinfo.cjs is dist/cli.js and its dependencies in one file (esbuild, at build time): one file
 * to read instead of dozens of modules to resolve, written as the function Node wraps a CommonJS module
 * in (scripts/bundle.mjs), so it is compiled as read and called with this module's require. Its code
 * cache, made at build time after a warm-up run, holds the functions V8 compiled then; a cache from
 * another Node version is rejected by V8 and the file is simply compiled again.
 */
const BUNDLE = join(__dirname, 'buddyinfo.cjs');

/** The kinds of run with a code cache of their own (see cacheFor). */
const KINDS = ['show', 'check', 'all'] as const;
type Kind = (typeof KINDS)[number];

/** The words that start a run of another command than show or check (src/commands/registry.ts). */
const OTHERS = ['report', 'history', 'diff', 'watch', 'completion', 'help', '-h', '--help'];

/**
 * Each kind of run has its own code cache, made by a warm-up of that kind alone, so it holds only the
 * functions such a run needs: V8 deserialises a whole cache, about 0.25 ms per 100 KB here, and the
 * cache of every command together was 640 KB against 380 KB for the default command's. A check run
 * starts with "check"; the default command's (the table, JSON, Prometheus) with no word, an option, a
 * FILE or "show"; anything else takes the cache of every command. Any cache serves any run: a wrong
 * guess costs only the compiling of what it lacks.
 */
function cacheFor(first: string | undefined): Kind {
  if (first === 'check') return 'check';
  return first !== undefined && OTHERS.includes(first) ? 'all' : 'show';
}

const cacheFile = (kind: Kind): string => join(__dirname, `buddyinfo.${kind}.cache`);

interface Bundle {
  run(): Promise<void>;
  warmUp(kind: Kind): Promise<void>;
}

function load(cache: string | undefined): { bundle: Bundle; script: Script } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = cache === undefined ? undefined : readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(readFileSync(BUNDLE, 'utf8'), { filename: BUNDLE, cachedData });
  const module = { exports: {} as Bundle };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, BUNDLE, __dirname);
  return { bundle: module.exports, script };
}

/**
 * `node dist/boot.cjs --write-code-cache` at build time writes each kind's cache, each in a process of
 * its own (`--write-code-cache KIND`): a cache holds whatever its Script compiled, so one process for
 * all three would put every warm-up in each. Anything else runs the CLI.
 */
async function start(): Promise<void> {
  if (process.argv[2] === '--write-code-cache') {
    const kind = process.argv[3] as Kind | undefined;
    if (kind === undefined) {
      const { spawnSync } = process.getBuiltinModule('node:child_process');
      for (const k of KINDS) {
        const r = spawnSync(process.execPath, [__filename, '--write-code-cache', k], { stdio: 'inherit' });
        if (r.status !== 0) process.exit(r.status ?? 1);
      }
      return;
    }
    // Made from a fresh compile: V8 checks a cache against the source's length only, so the previous
    // build's cache could be taken for this bundle's and carried over, broken, into the new one.
    const { bundle, script } = load(undefined);
    await bundle.warmUp(kind);
    writeFileSync(cacheFile(kind), script.createCachedData());
    return;
  }
  startEarlyReads(process.argv.slice(2));
  await load(cacheFile(cacheFor(process.argv[2]))).bundle.run();
}

void start();
