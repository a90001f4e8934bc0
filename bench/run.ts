import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModel } from '../src/sources/build.js';
import { createContext, emptyContextStats } from '../src/sources/context.js';
import { CACHE_DIR } from '../src/model/fact-cache.js';
import type { ParseProblem } from '../src/model/types.js';
import { discover } from '../src/discover/walk.js';
import { initPython } from '../src/parse/python.js';
import { allSources } from '../src/sources/index.js';
import { REPO, precommitFiles, repeat, runCli, runNode, touch } from './cli.js';
import { generateCorpus } from './corpus.js';

// `npm run bench [-- --sizes 1000,5000,10000] [--files 10000] [--runs 5] [--celery-share 0.03] [--no-floor] [--no-ruff]`
//
// 1. In process, at --files: each stage of the model build, with the sources' read/parse/own-work breakdown.
// 2. As a user runs it, a child process `node bin/celery-lint.js check DIR` at each size: cold (no cache), warm
//    (cache hit), and pre-commit (5 files changed, `check f1 … f5`), wall-clock with Node's start-up, peak memory;
//    cold once more on one thread (CELERY_LINT_WORKERS=0), to show what the worker threads buy.
// 3. At the largest size, Ruff's WebAssembly build and the raw tree-sitter floor (read + parse every file), each in a
//    child process too, with celery-lint's cold time as a ratio of each.
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] ?? fallback : fallback);
const sizes = opt('--sizes', '1000,5000,10000').split(',').map(Number).filter((n) => n > 0);
const files = Number(opt('--files', String(Math.max(...sizes))));
const runs = Math.max(1, Number(opt('--runs', '5')));
const share = Number(opt('--celery-share', '0.03'));
const floor = !args.includes('--no-floor');
const ruff = !args.includes('--no-ruff');

// Outside the repository: its .gitignore would (rightly) hide the corpus from discovery.
const corpus = (n: number) => {
  const dir = path.join(os.tmpdir(), 'celery-lint-bench', `files-${n}-${share}`);
  const gen = generateCorpus(dir, n, 42, share);
  return { dir, files: gen.files, mb: gen.bytes / 1048576 };
};
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);

// ---------- 1. in process ----------
{
  const c = corpus(files);
  console.log(`\n[in process] corpus: ${c.files} files, ${c.mb.toFixed(1)} MB (${c.dir})`);
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  // maxRSS is in KiB; it is the process's peak so far, so each row shows the peak up to the end of that stage.
  const peak = () => mib(process.resourceUsage().maxRSS * 1024);
  const row = (name: string, ms: number) =>
    console.log(`${name.padEnd(36)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${(c.files / (ms / 1000)).toFixed(0).padStart(7)} files/s  ${(c.mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s  peak RSS ${peak().padStart(7)}`);
  const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const v = await fn();
    return [v, performance.now() - t];
  };
  row('init tree-sitter', (await time(() => initPython()))[1]);
  row('discover', (await time(() => discover(c.dir, [])))[1]);
  const [model, tModel] = await time(() => buildModel(c.dir, []));
  row('model (discover+read+parse+sources)', tModel);
  console.log(`  ${model.apps.length} apps, ${model.tasks.length} tasks, ${model.callSites.length} call sites, ${model.problems.length} problems`);
  // The same sources again with a fresh context, timed one by one; read and parse time are counted inside the context.
  const stats = emptyContextStats();
  const ctx = createContext(discover(c.dir, []), [] as ParseProblem[], undefined, { stats });
  const perSource: [string, number][] = [];
  for (const source of allSources) perSource.push([source.name, (await time(() => source.collect(ctx)))[1]]);
  ctx.dispose?.();
  const total = perSource.reduce((s, [, ms]) => s + ms, 0);
  console.log(`breakdown of the sources' ${(total / 1000).toFixed(3)} s:`);
  console.log(`  read   ${(stats.readMs / 1000).toFixed(3)} s  (${stats.reads} files)`);
  console.log(`  parse  ${(stats.parseMs / 1000).toFixed(3)} s  (${stats.parses} files parsed, ${stats.reparses} re-parsed after eviction, ${stats.evictions} evictions, at most ${stats.peakTrees} trees alive)`);
  console.log(`  other  ${((total - stats.readMs - stats.parseMs) / 1000).toFixed(3)} s  (sources' own work)`);
  for (const [name, ms] of perSource) if (ms >= 1) console.log(`    ${name.padEnd(28)} ${(ms / 1000).toFixed(3)} s (incl. the reads and parses it triggered)`);
}

