import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli/run.js';
import { FIXTURES } from '../helpers/project.js';
import { copyPackage, REPO } from './package-copy.js';

// `npm pack` of this package, installed globally into a throwaway prefix, runs as `celery-lint`: the tarball holds
// the compiled code, the knowledge base and the grammar is found from the installed location.

const TIMEOUT = 240_000;

describe('the npm package', () => {
  let prefix: string;
  let files: string[];

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-pack-'));
    const pkg = path.join(dir, 'package');
    copyPackage(pkg);
    // The copy builds with this checkout's compiler and types (`npm pack` runs the prepare script, tsc).
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8', timeout: TIMEOUT })) as [{ filename: string; files: { path: string }[] }];
    files = packed[0].files.map((f) => f.path).sort();
    prefix = path.join(dir, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', path.join(dir, packed[0].filename)], { encoding: 'utf8', timeout: TIMEOUT, stdio: 'pipe' });
  }, TIMEOUT);

  it('holds the compiled CLI, the rules and the knowledge base, and no sources or tests', () => {
    expect(files).toContain('bin/celery-lint.js');
    expect(files).toContain('dist/bundle/celery-lint.cjs');
    expect(files).toContain('dist/src/cli/launch.js');
    expect(files).toContain('dist/bundle/code-worker.js');
    expect(files).toContain('dist/bundle/knowledge.snapshot.json');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/rules/index.js');
    expect(files).toContain('rules/knowledge/settings.yaml');
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('fixtures/') || f.startsWith('src/'))).toEqual([]);
  });

  it('installs globally and checks a project as `celery-lint`', async () => {
    const bin = path.join(prefix, 'bin', 'celery-lint');
    const r = spawnSync(bin, ['check', path.join(FIXTURES, 'example'), '--no-cache', '--output-format', 'concise'], { encoding: 'utf8', timeout: TIMEOUT, cwd: os.tmpdir() });
    const expected = await run(['check', path.join(FIXTURES, 'example'), '--no-cache', '--output-format', 'concise'], os.tmpdir());
    expect(r.stderr).toBe(expected.stderr);
    expect(r.stdout).toBe(expected.stdout);
    expect(r.stdout).toMatch(/^\d+ findings, \d+ fixable with --fix/m);
    expect(r.status).toBe(1);
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: TIMEOUT });
    expect(version.stdout).toBe('0.1.0\n');
  }, TIMEOUT);
});
