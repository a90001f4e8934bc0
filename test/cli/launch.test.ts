import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheDir } from '../../src/cli/launch.js';

// launch() runs the bundle of a built checkout (dist/src/cli/launch.js, written by `npm ci` / `npm run build`), in a
// child process: the code cache is written when the process exits.
const LAUNCH = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist/src/cli/launch.js');

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-launch-'));
  const bundle = path.join(dir, 'bundle.cjs');
  // What a CommonJS bundle needs: require (from its own folder), module, __filename, strict mode kept.
  fs.writeFileSync(bundle, "'use strict';\nconst p = require('node:path');\nconsole.log(p.basename(__filename), typeof module.exports, (function () { return this; })() === undefined);\n");
  const cache = path.join(dir, 'cache');
  // `node -e code bin check`: process.argv is [node, 'bin', 'check'], as for `celery-lint check`
  const run = (command = 'check') =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `const { launch } = await import(${JSON.stringify(LAUNCH)}); launch(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});`, 'bin', command], { encoding: 'utf8' });
  const files = () => (fs.existsSync(cache) ? fs.readdirSync(cache) : []);
  return { bundle, cache, run, files };
}

describe('launch: the bundle runs with a V8 code cache', () => {
  it('writes the cache after the first run, reads it afterwards, and rewrites a damaged one', () => {
    const { cache, run, files } = setup();
    expect(run()).toBe('bundle.cjs object true\n');
    expect(files()).toHaveLength(1);
    const file = path.join(cache, files()[0]!);
    const first = fs.readFileSync(file);
    expect(first.length).toBeGreaterThan(0);
    expect(fs.statSync(cache).mode & 0o077).toBe(0);
    const before = fs.statSync(file).mtimeMs;
    expect(run()).toBe('bundle.cjs object true\n');
    // Accepted: not written again.
    expect(fs.statSync(file).mtimeMs).toBe(before);
    fs.writeFileSync(file, Buffer.from('not a code cache'));
    expect(run()).toBe('bundle.cjs object true\n');
    const rewritten = fs.readFileSync(file);
    expect(rewritten.toString('latin1')).not.toBe('not a code cache');
    expect(rewritten.length).toBe(first.length);
    const after = fs.statSync(file).mtimeMs;
    expect(run()).toBe('bundle.cjs object true\n');
    expect(fs.statSync(file).mtimeMs).toBe(after);
  });

  it('writes no cache from a run that does not lint (--version), and keeps only the newest caches of other bundles', () => {
    const { bundle, cache, run, files } = setup();
    expect(run('--version')).toBe('bundle.cjs object true\n');
    expect(files()).toEqual([]);
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    for (let i = 0; i < 5; i++) {
      const old = path.join(cache, `old${i}.bin`);
      fs.writeFileSync(old, 'x');
      fs.utimesSync(old, new Date(Date.now() - (10 - i) * 60_000), new Date(Date.now() - (10 - i) * 60_000));
    }
    fs.appendFileSync(bundle, '// a new build\n');
    run();
    expect(files().sort()).toEqual([...files().filter((f) => !f.startsWith('old')), 'old2.bin', 'old3.bin', 'old4.bin'].sort());
    expect(files().filter((f) => !f.startsWith('old'))).toHaveLength(1);
  });

  it('neither reads nor writes a cache folder that others may write', () => {
    const { cache, run, files } = setup();
    fs.mkdirSync(cache, { mode: 0o777 });
    fs.chmodSync(cache, 0o777);
    expect(run()).toBe('bundle.cjs object true\n');
    expect(files()).toEqual([]);
  });

  it('keeps the cache in the user cache folder', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/celery-lint/compile');
    expect(codeCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'celery-lint', 'compile'));
  });
});
