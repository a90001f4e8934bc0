import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * A stand-in install: the real bin/celery-lint.js and dist/src/cli/launch.js (from the build), a bundle and a
 * dist/src entry that only say which of them ran.
 */
function install(opts: { bundle: boolean; checkout: boolean }): { dir: string; run: () => string; touch: (rel: string, secondsAgo: number) => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-bin-'));
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('bin/celery-lint.js', fs.readFileSync(path.join(REPO, 'bin/celery-lint.js'), 'utf8'));
  put('dist/src/cli/launch.js', fs.readFileSync(path.join(REPO, 'dist/src/cli/launch.js'), 'utf8'));
  put('dist/src/cli/main.js', "console.log('dist/src');\n");
  put('package.json', '{"type": "module"}\n');
  if (opts.bundle) put('dist/bundle/celery-lint.cjs', "'use strict';\nconsole.log('bundle');\n");
  if (opts.checkout) put('src/cli/main.ts', '');
  const touch = (rel: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(path.join(dir, rel), t, t);
  };
  const run = () => execFileSync(process.execPath, [path.join(dir, 'bin/celery-lint.js')], { encoding: 'utf8', env: { ...process.env, CELERY_LINT_COMPILE_CACHE: '0' } }).trim();
  return { dir, run, touch };
}

describe('bin/celery-lint.js picks what to run', () => {
  it('the bundle, when it is newer than dist/src', () => {
    const i = install({ bundle: true, checkout: true });
    i.touch('dist/src/cli/main.js', 60);
    expect(i.run()).toBe('bundle');
  });

  it('dist/src in a checkout where a bare tsc made dist/src newer than the bundle', () => {
    const i = install({ bundle: true, checkout: true });
    i.touch('dist/bundle/celery-lint.cjs', 60);
    expect(i.run()).toBe('dist/src');
  });

  it('the bundle in an installed package (no src/), whatever the file times', () => {
    const i = install({ bundle: true, checkout: false });
    i.touch('dist/bundle/celery-lint.cjs', 60);
    expect(i.run()).toBe('bundle');
  });

  it('dist/src when there is no bundle', () => {
    expect(install({ bundle: false, checkout: true }).run()).toBe('dist/src');
  });
});

describe('version', () => {
  it('is the one package.json gives', async () => {
    const { VERSION } = await import('../../src/version.js');
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('a reader that closes the pipe early', () => {
  it('ends the run quietly, exit 0, no stack trace (`celery-lint rules | true`)', () => {
    const bin = path.join(REPO, 'bin/celery-lint.js');
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(bin)} rules | true`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
