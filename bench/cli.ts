import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from dist/bench/. */
export const REPO = path.resolve(here, '..', '..');
const CLI = path.join(REPO, 'bin', 'celery-lint.js');
const HOOK = path.join(here, 'rss-hook.js');

export interface Run {
  /** Wall-clock seconds, start-up included. */
  wall: number;
  /** Peak resident memory in MB. */
  peakMb: number;
  status: number | null;
  stdout: string;
}

/**
 * One child process `node SCRIPT ARGS` in `cwd`, timed from spawn to exit. With `memory`, the process also loads a
 * hook that reports its peak memory; the hook costs ~15 ms, so timed runs go without it.
 */
export function runNode(script: string, args: string[], cwd: string, env: Record<string, string> = {}, memory = false): Run {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...(memory ? ['--import', HOOK] : []), script, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t) / 1000;
  const rss = /bench-max-rss-kib (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 && r.status !== 1) throw new Error(`${path.basename(script)} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, peakMb: rss ? Number(rss[1]) / 1024 : NaN, status: r.status, stdout: r.stdout };
}

export const runCli = (args: string[], cwd: string, env: Record<string, string> = {}, memory = false): Run => runNode(CLI, args, cwd, env, memory);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `runs` timed runs, each after `before()`, then one more that measures memory: the median wall time and the peak memory. */
export function repeat(runs: number, run: (memory: boolean) => Run, before: (i: number) => void = () => {}): { wall: number; peakMb: number; last: Run } {
  const walls: number[] = [];
  let last: Run | undefined;
  for (let i = 0; i < runs; i++) {
    before(i);
    last = run(false);
    walls.push(last.wall);
  }
  before(runs);
  const measured = run(true);
  return { wall: median(walls), peakMb: measured.peakMb, last: last! };
}

/** Five Python files that define tasks, as a pre-commit hook would pass them after editing them. */
export function precommitFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= 5) return;
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.py') && fs.readFileSync(abs, 'utf8').includes('@shared_task')) out.push(path.relative(dir, abs));
    }
  };
  walk(path.join(dir, 'apps'));
  return out;
}

/** Changes each file's text (a new trailing comment), so the cache holds nothing for it. */
export function touch(dir: string, files: string[], round: number): void {
  for (const f of files) fs.appendFileSync(path.join(dir, f), `# edited ${round}\n`);
}
