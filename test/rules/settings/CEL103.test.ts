import rule from '../../../rules/settings/CEL103-unknown-setting.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoFiles } from './django.js';

ruleTester(rule, {
  valid: [
    { code: "broker_url = 'redis://localhost'\naccept_content = ['json', 'msgpack']\n", from: '5.2.7' },
    { name: 'helper constants', code: "import os\nREDIS_PASSWORD = os.environ.get('REDIS_PASSWORD', '')\nQUEUE_NAMES = ['a', 'b']\nbroker_url = 'redis://:' + REDIS_PASSWORD + '@r'\n", from: '5.2.7' },
    { name: '3.1 names at 3.1', code: "CELERY_ACCEPT_CONTENT = ['json']\nCELERYD_CONCURRENCY = 4\n", from: '3.1.25' },
    {
      name: "Django's own settings are not Celery's",
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "DEBUG = True\nDATABASES = {}\nALLOWED_HOSTS = []\nBROKER_URL = 'redis://r'\n",
      from: '5.2.7',
    },
    {
      name: 'Django namespaced settings with correct names',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_ACCEPT_CONTENT = ['json']\nCELERY_TASK_ACKS_LATE = True\nSECRET_KEY = 'x'\n",
      from: '5.2.7',
    },
    { name: 'removed names are CEL104 cases', code: 'CELERY_ENABLE_UTC = True\n', from: '5.2.7' },
    { name: 'CELERY_ + new name without namespace is a CEL106 case', code: "CELERY_BROKER_URL = 'redis://r'\n", from: '5.2.7' },
    {
      name: 'a project constant with the CELERY_ prefix, read through settings.X (paperless-ngx style)',
      filename: 'proj/settings.py',
      files: { ...djangoFiles(true), 'proj/beat.py': 'from django.conf import settings\n\ndef by_task():\n    return settings.CELERY_BEAT_NAME_BY_TASK\n' },
      code: 'CELERY_BEAT_NAME_BY_TASK = True\nCELERY_TASK_ACKS_LATE = True\n',
      from: '5.2.7',
    },
    {
      name: 'a project constant read through getattr(settings, ...) with a default',
      filename: 'proj/settings.py',
      files: { ...djangoFiles(true), 'proj/queues.py': "from django.conf import settings as django_settings\n\nHIGH = getattr(django_settings, 'CELERY_TASK_DEFAULT_PRIORITY_HIGH', 9)\n" },
      code: 'CELERY_TASK_DEFAULT_PRIORITY_HIGH = 9\n',
      from: '5.2.7',
    },
    {
      name: 'a project constant read by a later expression of the settings module',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_BEAT_NAME_BY_TASK = True\nCELERY_BEAT_SCHEDULE = {\n    'clean' if CELERY_BEAT_NAME_BY_TASK else 'proj.tasks.clean': {'task': 'proj.tasks.clean', 'schedule': 60},\n}\n",
      from: '5.2.7',
    },
    {
      name: 'a CELERYD_ constant of a celeryconfig used by another of its settings',
      code: 'CELERYD_PROCESSES_PER_CPU = 2\nCELERYD_CONCURRENCY = CELERYD_PROCESSES_PER_CPU * 4\n',
      from: '3.1.25',
    },
  ],
  invalid: [
    {
      name: 'the CELERY_ACCEPT_CONENT typo (seed 004): accept_content stays json only',
      code: "CELERY_ACCEPT_CONENT = ['json', 'msgpack']\nCELERY_TASK_SERIALIZER = 'msgpack'\n",
      from: '4.2.0',
      unsafe: true,
      errors: [
        {
          line: 1, column: 1, endLine: 1, endColumn: 21,
          messageExact:
            "CELERY_ACCEPT_CONENT is not a setting Celery 4.2 knows: it is silently ignored. Did you mean CELERY_ACCEPT_CONTENT? accept_content is not set elsewhere, so it keeps its Celery 4.2 default, ['json']. Workers reject messages whose serializer is not in that list.",
        },
      ],
      output: "CELERY_ACCEPT_CONTENT = ['json', 'msgpack']\nCELERY_TASK_SERIALIZER = 'msgpack'\n",
    },
    {
      name: 'new-style typo suggests a new name; the setting is set elsewhere',
      code: 'worker_concurency = 4\nworker_concurrency = 2\n',
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 18, message: 'Did you mean worker_concurrency? worker_concurrency is set elsewhere (worker_concurrency, celeryconfig.py:2).' }],
      output: null,
    },
    {
      name: 'a new-style name with a Celery namespace prefix but no near match',
      code: 'task_frobnicate_everything = True\n',
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 27, messageExact: 'task_frobnicate_everything is not a setting Celery 5.2.7 knows: it is silently ignored.' }],
      output: null,
    },
    {
      name: 'namespaced Django typo suggests the namespaced name',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_TASK_SERIALISER = 'json'\n",
      from: '5.2.7',
      unsafe: true,
      errors: [{ line: 1, column: 1, endColumn: 23, message: "Did you mean CELERY_TASK_SERIALIZER? task_serializer is not set elsewhere, so it keeps its Celery 5.2.7 default, 'json'." }],
      output: "CELERY_TASK_SERIALIZER = 'json'\n",
    },
    {
      name: 'Django settings without namespace: only Celery-prefixed names',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "DATABASE = {}\nCELERYD_CONCURENCY = 4\n",
      from: '5.2.7',
      errors: [{ line: 2, column: 1, endColumn: 19, message: 'Did you mean CELERYD_CONCURRENCY?' }],
    },
    {
      name: 'a setting from a later release',
      code: 'worker_eta_task_limit = 100\n',
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 22, messageExact: 'worker_eta_task_limit is not read by Celery 5.2.7: worker_eta_task_limit was added in 5.6, so this value is ignored until you upgrade.' }],
      output: null,
    },
    {
      name: 'a project constant nobody reads is still reported',
      filename: 'proj/settings.py',
      files: { ...djangoFiles(true), 'proj/beat.py': 'from django.conf import settings\n\nX = settings.CELERY_BEAT_OTHER\n' },
      code: 'CELERY_BEAT_NAME_BY_TASK = True\n',
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 25, messageExact: 'CELERY_BEAT_NAME_BY_TASK is not a setting Celery 5.2.7 knows: it is silently ignored.' }],
      output: null,
    },
    {
      name: 'a read through an object that is not django.conf.settings does not count',
      filename: 'proj/settings.py',
      files: { ...djangoFiles(true), 'proj/beat.py': 'from proj import conf\n\nX = conf.CELERY_BEAT_NAME_BY_TASK\n' },
      code: 'CELERY_BEAT_NAME_BY_TASK = True\n',
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 25, message: 'CELERY_BEAT_NAME_BY_TASK is not a setting Celery 5.2.7 knows' }],
      output: null,
    },
    {
      name: 'a typo the project also reads is still a typo, reported without a rename',
      filename: 'proj/settings.py',
      files: { ...djangoFiles(true), 'proj/views.py': "from django.conf import settings\n\nFORMATS = getattr(settings, 'CELERY_ACCEPT_CONENT', [])\n" },
      code: "CELERY_ACCEPT_CONENT = ['json', 'msgpack']\n",
      from: '5.2.7',
      errors: [
        {
          line: 1, column: 1, endColumn: 21,
          messageExact:
            'CELERY_ACCEPT_CONENT is not a setting Celery 5.2.7 knows: it is silently ignored. The project reads CELERY_ACCEPT_CONENT itself (proj/views.py:3), so renaming it means renaming that read too. ' +
            "Did you mean CELERY_ACCEPT_CONTENT? accept_content is not set elsewhere, so it keeps its Celery 5.2.7 default, ['json']. Workers reject messages whose serializer is not in that list.",
        },
      ],
      output: null,
    },
    {
      name: 'a celeryconfig key read back through django.conf.settings is not the celeryconfig key',
      files: { 'proj/views.py': 'from django.conf import settings\n\nX = settings.CELERYD_PROCESSES_PER_CPU\n' },
      code: 'CELERYD_PROCESSES_PER_CPU = 2\n',
      from: '3.1.25',
      errors: [{ line: 1, column: 1, endColumn: 26, messageExact: 'CELERYD_PROCESSES_PER_CPU is not a setting Celery 3.1.25 knows: it is silently ignored.' }],
      output: null,
    },
    {
      name: 'a 3.1 project with a typo',
      code: "CELERY_ACCEPT_CONENT = ['json']\n",
      from: '3.1.25',
      errors: [{ line: 1, column: 1, endColumn: 21, message: "Did you mean CELERY_ACCEPT_CONTENT? CELERY_ACCEPT_CONTENT then keeps its Celery 3.1.25 default" }],
    },
  ],
});
