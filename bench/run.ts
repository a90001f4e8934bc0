import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../src/model/build.js';
import { discover } from '../src/discover/walk.js';
import { initPython, parsePython } from '../src/parse/python.js';
import { generateCorpus } from './corpus.js';

// Run as `npm run bench [-- --files 5000]`: generates a synthetic project, then times each stage.
const args = process.argv.slice(2);
const files = Number(args[args.indexOf('--files') + 1] ?? '') || 5000;
const here = path.dirname(fileURLToPath(import.meta.url));
// Outside the repository: its .gitignore would (rightly) hide the corpus from discovery.
const dir = path.join(os.tmpdir(), 'celery-lint-bench', `files-${files}`);
void here;

const gen = generateCorpus(dir, files);
const mb = gen.bytes / 1048576;
console.log(`corpus: ${gen.files} files, ${mb.toFixed(1)} MB (${dir})`);
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);

const t0 = performance.now();
await initPython();
const tInit = performance.now() - t0;

const t1 = performance.now();
const d = discover(dir, []);
const tDiscover = performance.now() - t1;

// The floor: read and parse every Python file once, nothing else.
const t2 = performance.now();
for (const f of d.files) {
  if (f.kind !== 'python') continue;
  parsePython(f.path, fs.readFileSync(f.abs, 'utf8')).tree.delete();
}
const tParse = performance.now() - t2;

const t3 = performance.now();
const model = await buildModel(dir, []);
const tModel = performance.now() - t3;

const row = (name: string, ms: number) => console.log(`${name.padEnd(34)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${(gen.files / (ms / 1000)).toFixed(0).padStart(7)} files/s  ${(mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s`);
row('init tree-sitter', tInit);
row('discover', tDiscover);
row('read + parse (floor)', tParse);
row('discover + parse + model', tModel);
console.log(`model: ${model.apps.length} apps, ${model.tasks.length} tasks, ${model.callSites.length} call sites`);
console.log(`peak RSS: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
