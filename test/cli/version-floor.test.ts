import { describe, expect, it } from 'vitest';
import { writeProject } from '../helpers/project.js';
import { findings, run } from './run.js';

// The shape of openwisp-monitoring: no Celery pin, Django settings read under the CELERY namespace.
const PROJECT = {
  'proj/__init__.py': '',
  'proj/celery.py':
    "import os\nfrom celery import Celery\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n" +
    "app = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\napp.autodiscover_tasks()\n",
  'proj/settings.py': "INSTALLED_APPS = ['django.contrib.auth']\nCELERY_BROKER_URL = 'redis://localhost:6379/1'\nCELERY_TASK_ALWAYS_EAGER = False\n",
  'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
};

/** `file:line:column: CODE` of each finding of one rule. */
function located(stdout: string, code: string): string[] {
  return findings(stdout).filter((l) => new RegExp(`^\\S+:\\d+:\\d+: ${code}`).test(l));
}

describe('no Celery pin, but the project needs 4.0+', () => {
  it('migrate-check starts the path at 4.0, says why, and CEL201 does not claim 3.1 pickle defaults', async () => {
    const root = writeProject(PROJECT);
    const r = await run(['migrate-check', '.', '--to', '5.5', '--no-cache'], root);
    expect(r.stderr).toBe(
      "note: No pinned Celery version found; the project uses namespace='CELERY' in config_from_object (proj/celery.py:6), " +
        'which needs Celery ≥ 4.0: checking from 4.0. Pass --from to override.\n',
    );
    expect(r.stdout.split('\n')[0]).toBe('Upgrade path 4.0 → 5.5: 4.0 → 5.0, 5.0 → 5.5');
    expect(located(r.stdout, 'CEL201')).toEqual([]);

    // The same project checked from 3.1 does get CEL201: the floor is what keeps it away.
    const from31 = await run(['migrate-check', '.', '--from', '3.1', '--to', '5.5', '--no-cache'], root);
    expect(from31.stderr).toBe('');
    expect(located(from31.stdout, 'CEL201')).toEqual(['proj/celery.py:6:1: CEL201']);
  });

  it('check mode judges the newest release and names the floor', async () => {
    const root = writeProject(PROJECT);
    const r = await run(['check', '.', '--no-cache'], root);
    expect(r.stderr).toBe(
      "note: No pinned Celery version found; the project uses namespace='CELERY' in config_from_object (proj/celery.py:6), " +
        'which needs Celery ≥ 4.0: assuming the newest release, 5.6.3. Pass --from to override.\n',
    );
  });

  it('djcelery next to namespace=: the note says the project looks mid-migration and checks from 4.0', async () => {
    const root = writeProject({ ...PROJECT, 'proj/settings.py': "INSTALLED_APPS = ['djcelery']\nimport djcelery\ndjcelery.setup_loader()\n" });
    const r = await run(['migrate-check', '.', '--to', '5.5', '--no-cache'], root);
    expect(r.stderr).toBe(
      "note: No pinned Celery version found; the project uses namespace='CELERY' in config_from_object (proj/celery.py:6), " +
        'which needs Celery ≥ 4.0, but also proj/settings.py imports djcelery, which only Celery 3.1 runs with: the project looks ' +
        'part-way through the move to 4.0. Checking from 4.0; the 3.1 leftovers are still judged at the target. Pass --from 3.1 to ' +
        'check the whole path from 3.1.\n',
    );
    expect(located(r.stdout, 'CEL601')).toEqual(['proj/settings.py:2:1: CEL601']);
  });

  it('a pin wins: celery==3.1.25 checks from 3.1 with no note', async () => {
    const root = writeProject({ ...PROJECT, 'requirements.txt': 'celery==3.1.25\n' });
    const r = await run(['migrate-check', '.', '--to', '5.5', '--no-cache'], root);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('Upgrade path 3.1.25 → 5.5: 3.1 → 4.0, 4.x → 5.0, 5.0 → 5.5');
  });
});

describe('a project without Celery', () => {
  it('gets a plain note, not a guessed version, and no findings (Kiwi TCMS, fx-private-relay)', async () => {
    const root = writeProject({ 'app/views.py': 'def index(request):\n    return None\n', 'requirements.txt': 'django==5.2\nredis==5.0.1\n' });
    for (const command of [['check', '.'], ['migrate-check', '.', '--to', '5.5']]) {
      const r = await run([...command, '--no-cache'], root);
      expect(r.stderr).toBe('note: No Celery found in this project (no app, task, import, deploy command or pin): nothing to check.\n');
      expect(r.stdout).toBe('All checks passed: 0 findings.\n');
    }
  });
});
