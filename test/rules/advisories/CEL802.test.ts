import rule from '../../../rules/advisories/CEL802-db-connection-inherited-by-fork.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoFiles } from '../settings/django.js';

const settings = (connMaxAge: string, extra = '') =>
  "INSTALLED_APPS = ['django.contrib.auth', 'reports']\n" +
  'DATABASES = {\n' +
  "    'default': {\n" +
  "        'ENGINE': 'django.db.backends.mysql',\n" +
  "        'NAME': 'app',\n" +
  `        'CONN_MAX_AGE': ${connMaxAge},\n` +
  '    }\n' +
  '}\n' +
  "BROKER_URL = 'redis://redis:6379/0'\n" +
  extra;

const djcelery = "import djcelery\ndjcelery.setup_loader()\nINSTALLED_APPS = ['django.contrib.auth', 'djcelery']\n";
const djangoDb = "CELERY_RESULT_BACKEND = 'django-db'\n";
const base = { ...djangoFiles(false), 'requirements.txt': 'celery==4.2.1\n' };
const celery31 = { ...djangoFiles(false), 'requirements.txt': 'celery==3.1.18\ndjango-celery==3.1.16\n' };
const handler =
  'from celery.signals import worker_process_init\nfrom django.db import connections\n\n\n' +
  '@worker_process_init.connect\ndef close_inherited(**kwargs):\n    for conn in connections.all():\n        conn.close()\n';

const DJCELERY_MESSAGE =
  "DATABASES['default']['CONN_MAX_AGE'] = 60 keeps Django DB connections open, the prefork pool forks its processes from a parent that can open one first (django-celery's loader runs in the parent at start-up (djcelery imported at proj/settings.py:1); the parent stores the failure of a task whose pool process died through the database result backend), and django-celery's loader (it replaces Celery's Django fix-up) does not close persistent connections in the new process (DjangoLoader.on_worker_process_init os.close()s the sockets it can, then _close_database() iterates django.db.connections (aliases, which have no close()), falls back to close_old_connections(), and that keeps connections younger than CONN_MAX_AGE open (seed 003: MySQL server has gone away)): pool processes share the parent's socket, their queries interleave on one session and one process exiting breaks the others (\"MySQL server has gone away\"). Close them in a worker_process_init handler (for conn in django.db.connections.all(): conn.close()), or upgrade to Celery 4.4 or later without django-celery, whose Django fix-up closes them.";

ruleTester(rule, {
  valid: [
    { name: 'Celery 4.4.7 closes inherited connections itself', code: settings('60', djangoDb), filename: 'proj/settings.py', celery: null, files: { ...base, 'requirements.txt': 'celery==4.4.7\n' } },
    { name: 'Celery 4.1.1 closes them with conn.close()', code: settings('60', djangoDb), filename: 'proj/settings.py', celery: null, files: { ...base, 'requirements.txt': 'celery==4.1.1\n' } },
    { name: 'Celery 3.1 without django-celery: Celery\'s own fix-up closes them', code: settings('60', djangoDb), filename: 'proj/settings.py', celery: null, files: { ...base, 'requirements.txt': 'celery==3.1.25\n' } },
    { name: 'CONN_MAX_AGE 0: connections are closed after each use', code: settings('0', djangoDb), filename: 'proj/settings.py', celery: null, files: base },
    { name: 'CONN_MAX_AGE unset (Django default 0)', code: "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n" + djangoDb, filename: 'proj/settings.py', celery: null, files: base },
    { name: 'CONN_MAX_AGE from the environment', code: settings("int(os.environ['AGE'])", djangoDb), filename: 'proj/settings.py', celery: null, files: base },
    { name: 'nothing opens a connection in the parent (Redis result backend)', code: settings('60', "CELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n"), filename: 'proj/settings.py', celery: null, files: base },
    { name: 'a gevent pool does not fork', code: djcelery + settings('60'), filename: 'proj/settings.py', celery: null, files: { ...celery31, Procfile: 'worker: python manage.py celery worker -P gevent -c 200\n' } },
    { name: 'a worker_process_init handler closes them', code: djcelery + settings('60'), filename: 'proj/settings.py', celery: null, files: { ...celery31, 'proj/signals.py': handler } },
    {
      name: 'a Django signal named like a Celery one is not a Celery handler',
      code: settings('60', djangoDb),
      filename: 'proj/settings.py',
      celery: null,
      files: { ...base, 'requirements.txt': 'celery==4.4.7\n', 'proj/other.py': 'from django.dispatch import Signal\n\nworker_process_init = Signal()\nworker_process_init.connect(print)\n' },
    },
  ],
  invalid: [
    {
      name: 'seed 003: Celery 3.1.18 + django-celery 3.1.16, prefork, CONN_MAX_AGE 60',
      code: djcelery + settings('60'),
      filename: 'proj/settings.py',
      celery: null,
      files: celery31,
      errors: [{ line: 9, column: 25, endColumn: 27, severity: 'warning', messageExact: DJCELERY_MESSAGE }],
      output: null,
    },
    {
      name: 'Celery 4.2.1 with django-db results: close_if_unusable_or_obsolete keeps them',
      code: settings('None', djangoDb),
      filename: 'proj/settings.py',
      celery: null,
      files: { ...base, Procfile: 'worker: celery worker -A proj -c 4\n' },
      errors: [
        {
          line: 6, column: 25, endColumn: 29,
          message:
            "DATABASES['default']['CONN_MAX_AGE'] = None keeps Django DB connections open, the prefork pool forks its processes from a parent that can open one first (the parent stores the failure of a task whose pool process died through the django-db result backend), and Celery 4.2.1's Django fix-up does not close persistent connections in the new process (_close_database() calls conn.close_if_unusable_or_obsolete()",
        },
      ],
      output: null,
    },
    {
      name: 'a handler for another signal does not count',
      code: settings('600', djangoDb),
      filename: 'proj/settings.py',
      celery: null,
      files: { ...base, 'proj/signals.py': handler.replace(/worker_process_init/g, 'task_postrun') },
      errors: [{ line: 6, column: 25, endColumn: 28, message: 'or upgrade to Celery 4.4 or later, whose Django fix-up closes them.' }],
      output: null,
    },
  ],
});
