// Starts the bundled CLI with V8's code cache, so every run skips most of parsing and compiling it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

/**
 * dist/buddyinfo.cjs is dist/cli.js and its dependencies in one file (esbuild, at build time): one file
 * to read instead of dozens of modules to resolve, written as the function Node wraps a CommonJS module
 * in (scripts/bundle.mjs), so it is compiled as read and called with this module's require. Its code
 * cache, made at build time after a warm-up run, holds the functions V8 compiled then; a cache from
 * another Node version is rejected by V8 and the file is simply compiled again.
 */
const BUNDLE = join(__dirname, 'buddyinfo.cjs');
const CACHE = join(__dirname, 'buddyinfo.cjs.cache');

interface Bundle {
  run(): Promise<void>;
  warmUp(): Promise<void>;
}

function load(useCache: boolean): { bundle: Bundle; script: Script } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = useCache ? readFileSync(CACHE) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new Script(readFileSync(BUNDLE, 'utf8'), { filename: BUNDLE, cachedData });
  const module = { exports: {} as Bundle };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, BUNDLE, __dirname);
  return { bundle: module.exports, script };
}

/** `node dist/boot.cjs --write-code-cache` at build time; anything else runs the CLI. */
async function start(): Promise<void> {
  const writing = process.argv[2] === '--write-code-cache' && process.argv.length === 3;
  // The cache is made from a fresh compile: V8 checks a cache against the source's length only, so the
  // previous build's cache could be taken for this bundle's and carried over, broken, into the new one.
  const { bundle, script } = load(!writing);
  if (writing) {
    await bundle.warmUp();
    writeFileSync(CACHE, script.createCachedData());
    return;
  }
  await bundle.run();
}

void start();
