import rule from '../../../rules/settings/CEL101-renamed-setting.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoApp, djangoFiles } from './django.js';

ruleTester(rule, {
  valid: [
    { code: "broker_url = 'redis://localhost:6379/0'\nresult_serializer = 'json'\n", from: '5.2.7' },
    { name: 'helper constants are not settings', code: "REDIS = 'redis://r:6379'\nbroker_url = REDIS + '/0'\n", from: '5.2.7' },
    { name: '3.1 project in check mode: old names are the right ones', code: "BROKER_URL = 'redis://localhost'\nCELERY_RESULT_SERIALIZER = 'json'\n", from: '3.1.25' },
    {
      name: 'Django settings with namespace and prefixed new names',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "DEBUG = True\nCELERY_BROKER_URL = 'redis://redis:6379/0'\nCELERY_WORKER_CONCURRENCY = 4\n",
      from: '5.2.7',
    },
    {
      name: 'old names inside a namespace are CEL106 cases',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "BROKER_URL = 'redis://redis:6379/0'\n",
      from: '5.2.7',
    },
  ],
  invalid: [
    {
      name: 'celeryconfig: every old name renamed in one fix, formatting kept',
      code: "CELERY_RESULT_SERIALIZER = 'json'\nBROKER_URL = 'redis://localhost:6379/0'  # main broker\n",
      from: '5.2.7',
      errors: [
        {
          line: 1, column: 1, endLine: 1, endColumn: 25,
          messageExact:
            'CELERY_RESULT_SERIALIZER is the pre-4.0 name of result_serializer; rename it to result_serializer. Celery 5.2.7 still reads it, but the worker warns at every start that it is scheduled for removal in 6.0. Rename all 2 old names of this module together: Celery refuses a configuration that mixes old and new names (ImproperlyConfigured).',
        },
        { line: 2, column: 1, endLine: 2, endColumn: 11, message: 'BROKER_URL is the pre-4.0 name of broker_url; rename it to broker_url.' },
      ],
      output: "result_serializer = 'json'\nbroker_url = 'redis://localhost:6379/0'  # main broker\n",
    },
    {
      name: '4.x reads old names without warning',
      code: "CELERYBEAT_SCHEDULE = {}\n",
      from: '4.4.7',
      errors: [{ line: 1, column: 1, endColumn: 20, message: 'Celery 4.4.7 still reads it; old names are scheduled for removal in 6.0.' }],
      output: 'beat_schedule = {}\n',
    },
    {
      name: 'conf.update keywords and dict keys (quotes kept)',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery()\napp.conf.update(\n    BROKER_URL='redis://localhost:6379/1',\n    CELERY_RESULT_BACKEND='redis://localhost:6379/1'\n)\napp.conf.update({\"CELERY_TASK_SERIALIZER\": 'json'})\n",
      from: '4.2.0',
      errors: [
        { line: 5, column: 5, endLine: 5, endColumn: 15, message: 'BROKER_URL is the pre-4.0 name of broker_url' },
        { line: 6, column: 5, endLine: 6, endColumn: 26, message: 'Use the new name here too.' },
        { line: 8, column: 19, endLine: 8, endColumn: 41, message: 'CELERY_TASK_SERIALIZER is the pre-4.0 name of task_serializer' },
      ],
      output: "from celery import Celery\n\napp = Celery()\napp.conf.update(\n    broker_url='redis://localhost:6379/1',\n    result_backend='redis://localhost:6379/1'\n)\napp.conf.update({\"task_serializer\": 'json'})\n",
    },
    {
      name: 'Django settings without namespace: prefixed new names plus namespace, unsafe, two files',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "DEBUG = True\nBROKER_URL = 'redis://redis:6379/0'\nCELERYD_CONCURRENCY = 4\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n",
      from: '5.2.7',
      unsafe: true,
      errors: [
        {
          line: 2, column: 1, endColumn: 11,
          message: "rename it to CELERY_BROKER_URL. Celery 5.2.7 still reads it (without the start-up warning, which 5.0.1+ skips for 'django.conf:settings'); old names stop working in 6.0.",
        },
        { line: 3, column: 1, endColumn: 20, message: 'CELERYD_CONCURRENCY is the pre-4.0 name of worker_concurrency; rename it to CELERY_WORKER_CONCURRENCY.' },
      ],
      output: "DEBUG = True\nCELERY_BROKER_URL = 'redis://redis:6379/0'\nCELERY_WORKER_CONCURRENCY = 4\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n",
      outputFiles: { 'proj/celery.py': djangoApp(true) },
    },
    {
      name: 'Django settings without namespace: the unsafe fix is not applied without --unsafe-fixes',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "BROKER_URL = 'redis://redis:6379/0'\n",
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 11 }],
      output: null,
    },
    {
      name: 'Django settings whose old names already are the namespaced names: only the namespace is missing',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "CELERY_RESULT_BACKEND = 'redis://redis:6379/1'\nCELERY_TASK_SERIALIZER = 'json'\n",
      from: '5.2.7',
      unsafe: true,
      errors: [{ file: 'proj/celery.py', line: 6, column: 1, endColumn: 47, message: "CELERY_RESULT_BACKEND, CELERY_TASK_SERIALIZER are read as pre-4.0 names" }],
      output: null,
      outputFiles: { 'proj/celery.py': djangoApp(true) },
    },
    {
      name: 'both forms of one setting: reported, no rename that would duplicate it',
      code: 'result_expires = 60\nCELERY_TASK_RESULT_EXPIRES = 120\n',
      from: '5.2.7',
      errors: [{ line: 2, column: 1, endColumn: 27, message: 'CELERY_TASK_RESULT_EXPIRES is the pre-4.0 name of result_expires' }],
      output: null,
    },
    {
      name: 'migrate from 3.1: placed on the 3.1 → 4.0 step',
      code: "CELERY_ACCEPT_CONTENT = ['json', 'msgpack']\n",
      mode: 'migrate',
      from: '3.1.25',
      to: '5.5',
      errors: [{ line: 1, column: 1, endColumn: 22, step: '3.1 → 4.0', message: 'Celery 5.5 still reads it, but the worker warns at every start' }],
      output: "accept_content = ['json', 'msgpack']\n",
    },
  ],
});
