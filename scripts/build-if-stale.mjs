// `npm test`'s build step: builds only when a source is newer than the last build's final output.
//
// A fresh clone's `npm ci` builds (the prepare script), so `npm ci && npm test` would build twice, 5 s of
// a CI run; after an edit the tests must still run against a build of it. The man page is the build's
// last step (package.json "build"), so it is newer than every input only when a build finished after them.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Written by the build itself (scripts/page-assets.mjs): an output, not an input. */
const GENERATED = join(ROOT, 'src/format/html/assets.generated.ts');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return path === GENERATED ? 0 : st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function builtAt() {
  try {
    return statSync(join(ROOT, 'man/buddyinfo.1')).mtimeMs;
  } catch {
    return -1;
  }
}

const inputs = Math.max(...['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json'].map((p) => newest(join(ROOT, p))));
if (builtAt() < inputs) {
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