// ---------- 2. the CLI, as a user runs it ----------
const s = (x: number) => `${x.toFixed(3)} s`;
const version = repeat(runs, (m) => runCli(['--version'], REPO, {}, m));
console.log(`\n[cli] child processes, median of ${runs} runs; targets at 10k files: cold < 2 s, warm < 0.5 s, pre-commit < 0.4 s, peak < 500 MB`);
console.log(`celery-lint --version                ${s(version.wall)}  (Node start-up + CLI load)`);
console.log('(cold: no cache; 1 thread: cold with CELERY_LINT_WORKERS=0; warm: cache hit; pre-commit: 5 files changed, `check f1 … f5`)');
console.log(`${'files'.padStart(6)} ${'MB'.padStart(6)}  ${'cold'.padStart(8)} ${'s/MB'.padStart(7)}  ${'1 thread'.padStart(8)}  ${'warm'.padStart(8)} ${'s/MB'.padStart(7)}  ${'pre-commit'.padStart(10)}  ${'peak'.padStart(7)}`);
let largest: { dir: string; cold: number; mb: number; files: number } | undefined;
for (const n of sizes) {
  const c = corpus(n);
  const clear = () => fs.rmSync(path.join(c.dir, CACHE_DIR), { recursive: true, force: true });
  const cold = repeat(runs, (m) => runCli(['check', '.'], c.dir, {}, m), clear);
  const alone = repeat(runs, (m) => runCli(['check', '.'], c.dir, { CELERY_LINT_WORKERS: '0' }, m), clear);
  const warm = repeat(runs, (m) => runCli(['check', '.'], c.dir, {}, m));
  const changed = precommitFiles(c.dir);
  const pre = repeat(runs, (m) => runCli(['check', ...changed], c.dir, {}, m), (i) => touch(c.dir, changed, i));
  if (warm.last.stdout !== cold.last.stdout) console.log('  !! warm output differs from cold output');
  const peak = Math.max(cold.peakMb, alone.peakMb, warm.peakMb, pre.peakMb);
  console.log(`${String(c.files).padStart(6)} ${c.mb.toFixed(1).padStart(6)}  ${s(cold.wall).padStart(8)} ${(cold.wall / c.mb).toFixed(4).padStart(7)}  ${s(alone.wall).padStart(8)}  ${s(warm.wall).padStart(8)} ${(warm.wall / c.mb).toFixed(4).padStart(7)}  ${s(pre.wall).padStart(10)}  ${`${peak.toFixed(0)} MB`.padStart(7)}`);
  largest = { dir: c.dir, cold: cold.wall, mb: c.mb, files: c.files };
}

// ---------- 3. against Ruff and the parse floor ----------
if (largest && (ruff || floor)) {
  console.log(`\n[ratios] ${largest.files} files, ${largest.mb.toFixed(1)} MB, child processes, median of ${runs} runs`);
  if (ruff) {
    const r = repeat(runs, (m) => runNode(path.join(REPO, 'dist', 'bench', 'ruff.js'), [largest!.dir], largest!.dir, {}, m));
    console.log(`ruff check (wasm, default rules)     ${s(r.wall)}  peak ${r.peakMb.toFixed(0)} MB  ${r.last.stdout.trim()}`);
    console.log(`celery-lint cold / ruff              ${(largest.cold / r.wall).toFixed(2)}`);
  }
  if (floor) {
    const f = repeat(runs, (m) => runNode(path.join(REPO, 'dist', 'bench', 'floor.js'), [largest!.dir], largest!.dir, {}, m));
    console.log(`tree-sitter floor (read+parse all)   ${s(f.wall)}  peak ${f.peakMb.toFixed(0)} MB  ${f.last.stdout.trim()}`);
    console.log(`celery-lint cold / floor             ${(largest.cold / f.wall).toFixed(2)}`);
  }
}
