import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, MissingPathError } from '../../src/discover/walk.js';
import { classify } from '../../src/discover/classify.js';
import { writeProject } from '../helpers/project.js';

describe('classify', () => {
  it.each([
    ['proj/celeryconfig.py', 'python'],
    ['requirements.txt', 'requirements'],
    ['requirements/production.txt', 'requirements'],
    ['requirements/base.pip', 'requirements'],
    ['requirements-dev.in', 'requirements'],
    ['pyproject.toml', 'pyproject'],
    ['setup.cfg', 'setup.cfg'],
    ['Pipfile', 'pipfile'],
    ['Pipfile.lock', 'pipfile.lock'],
    ['poetry.lock', 'poetry.lock'],
    ['uv.lock', 'uv.lock'],
    ['.env', 'dotenv'],
    ['.env.production', 'dotenv'],
    ['docker-compose.yml', 'compose'],
    ['compose.prod.yaml', 'compose'],
    ['k8s/worker.yaml', 'yaml'],
    ['Procfile', 'procfile'],
    ['deploy/supervisord.conf', 'conf'],
    ['deploy/celery.service', 'systemd'],
    ['bin/start.sh', 'shell'],
    ['Dockerfile', 'dockerfile'],
    ['deploy/redis.conf', 'redis.conf'],
    ['web/src/producer.ts', 'typescript'],
    ['web/types.d.ts', undefined],
    ['README.md', undefined],
  ])('%s is %s', (p, kind) => {
    expect(classify(p)).toBe(kind);
  });
});

describe('discover', () => {
  it('honours .gitignore (nested too), skips virtualenvs, node_modules and build output', () => {
    const root = writeProject({
      '.gitignore': 'generated/\n*.local.py\n',
      'app/tasks.py': '',
      'app/secret.local.py': '',
      'generated/x.py': '',
      'node_modules/pkg/index.js': '',
      'venv/lib/site.py': '',
      'env2/pyvenv.cfg': 'home = /usr',
      'env2/lib/python3.11/site-packages/celery/__init__.py': '',
      'build/lib/app.py': '',
      'docker/release/build/docker-entrypoint.sh': 'celery -A app worker\n',
      'sub/.gitignore': 'ignored_here.py\n',
      'sub/ignored_here.py': '',
      'sub/kept.py': '',
      'Procfile': 'worker: celery -A app worker',
    });
    const d = discover(root, []);
    expect(d.files.map((f) => [f.path, f.kind])).toEqual([
      ['Procfile', 'procfile'],
      ['app/tasks.py', 'python'],
      ['docker/release/build/docker-entrypoint.sh', 'shell'],
      ['sub/kept.py', 'python'],
    ]);
    expect(d.problems).toEqual([]);
  });

  it('terminates on symlink loops and reports broken links', () => {
    const root = writeProject({ 'a/x.py': 'X = 1\n' });
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a', 'loop'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'broken.py'));
    const d = discover(root, []);
    expect(d.files.map((f) => f.path)).toEqual(['a/x.py']);
    expect(d.problems).toEqual([{ file: 'broken.py', severity: 'warning', message: 'skipped: broken symbolic link' }]);
  });

  it('reads the shebang of extensionless scripts: shell ones are kept, others and dotted names are not opened', () => {
    const root = writeProject({
      'scripts/start-worker': '#!/bin/bash\nset -e\ncelery -A proj worker --pool=gevent\n',
      'compose/celery/worker/start': '#!/usr/bin/env -S bash\ncelery -A proj worker\n',
      'bin/run': '#!/bin/sh -e\nexec celery -A proj beat\n',
      'bin/manage': '#!/usr/bin/env python3\nprint(1)\n',
      'bin/fish-start': '#!/usr/bin/fish\n',
      'LICENSE': 'MIT License\n',
      'notes.txt': '#!/bin/bash\n',
      '.gitignore': 'ignored-start\n',
      'ignored-start': '#!/bin/bash\n',
    });
    const d = discover(root, []);
    expect(d.files.map((f) => [f.path, f.kind])).toEqual([
      ['bin/run', 'shell'],
      ['compose/celery/worker/start', 'shell'],
      ['scripts/start-worker', 'shell'],
    ]);
  });

  it('skips files over the size limit with a warning', () => {
    const root = writeProject({ 'big.py': 'x = 1\n'.repeat(2000), 'small.py': 'y = 2\n' });
    const d = discover(root, [], { maxFileBytes: 1000 });
    expect(d.files.map((f) => f.path)).toEqual(['small.py']);
    expect(d.problems).toEqual([{ file: 'big.py', severity: 'warning', message: 'skipped: file is 0.0 MB, over the 0 MB limit' }]);
  });

  it('takes explicit files and folders, and throws a clear error for a missing path', () => {
    const root = writeProject({ 'a/x.py': '', 'b/y.py': '', 'c/z.py': '' });
    expect(discover(root, ['a', 'c/z.py']).files.map((f) => f.path)).toEqual(['a/x.py', 'c/z.py']);
    expect(() => discover(root, ['nope'])).toThrow(MissingPathError);
    expect(() => discover(root, ['nope'])).toThrow('celery-lint: path not found: nope');
  });

  it('applies extra exclude patterns', () => {
    const root = writeProject({ 'a/x.py': '', 'migrations/0001.py': '' });
    expect(discover(root, [], { exclude: ['migrations/'] }).files.map((f) => f.path)).toEqual(['a/x.py']);
  });
});
