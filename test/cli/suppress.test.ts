import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeProject } from '../helpers/project.js';
import { findings, run } from './run.js';
import { BASE } from './sample.js';

const concise = ['--output-format', 'concise'];

describe('# noqa in Python and deploy files', () => {
  const files = {
    ...BASE,
    'proj/celeryconfig.py': [
      "CELERY_RESULT_SERIALIZER = 'json'  # noqa: CEL101",
      "BROKER_URL = 'amqp://guest@rabbit:5672//'",
      "CELERY_ACCEPT_CONTENT = ['pickle', 'json']  # noqa",
      '',
    ].join('\n'),
    'docker-compose.yml': 'services:\n  worker:\n    command: celery -A proj worker\n    environment:\n      CELERY_BROKER_URL: django://  # noqa: CEL302\n',
    Procfile: 'worker: celery -A proj worker -l info  # noqa: CEL302, E501\n',
  };

  it('a listed code, a bare # noqa and a compose line; the fix of a suppressed finding is not offered', async () => {
    const r = await run(['check', ...concise], writeProject(files));
    // CEL101's fix renames every old name of the module at once, so it would rename the suppressed ones too.
    expect(findings(r.stdout)).toEqual(['proj/celeryconfig.py:2:1: CEL101', '1 finding, 0 fixable with --fix.']);
    expect(r.code).toBe(1);
  });

  it('--report-unused-noqa reports CEL900 for listed codes that suppressed nothing, with a safe fix', async () => {
    const root = writeProject({ ...files, '.env': '# celery-lint: noqa\nLOG_LEVEL=info\n' });
    const r = await run(['check', ...concise, '--report-unused-noqa'], root);
    expect(findings(r.stdout)).toEqual([
      '.env:1:1: CEL900 [*]',
      'Procfile:1:40: CEL900 [*]',
      'proj/celeryconfig.py:2:1: CEL101',
      '3 findings, 2 fixable with --fix.',
    ]);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '.env:1:1: CEL900 [*] Unused file-level noqa directive (it suppresses no finding)',
      'Procfile:1:40: CEL900 [*] Unused noqa directive (unused: CEL302)',
    ]);
    expect(await run(['check', '--fix', '--report-unused-noqa', '--select', 'CEL3'], root)).toMatchObject({ code: 0, stderr: 'Fixed 2 findings in 2 files.\n' });
    expect(fs.readFileSync(path.join(root, 'Procfile'), 'utf8')).toBe('worker: celery -A proj worker -l info  # noqa: E501\n');
    expect(fs.readFileSync(path.join(root, '.env'), 'utf8')).toBe('\nLOG_LEVEL=info\n');
    expect(fs.readFileSync(path.join(root, 'proj/celeryconfig.py'), 'utf8')).toBe(files['proj/celeryconfig.py']);
  });

  it('a code of a rule that did not run is never unused', async () => {
    const r = await run(['check', ...concise, '--report-unused-noqa', '--select', 'CEL2'], writeProject(files));
    expect(findings(r.stdout)).toEqual(['All checks passed: 0 findings.']);
  });

  it('a file-level directive with codes', async () => {
    const root = writeProject({ ...BASE, 'proj/celeryconfig.py': `${BASE['proj/celeryconfig.py']}# celery-lint: noqa: CEL101, CEL102\n` });
    const r = await run(['check', ...concise, '--report-unused-noqa'], root);
    expect(findings(r.stdout)).toEqual([
      'docker-compose.yml:5:26: CEL302',
      'proj/celeryconfig.py:3:26: CEL203',
      'proj/celeryconfig.py:4:1: CEL900 [*]',
      '3 findings, 1 fixable with --fix.',
    ]);
    expect(r.stdout).toContain('proj/celeryconfig.py:4:1: CEL900 [*] Unused file-level noqa directive (unused: CEL102)\n');
  });

  it('a bare file-level directive in a compose file', async () => {
    const root = writeProject({ ...BASE, 'docker-compose.yml': `# celery-lint: noqa\n${BASE['docker-compose.yml']}` });
    const r = await run(['check', ...concise, '--select', 'CEL3'], root);
    expect(r).toEqual({ code: 0, stdout: 'All checks passed: 0 findings.\n', stderr: '' });
  });

  it('--fix leaves a suppressed finding alone and fixes the others', async () => {
    const other = "from celery import Celery\nb = Celery('b')\nb.conf.update(CELERY_ACCEPT_CONTENT=['json'])";
    const files = { ...BASE, 'proj/celeryconfig.py': "CELERY_RESULT_SERIALIZER = 'json'\nCELERY_TASK_SERIALIZER = 'json'\n", 'proj/other.py': `${other}\n` };
    const unsuppressed = await run(['check', ...concise, '--select', 'CEL101'], writeProject(files));
    expect(findings(unsuppressed.stdout)).toEqual([
      'proj/celeryconfig.py:1:1: CEL101 [*]',
      'proj/celeryconfig.py:2:1: CEL101 [*]',
      'proj/other.py:3:15: CEL101 [*]',
      '3 findings, 3 fixable with --fix.',
    ]);
    const root = writeProject({ ...files, 'proj/other.py': `${other}  # noqa: CEL101\n` });
    const r = await run(['check', '--fix', '--select', 'CEL101'], root);
    expect(r).toEqual({ code: 0, stdout: 'All checks passed: 0 findings.\n', stderr: 'Fixed 2 findings in 1 file.\n' });
    expect(fs.readFileSync(path.join(root, 'proj/celeryconfig.py'), 'utf8')).toBe("result_serializer = 'json'\ntask_serializer = 'json'\n");
    expect(fs.readFileSync(path.join(root, 'proj/other.py'), 'utf8')).toBe(`${other}  # noqa: CEL101\n`);
  });
});
