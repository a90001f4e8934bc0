import { describe, expect, it } from 'vitest';
import { detectCurrentVersion, lowerBound } from '../../src/engine/detect-version.js';
import { buildModel } from '../../src/sources/build.js';
import type { ImportFact, VersionPin } from '../../src/model/types.js';
import { writeProject } from '../helpers/project.js';

const span = { file: 'f', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const pin = (pkg: string, spec: string, source: VersionPin['source'], exact?: string, file = 'requirements.txt'): VersionPin => ({ package: pkg, spec, exact, file, span, source });

describe('detectCurrentVersion', () => {
  it('prefers a lock file entry over a requirements pin', () => {
    const d = detectCurrentVersion({ versions: [pin('celery', '==5.3.0', 'requirements', '5.3.0'), pin('celery', '', 'uv.lock', '5.3.6', 'uv.lock')], imports: [], commands: [] });
    expect(d).toEqual({ version: '5.3.6', source: 'pin', evidence: ['celery==5.3.6 in uv.lock'] });
  });

  it('takes the lowest allowed release of a range', () => {
    const d = detectCurrentVersion({ versions: [pin('celery', '>=5.4,<5.5', 'pyproject', undefined, 'pyproject.toml')], imports: [], commands: [] });
    expect(d.version).toBe('5.4');
    expect(d.source).toBe('pin');
  });

  it('infers 3.1 from djcelery imports when nothing is pinned, and says why', () => {
    const imp: ImportFact = { file: 'proj/settings.py', span, module: 'djcelery', names: [], style: 'import' };
    expect(detectCurrentVersion({ versions: [], imports: [imp], commands: [] })).toEqual({ version: '3.1', source: 'inferred', evidence: ['proj/settings.py imports djcelery'] });
  });

  it('says unknown when there is neither pin nor evidence', () => {
    expect(detectCurrentVersion({ versions: [pin('kombu', '==4.6.11', 'requirements', '4.6.11')], imports: [], commands: [] })).toEqual({ source: 'unknown', evidence: [] });
  });

  it('lowerBound', () => {
    expect([lowerBound('>=5.3,<6'), lowerBound('^5.3'), lowerBound('~=4.4.0'), lowerBound('<5')]).toEqual(['5.3', '5.3', '4.4.0', undefined]);
  });
});

const DJANGO_APP =
  "import os\nfrom celery import Celery\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n" +
  "app = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n";

async function detect(files: Record<string, string>) {
  return detectCurrentVersion(await buildModel(writeProject(files)));
}

describe('detectCurrentVersion: evidence of a minimum version', () => {
  it('namespace= in config_from_object (a TypeError on 3.1) sets the floor at 4.0, with the names 3.1 never reads', async () => {
    const d = await detect({
      'proj/__init__.py': '',
      'proj/celery.py': DJANGO_APP,
      'proj/settings.py': "INSTALLED_APPS = []\nCELERY_BROKER_URL = 'redis://localhost:6379/1'\nCELERY_TASK_ALWAYS_EAGER = False\n",
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
    });
    expect(d).toEqual({
      version: '4.0',
      source: 'inferred',
      floor: '4.0',
      evidence: [
        "namespace='CELERY' in config_from_object (proj/celery.py:6)",
        '4.0-style setting names in proj/settings.py: CELERY_BROKER_URL (proj/settings.py:2), CELERY_TASK_ALWAYS_EAGER (proj/settings.py:3)',
      ],
    });
  });

  it('a config module written only in lower-case names sets the floor at 4.0 (3.1 would read none of it)', async () => {
    const d = await detect({
      'app.py': "from celery import Celery\napp = Celery('proj')\napp.config_from_object('celeryconfig')\n",
      'celeryconfig.py': "broker_url = 'redis://h:6379/0'\ntask_serializer = 'json'\nresult_backend = 'redis://h'\ntimezone = 'UTC'\nfoo = 1\n",
    });
    expect(d).toEqual({
      version: '4.0',
      source: 'inferred',
      floor: '4.0',
      evidence: ['4.0-style setting names in celeryconfig.py: broker_url (celeryconfig.py:1), task_serializer (celeryconfig.py:2), result_backend (celeryconfig.py:3) and 1 more'],
    });
  });

  it('lower-case names set on the app (conf.update, conf.x =) count too; Celery(broker=...) does not', async () => {
    const d = await detect({
      'app.py': "from celery import Celery\napp = Celery('proj', broker='redis://h')\napp.conf.update(task_serializer='json')\napp.conf.result_expires = 60\n",
    });
    expect(d.evidence).toEqual(['4.0-style setting names set on the app in app.py: task_serializer (app.py:3), result_expires (app.py:4)']);
    expect(d.version).toBe('4.0');
  });

  it('lower-case names next to names 3.1 reads prove nothing (helper variables), so there is no floor', async () => {
    const d = await detect({
      'app.py': "from celery import Celery\napp = Celery('proj')\napp.config_from_object('celeryconfig')\n",
      'celeryconfig.py': "broker_url = 'redis://h:6379/0'\nBROKER_URL = broker_url\n",
    });
    expect(d).toEqual({ source: 'unknown', evidence: [] });
  });

  it('upper-case names alone, or Celery(namespace=...) (3.1 swallows unknown keyword arguments), are no evidence', async () => {
    expect(
      await detect({
        'app.py': "from celery import Celery\napp = Celery('proj')\napp.config_from_object('celeryconfig')\n",
        'celeryconfig.py': "BROKER_URL = 'redis://h'\nCELERY_TASK_SERIALIZER = 'json'\n",
      }),
    ).toEqual({ source: 'unknown', evidence: [] });
    expect(await detect({ 'app.py': "from celery import Celery\napp = Celery('proj', namespace='CELERY')\n" })).toEqual({ source: 'unknown', evidence: [] });
  });

  it('a pin always wins over the floor evidence', async () => {
    const d = await detect({ 'app.py': "from celery import Celery\napp = Celery('p')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n", 'requirements.txt': 'celery==3.1.25\n' });
    expect(d).toEqual({ version: '3.1.25', source: 'pin', evidence: ['celery==3.1.25 in requirements.txt'] });
  });

  it('3.1-only things next to floor evidence: the floor wins and the leftovers are kept apart (mid-migration)', async () => {
    const d = await detect({
      'proj/__init__.py': '',
      'proj/celery.py': DJANGO_APP,
      'proj/settings.py': "INSTALLED_APPS = ['djcelery']\nimport djcelery\ndjcelery.setup_loader()\n",
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
    });
    expect(d).toEqual({
      version: '4.0',
      source: 'inferred',
      floor: '4.0',
      evidence: ["namespace='CELERY' in config_from_object (proj/celery.py:6)"],
      legacy: ['proj/settings.py imports djcelery'],
    });
  });

  it('celery.decorators is no 3.1 evidence: Celery 3.0-5.1 keep it as a compatibility module', () => {
    const imp: ImportFact = { file: 'tasks.py', span, module: 'celery.decorators', names: [], style: 'from' };
    expect(detectCurrentVersion({ versions: [], imports: [imp], commands: [] })).toEqual({ source: 'unknown', evidence: [] });
  });
});
