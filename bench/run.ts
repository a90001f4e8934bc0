import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModel } from '../src/model/build.js';
import { createContext, emptyContextStats } from '../src/model/context.js';
import type { ParseProblem } from '../src/model/types.js';
import { discover } from '../src/discover/walk.js';
import { readText } from '../src/discover/read.js';
import { initPython, parsePython } from '../src/parse/python.js';
import { allSources } from '../src/sources/index.js';
import { generateCorpus } from './corpus.js';

// Run as `npm run bench [-- --files 5000] [--celery-share 0.03] [--no-floor]`: generates a synthetic project, then
// times each stage. --celery-share is the fraction of modules that use Celery (and so must be parsed);
// --no-floor skips the parse-everything floor, so the peak RSS printed is the model's own.
const args = process.argv.slice(2);
const files = Number(args[args.indexOf('--files') + 1] ?? '') || 5000;
const share = args.includes('--celery-share') ? Number(args[args.indexOf('--celery-share') + 1]) : 0.03;
const floor = !args.includes('--no-floor');
// Outside the repository: its .gitignore would (rightly) hide the corpus from discovery.
const dir = path.join(os.tmpdir(), 'celery-lint-bench', `files-${files}-${share}`);

const gen = generateCorpus(dir, files, 42, share);
const mb = gen.bytes / 1048576;
console.log(`corpus: ${gen.files} files, ${mb.toFixed(1)} MB (${dir})`);
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
// maxRSS is in KiB; it is the process's peak so far, so each row shows the peak up to the end of that stage.
const peak = () => mib(process.resourceUsage().maxRSS * 1024);
const row = (name: string, ms: number, note = '') =>
  console.log(`${name.padEnd(30)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${(gen.files / (ms / 1000)).toFixed(0).padStart(7)} files/s  ${(mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s  peak RSS ${peak().padStart(7)}${note}`);
const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
};

const [, tInit] = await time(() => initPython());
row('init tree-sitter', tInit);
const [d, tDiscover] = await time(() => discover(dir, []));
row('discover', tDiscover);

if (floor) {
  // The floor: read and parse every Python file once, nothing else.
  const py = d.files.filter((f) => f.kind === 'python');
  const [texts, tRead] = await time(() => py.map((f) => readText(f.abs, f.path)));
  row('floor: read every .py', tRead);
  const [, tParse] = await time(() => {
    for (const [i, r] of texts.entries()) if (r.ok) parsePython(py[i]!.path, r.text).tree.delete();
  });
  row('floor: parse every .py', tParse);
}

// End to end, as the CLI runs it.
const [model, tModel] = await time(() => buildModel(dir, []));
row('model (discover+read+parse+sources)', tModel);
console.log(`  ${model.apps.length} apps, ${model.tasks.length} tasks, ${model.callSites.length} call sites, ${model.problems.length} problems`);

// The same sources again with a fresh context, timed one by one; read and parse time are counted inside the context.
const stats = emptyContextStats();
const ctx = createContext(discover(dir, []), [] as ParseProblem[], undefined, { stats });
const perSource: [string, number][] = [];
for (const source of allSources) perSource.push([source.name, (await time(() => source.collect(ctx)))[1]]);
const total = perSource.reduce((s, [, ms]) => s + ms, 0);
console.log(`breakdown of the sources' ${(total / 1000).toFixed(3)} s:`);
console.log(`  read   ${(stats.readMs / 1000).toFixed(3)} s  (${stats.reads} files)`);
console.log(`  parse  ${(stats.parseMs / 1000).toFixed(3)} s  (${stats.parses} files parsed, ${stats.reparses} re-parsed after eviction, ${stats.evictions} evictions, at most ${stats.peakTrees} trees alive)`);
console.log(`  other  ${((total - stats.readMs - stats.parseMs) / 1000).toFixed(3)} s  (sources' own work)`);
for (const [name, ms] of perSource) if (ms >= 1) console.log(`    ${name.padEnd(28)} ${(ms / 1000).toFixed(3)} s (incl. the reads and parses it triggered)`);
const m = process.memoryUsage();
console.log(`peak RSS ${peak()}; now RSS ${mib(m.rss)}, JS heap ${mib(m.heapUsed)}`);
