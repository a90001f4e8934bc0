import { createRequire } from 'node:module';
import { discover } from '../src/discover/walk.js';
import { readText } from '../src/discover/read.js';

// `node dist/bench/ruff.js DIR`: Ruff's WebAssembly build checks every Python file celery-lint would discover,
// with Ruff's default settings, one process like a celery-lint run. Prints the number of files and diagnostics.
type RuffModule = typeof import('@astral-sh/ruff-wasm-nodejs');
const ruff = createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs') as RuffModule;
const dir = process.argv[2] ?? '.';
const workspace = new ruff.Workspace(ruff.Workspace.defaultSettings(), ruff.PositionEncoding.Utf16);
let files = 0;
let diagnostics = 0;
for (const f of discover(dir, []).files) {
  if (f.kind !== 'python') continue;
  const r = readText(f.abs, f.path);
  if (!r.ok) continue;
  files++;
  diagnostics += (workspace.check(r.text) as unknown[]).length;
}
console.log(`ruff ${ruff.Workspace.version()}: ${files} files, ${diagnostics} diagnostics`);
