import { discover } from '../src/discover/walk.js';
import { readText } from '../src/discover/read.js';
import { initPython, parseTree } from '../src/parse/python.js';

// `node dist/bench/floor.js DIR`: the raw tree-sitter floor, one process: read and parse every Python file, nothing else.
await initPython();
const dir = process.argv[2] ?? '.';
let files = 0;
for (const f of discover(dir, []).files) {
  if (f.kind !== 'python') continue;
  const r = readText(f.abs, f.path);
  if (!r.ok) continue;
  parseTree(f.path, r.text).delete();
  files++;
}
console.log(`tree-sitter: ${files} files parsed`);
