import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, writeProject } from '../helpers/project.js';

// Worker threads run compiled JavaScript, so this compares the built modules (dist/, made by `npm ci`/`npm run
// build`): the same model whether the Python files are parsed on the main thread alone or shared with workers.
const DIST = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist/src');
type Build = typeof import('../../src/sources/build.js');
type Parallel = typeof import('../../src/model/parallel.js');

async function load(): Promise<{ buildModel: Build['buildModel']; parallelStats: Parallel['parallelStats'] }> {
  if (!fs.existsSync(path.join(DIST, 'sources/build.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const build = (await import(path.join(DIST, 'sources/build.js'))) as Build;
  const parallel = (await import(path.join(DIST, 'model/parallel.js'))) as Parallel;
  return { buildModel: build.buildModel, parallelStats: parallel.parallelStats };
}

const fixtures = fs.readdirSync(FIXTURES).filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory()).sort();

describe('worker threads give the same model as the main thread alone', () => {
  it.each(fixtures)('fixtures/%s', async (fixture) => {
    const { buildModel, parallelStats } = await load();
    const root = path.join(FIXTURES, fixture);
    const alone = await buildModel(root, [], { parallel: { workers: 0, minFiles: 0 } });
    const before = parallelStats.workerJobs;
    // the main thread leaves the files to the workers: on a loaded machine it could otherwise finish them all first
    const shared = await buildModel(root, [], { parallel: { workers: 2, minFiles: 0, mainThreadJobs: false } });
    expect(shared).toEqual(alone);
    // Workers may find every job taken on a tiny fixture; the model is what must not change.
    expect(parallelStats.workerJobs).toBeGreaterThanOrEqual(before);
  }, 30_000);

  it('a project of 120 files, one with a syntax error: workers take part and the problems keep their order', async () => {
    const { buildModel, parallelStats } = await load();
    const files: Record<string, string> = { 'proj/__init__.py': '', 'proj/broken.py': 'from celery import shared_task\n\ndef broken(:\n    pass\n' };
    // ~10 KB each, so the main thread is still busy when a worker is ready (~50 ms after it starts).
    const padding = Array.from({ length: 60 }, (_, f) => `def helper_${f}(values):\n    return [v * ${f} for v in values if v % 3]\n`).join('\n');
    for (let i = 0; i < 120; i++) {
      files[`proj/m${i}.py`] = `from celery import shared_task\n\n@shared_task(bind=True)\ndef t${i}(self, x):\n    return x\n\ndef go():\n    t${i}.delay(${i})\n${'\n'.repeat(i % 7)}${padding}`;
    }
    const root = writeProject(files);
    const alone = await buildModel(root, [], { parallel: { workers: 0, minFiles: 0 } });
    const before = parallelStats.workerJobs;
    // the main thread leaves the files to the workers: on a loaded machine it could otherwise finish them all first
    const shared = await buildModel(root, [], { parallel: { workers: 2, minFiles: 0, mainThreadJobs: false } });
    expect(shared).toEqual(alone);
    expect(alone.tasks).toHaveLength(120);
    expect(alone.problems.map((p) => `${p.file}:${p.span?.start.line}`)).toEqual(['proj/broken.py:3']);
    expect(parallelStats.workerJobs).toBeGreaterThan(before);
  }, 30_000);
});
