import rule from '../../../rules/settings/CEL106-namespace-mismatch.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoApp, djangoFiles } from './django.js';

ruleTester(rule, {
  valid: [
    {
      name: 'Django with namespace and CELERY_ names',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_BROKER_URL = 'redis://r'\nCELERY_TASK_SOFT_TIME_LIMIT = 60\nCELERY_ENABLE_UTC = True\nDEBUG = True\nTIMEZONE = 'x'\n",
      from: '5.2.7',
    },
    {
      name: 'without namespace, CELERY_RESULT_BACKEND and CELERY_TASK_SERIALIZER are old names Celery reads',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "CELERY_RESULT_BACKEND = 'redis://r'\nCELERY_TASK_SERIALIZER = 'json'\n",
      from: '5.2.7',
    },
    { name: 'a celeryconfig with new names', code: "broker_url = 'redis://r'\n", from: '5.2.7' },
    { name: 'Celery 3.1 has no namespaces', code: "CELERY_BROKER_URL = 'redis://r'\n", from: '3.1.25' },
    {
      // openwisp-monitoring: a lower-case helper that builds other settings is not a misplaced redis_host setting
      name: 'namespace: a lower-case helper variable the settings module reads back is not reported',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code:
        "import os\nredis_host = os.getenv('REDIS_HOST', 'localhost')\n" +
        "CACHES = {'default': {'LOCATION': f'redis://{redis_host}/0'}}\nCELERY_BROKER_URL = f'redis://{redis_host}/2'\n",
      from: '5.6.2',
    },
    {
      // micromasters: REDIS_MAX_CONNECTIONS sizes the Django cache's pool; it is not redis_max_connections unprefixed
      name: 'namespace: an upper-case variable the settings read back is the project\'s own, not a misplaced setting',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code:
        "CELERY_BROKER_URL = 'redis://r'\nREDIS_MAX_CONNECTIONS = 65\n" +
        "CACHES = {'default': {'OPTIONS': {'CONNECTION_POOL_KWARGS': {'max_connections': REDIS_MAX_CONNECTIONS}}}}\n",
      from: '5.6.2',
    },
  ],
  invalid: [
    {
      name: 'namespace: unprefixed, old and lower-case keys are not applied',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "TASK_TIME_LIMIT = 600\nBROKER_URL = 'redis://r'\nCELERYD_TASK_SOFT_TIME_LIMIT = 60\ntask_soft_time_limit = 50\nCELERY_ALWAYS_EAGER = True\n",
      from: '5.2.7',
      unsafe: true,
      errors: [
        { line: 1, column: 1, endColumn: 16, messageExact: "TASK_TIME_LIMIT is not applied: with namespace='CELERY' Celery 5.2.7 only looks up CELERY_TASK_TIME_LIMIT. Rename it to CELERY_TASK_TIME_LIMIT." },
        { line: 2, column: 1, endColumn: 11, message: "it is the pre-4.0 name of broker_url, and inside namespace='CELERY' Celery 5.2.7 only looks up CELERY_BROKER_URL." },
        { line: 3, column: 1, endColumn: 29, message: 'Rename it to CELERY_TASK_SOFT_TIME_LIMIT.' },
        { line: 4, column: 1, endColumn: 21, message: 'Django settings only keep upper-case names, so Celery never sees it' },
        { line: 5, column: 1, endColumn: 20, message: 'Rename it to CELERY_TASK_ALWAYS_EAGER.' },
      ],
      // the two soft time limits would both become CELERY_TASK_SOFT_TIME_LIMIT: left for the user to choose
      output: "CELERY_TASK_TIME_LIMIT = 600\nCELERY_BROKER_URL = 'redis://r'\nCELERYD_TASK_SOFT_TIME_LIMIT = 60\ntask_soft_time_limit = 50\nCELERY_TASK_ALWAYS_EAGER = True\n",
    },
    {
      name: 'namespace: a lower-case setting read only as an attribute or keyword elsewhere is still reported',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "broker_url = 'redis://r'\nCONF = dict(broker_url=1)\nX = CONF.broker_url\n",
      from: '5.6.2',
      unsafe: true,
      errors: [{ line: 1, column: 1, endColumn: 11, messageExact: 'broker_url is not applied: Django settings only keep upper-case names, so Celery never sees it. Rename it to CELERY_BROKER_URL.' }],
      output: "CELERY_BROKER_URL = 'redis://r'\nCONF = dict(broker_url=1)\nX = CONF.broker_url\n",
    },
    {
      name: 'the fix is unsafe: not applied by default',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_TASK_RESULT_EXPIRES = 3600\n",
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 27, message: 'Rename it to CELERY_RESULT_EXPIRES.' }],
      output: null,
    },
    {
      name: 'both forms given: the misplaced one is ignored, no rename',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "BROKER_URL = 'redis://a'\nCELERY_BROKER_URL = 'redis://b'\n",
      from: '5.2.7',
      unsafe: true,
      errors: [{ line: 1, column: 1, endColumn: 11, message: '(CELERY_BROKER_URL is set too; this value is the one ignored)' }],
      output: null,
    },
    {
      name: 'Django without namespace: CELERY_BROKER_URL is ignored; the fix adds the namespace',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "CELERY_BROKER_URL = 'redis://r'\nCELERYD_CONCURRENCY = 2\n",
      from: '5.2.7',
      unsafe: true,
      errors: [
        {
          line: 1, column: 1, endColumn: 18,
          messageExact:
            "CELERY_BROKER_URL is not applied: it is the namespaced form of broker_url, but this configuration is read without namespace, so Celery 5.2.7 ignores it (without namespace it reads the old name BROKER_URL). Add namespace='CELERY' to config_from_object (the fix also renames the old names it would then stop reading).",
        },
      ],
      output: "CELERY_BROKER_URL = 'redis://r'\nCELERY_WORKER_CONCURRENCY = 2\n",
      outputFiles: { 'proj/celery.py': djangoApp(true) },
    },
    {
      name: 'celeryconfig without namespace: renamed in the module style',
      code: "CELERY_WORKER_CONCURRENCY = 4\nbroker_url = 'redis://r'\n",
      from: '5.2.7',
      unsafe: true,
      errors: [{ line: 1, column: 1, endColumn: 26, message: 'Rename it to worker_concurrency.' }],
      output: "worker_concurrency = 4\nbroker_url = 'redis://r'\n",
    },
    {
      name: 'migrate from 3.1: on the 3.1 → 4.0 step',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "BROKER_URL = 'redis://r'\n",
      mode: 'migrate',
      from: '3.1.25',
      to: '5.5',
      errors: [{ line: 1, column: 1, endColumn: 11, step: '3.1 → 4.0' }],
    },
  ],
});
