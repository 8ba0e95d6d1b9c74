// Build step: bundles tsc's dist/ into dist/buddyinfo.cjs (the CLI) and dist/buddyinfo-html.cjs (the pages).
//
// The pages (their drawing script with uPlot inlined, about 110 KB) are loaded only for --format html: each
// `import()` of a page module from the CLI becomes a require of the second bundle, so the start-up of
// every other run reads and compiles none of it.

import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
const PAGES = /[\\/](format[\\/]html[\\/](show|check|report|history|zoneinfo)|analysis[\\/]timeline)\.js$/;

/**
 * Sends the CLI's dynamic imports of the page modules to one small module that requires the pages' bundle:
 * a require, not an import(), because dist/boot.cjs runs the CLI bundle as a vm Script, which has no
 * import() of its own; the require is boot.cjs's, so the path is relative to dist/.
 */
const pagesApart = {
  name: 'pages-apart',
  setup(b) {
    b.onResolve({ filter: /(html|timeline)/ }, (args) =>
      args.kind === 'dynamic-import' && PAGES.test(resolve(args.resolveDir, args.path)) ? { path: 'pages', namespace: 'pages-apart' } : undefined,
    );
    b.onResolve({ filter: /^\.\/buddyinfo-html\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'pages-apart' }, () => ({ contents: 'module.exports = require("./buddyinfo-html.cjs");', loader: 'js' }));
  },
};

/**
 * commander requires node:child_process when it loads, to start the program of a command declared as an
 * executable, which buddyinfo never declares; child_process loads net, 2 ms of every start-up. commander
 * gets a stand-in that requires child_process the first time a property of it is read.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: 'let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require("node:child_process"))[key] });',
      loader: 'js',
    }));
  },
};

/**
 * cli-table3 measures every cell three to five times with string-width, which builds a RegExp on each
 * call and runs its emoji regex (compiled on first use) over every string: 4 ms of a cold table. The
 * bundle gives cli-table3 format/text-width.js, the same answer with a shortcut for plain text (its
 * test checks it against string-width); text-width.js itself still gets string-width.
 */
const fastTextWidth = {
  name: 'fast-text-width',
  setup(b) {
    const own = resolve('dist/format/text-width.js');
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      resolve(args.importer) === own ? undefined : { path: 'string-width', namespace: 'text-width' },
    );
    b.onLoad({ filter: /.*/, namespace: 'text-width' }, () => ({
      contents: `module.exports = require(${JSON.stringify(own)}).textWidth;`,
      loader: 'js',
      resolveDir: resolve('dist/format'),
    }));
  },
};

/**
 * chalk works out a colour level for its default instance when it loads, by asking node:tty about
 * stdout (which loads net: 1.5 ms). buddyinfo never uses that instance: color.ts decides the level and
 * makes its own Chalk. The bundle gives chalk a detection that finds no colour, without loading tty.
 */
const noColourDetection = {
  name: 'no-colour-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: 'supports-color', namespace: 'no-colour' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-colour' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
  },
};

/**
 * Every character above U+007F written as a \uXXXX escape (esbuild escapes them everywhere but in regex
 * literals, where the escape means the same code unit): a source that is all ASCII is read into a
 * one-byte string, which V8 reads, hashes and checks against the code cache faster than a two-byte one
 * (0.7 ms less at start-up for this bundle).
 */
function asciiOnly(path) {
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

// The CLI bundle is one function expression, the wrapper Node puts around a CommonJS module, so boot.cjs
// compiles the file's text as it is read instead of concatenating a copy of it (0.7 ms less).
await build({
  ...common,
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/buddyinfo.cjs',
  plugins: [pagesApart, lazyChildProcess, fastTextWidth, noColourDetection],
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
});
asciiOnly('dist/buddyinfo.cjs');
await build({ ...common, entryPoints: ['dist/format/html/pages.js'], outfile: 'dist/buddyinfo-html.cjs' });
