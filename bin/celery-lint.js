#!/usr/bin/env node
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The one-file bundle (scripts/bundle.ts) starts ~0.1 s faster than the ~230 modules of dist/src; dist/src runs when
// there is no bundle. In a checkout (src/ is there; the npm package leaves it out) dist/src also runs when it is newer
// than the bundle: someone ran bare `tsc` after `npm run build`, and the bundle holds code that is no longer the
// source. An installed package is not compared: npm extracts its files in no particular order, at the time of install.
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = new URL('../dist/bundle/celery-lint.cjs', import.meta.url);
const bundled = mtime(bundle);
const useBundle = bundled !== undefined && (mtime('../src/') === undefined || bundled >= (mtime('../dist/src/cli/main.js') ?? 0));
if (useBundle) {
  // launch.js runs the bundle with a V8 code cache (src/cli/launch.ts).
  const { launch } = await import('../dist/src/cli/launch.js');
  launch(fileURLToPath(bundle));
} else {
  await import('../dist/src/cli/main.js');
}
