import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Run by `npm run build` after tsc and the knowledge snapshot: bundles the compiled CLI into one ESM file, because
// resolving and loading the ~230 modules of dist/src and node_modules took ~0.1 s of every run (README, Performance).
// The worker thread of the python-code source is a second, self-contained bundle beside it: the source starts it
// from `new URL('./code-worker.js', import.meta.url)`, which inside the bundle is relative to the bundle.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE_DIR = path.join(root, 'dist', 'bundle');

// Kept out of the bundle and loaded from node_modules at run time:
// - web-tree-sitter finds its .wasm from its own import.meta.url;
// - ts-morph (with the TypeScript compiler) is required lazily, only for projects with celery-node/celery-ts files.
const external = ['web-tree-sitter', 'ts-morph'];

// The CLI is CommonJS so that src/cli/launch.ts can run it with a V8 code cache (Node 20 has none for ES modules);
// the worker stays an ES module.
const entries = [
  { input: 'dist/src/cli/start.js', file: 'celery-lint.cjs', format: 'cjs' as const },
  { input: 'dist/src/sources/python/code-worker.js', file: 'code-worker.js', format: 'esm' as const },
];

// A failed bundle does not fail the build (nor `npm ci` on a platform without rolldown's native binding): with no
// bundle, bin/celery-lint.js runs dist/src, only slower to start.
rmSync(BUNDLE_DIR, { recursive: true, force: true });
try {
  const { build } = await import('rolldown');
  for (const entry of entries) {
    await build({
      input: path.join(root, entry.input),
      platform: 'node',
      external,
      // jsonc-parser's "main" is a UMD build whose relative requires a bundler cannot follow; its "module" is ESM.
      resolve: { mainFields: ['module', 'main'] },
      logLevel: 'warn',
      // ES modules are strict; the CommonJS bundle keeps them so.
      output: { file: path.join(BUNDLE_DIR, entry.file), format: entry.format, codeSplitting: false, ...(entry.format === 'cjs' ? { banner: "'use strict';" } : {}) },
    });
  }
  // knowledge.ts reads its snapshot next to itself, which in the bundle is this folder. Without a snapshot (invalid
  // knowledge base, see knowledge-snapshot.ts) the bundle parses the YAML as dist/src does.
  const snapshot = path.join(root, 'dist', 'src', 'engine', 'knowledge.snapshot.json');
  if (existsSync(snapshot)) copyFileSync(snapshot, path.join(BUNDLE_DIR, 'knowledge.snapshot.json'));
} catch (e) {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  process.stderr.write(`CLI not bundled, bin/celery-lint.js will run dist/src: ${(e as Error).message}\n`);
}
