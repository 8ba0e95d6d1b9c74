// Build step: bundles tsc's dist/ into dist/buddyinfo.cjs (the CLI) and dist/buddyinfo-html.cjs (the pages).
//
// The pages (their drawing script with uPlot inlined, about 110 KB) are loaded only for --format html: each
// `import()` of a page module from the CLI becomes a require of the second bundle, so the start-up of
// every other run reads and compiles none of it.

import { build } from 'esbuild';
import { resolve } from 'node:path';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
const PAGES = /[\\/](format[\\/]html[\\/](show|check|report|history)|analysis[\\/]timeline)\.js$/;

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

await build({ ...common, entryPoints: ['dist/cli.js'], outfile: 'dist/buddyinfo.cjs', plugins: [pagesApart] });
await build({ ...common, entryPoints: ['dist/format/html/pages.js'], outfile: 'dist/buddyinfo-html.cjs' });
