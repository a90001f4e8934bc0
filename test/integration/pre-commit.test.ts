import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/project.js';
import { copyPackage, git, has } from './package-copy.js';

// The published hook (.pre-commit-hooks.yaml, language: node) run by the real pre-commit (Debian's package, installed
// by .ci/run): pre-commit clones this package at a commit, npm-installs and packs it, and runs `celery-lint check`
// on the staged files of a fixture repository. Installing the hook takes ~30 s (npm install + tsc).

const TIMEOUT = 240_000;
const READY = has('pre-commit') && has('git') && has('npm');

interface Commit {
  status: number | null;
  output: string;
}

if (!READY) it.skip('pre-commit hook: skipped, pre-commit or git is not installed (apt-get install pre-commit git; .ci/run installs them)', () => {});

describe.skipIf(!READY)('the celery-lint pre-commit hook', () => {
  let project: string;
  let env: NodeJS.ProcessEnv;

  const commit = (message: string): Commit => {
    const r = spawnSync('git', ['-c', 'user.name=celery-lint test', '-c', 'user.email=test@example.invalid', 'commit', '-m', message], {
      cwd: project,
      env,
      encoding: 'utf8',
      timeout: TIMEOUT,
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-pre-commit-'));
    const hookRepo = path.join(dir, 'celery-lint');
    copyPackage(hookRepo);
    git(hookRepo, ['init', '-q']);
    git(hookRepo, ['add', '-A']);
    git(hookRepo, ['commit', '-q', '-m', 'celery-lint']);
    const rev = git(hookRepo, ['rev-parse', 'HEAD']).trim();

    // The Django project with every file committed but reports/views.py, whose result.get() has no timeout (CEL404)
    // for a task defined in reports/tasks.py. Its settings have findings too, already committed (legacy code).
    project = path.join(dir, 'project');
    fs.cpSync(path.join(FIXTURES, 'celery31-django'), project, { recursive: true });
    fs.writeFileSync(path.join(project, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: celery-lint\n`);
    git(project, ['init', '-q']);
    git(project, ['add', '-A']);
    git(project, ['reset', '-q', 'reports/views.py']);
    git(project, ['commit', '-q', '--no-verify', '-m', 'legacy']);

    env = { ...process.env, PRE_COMMIT_HOME: path.join(dir, 'pre-commit-home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', NO_COLOR: '1' };
    const install = spawnSync('pre-commit', ['install'], { cwd: project, env, encoding: 'utf8', timeout: TIMEOUT });
    expect(install.stdout).toBe('pre-commit installed at .git/hooks/pre-commit\n');
  }, TIMEOUT);

  it('fails a commit that adds a finding, printing it, and reports only the committed file', () => {
    git(project, ['add', 'reports/views.py']);
    const r = commit('views');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/^celery-lint\.+Failed$/m);
    expect(r.output).toContain("reports/views.py:20:11: CEL404 result.get() waits for reports.tasks.render_pdf's result without a timeout");
    // The settings' findings are not in the files committed: not reported, though their facts feed the model
    // (the task render_pdf is known from reports/tasks.py, the version from requirements.txt).
    expect(r.output).not.toContain('proj/settings.py');
    expect(r.output.split('\n').filter((l) => /^\S+:\d+:\d+: CEL\d+/.test(l))).toEqual([expect.stringMatching(/^reports\/views\.py:20:11: CEL404 /)]);
    expect(git(project, ['log', '--format=%s'])).toBe('legacy\n');
  }, TIMEOUT);

  it('passes a clean change', () => {
    git(project, ['reset', '-q', 'reports/views.py']);
    fs.appendFileSync(path.join(project, 'reports/models.py'), '\n# Exports older than 30 days are removed by beat.\n');
    git(project, ['add', 'reports/models.py']);
    const r = commit('note');
    expect(r.output).toMatch(/^celery-lint\.+Passed$/m);
    expect(r.status).toBe(0);
    expect(git(project, ['log', '--format=%s'])).toBe('note\nlegacy\n');
  }, TIMEOUT);
});
