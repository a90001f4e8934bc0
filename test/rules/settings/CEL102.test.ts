import rule from '../../../rules/settings/CEL102-mixed-setting-styles.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoFiles } from './django.js';

ruleTester(rule, {
  valid: [
    { code: "broker_url = 'redis://localhost'\nworker_concurrency = 4\n", from: '5.2.7' },
    { name: 'only old names', code: "BROKER_URL = 'redis://localhost'\nCELERYD_CONCURRENCY = 4\n", from: '5.2.7' },
    { name: 'ENABLE_UTC and BROKER_URL are both old names', code: "ENABLE_UTC = True\nBROKER_URL = 'redis://localhost'\n", from: '5.2.7' },
    { name: 'names that are not settings do not count', code: "import os\nREDIS = os.environ.get('REDIS', 'r')\nDEBUG_TASKS = True\nbroker_url = 'redis://' + REDIS\n", from: '5.2.7' },
    { name: '3.1 has no mixing check', code: "broker_url = 'redis://localhost'\nCELERYD_CONCURRENCY = 4\n", from: '3.1.25' },
    {
      name: 'a namespace disables the check',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_BROKER_URL = 'redis://r'\nCELERYD_CONCURRENCY = 4\n",
      from: '5.2.7',
    },
  ],
  invalid: [
    {
      name: 'old name among new ones: ImproperlyConfigured, rename to the new name',
      code: "broker_url = 'redis://localhost:6379/0'\nresult_backend = 'redis://localhost:6379/1'\nCELERYD_CONCURRENCY = 8\n",
      from: '5.2.7',
      errors: [
        {
          line: 3, column: 1, endLine: 3, endColumn: 20, severity: 'error',
          messageExact:
            'CELERYD_CONCURRENCY is an old-style name among mostly new-style ones (2 new-style and 1 old-style name): Celery 5.2.7 raises ImproperlyConfigured when it first reads this configuration, so the worker exits at start ("Cannot mix new and old setting keys, please rename the following settings to the new format: CELERYD_CONCURRENCY -> worker_concurrency"). Rename it to worker_concurrency.',
        },
      ],
      output: null,
    },
    {
      name: 'a tie goes to the new style',
      code: "broker_url = 'redis://localhost'\nCELERYD_CONCURRENCY = 4\n",
      from: '4.4.7',
      errors: [{ line: 2, column: 1, endColumn: 20, message: '(1 new-style and 1 old-style name)' }],
    },
    {
      name: 'new name among old ones: Celery asks for the old format',
      code: "BROKER_URL = 'redis://localhost'\nCELERY_RESULT_BACKEND = 'redis://localhost'\nworker_concurrency = 4\n",
      from: '5.2.7',
      errors: [
        {
          line: 3, column: 1, endColumn: 19,
          message: '"Cannot mix new setting names with old setting names, please rename the following settings to use the old format: worker_concurrency -> CELERYD_CONCURRENCY"). Rename the old names to the new style instead (CEL101 fixes all of them at once): old names are removed in 6.0.',
        },
      ],
    },
    {
      name: 'an upper-cased new name (ENABLE_UTC) is an old key too',
      code: "ENABLE_UTC = True\nbroker_url = 'redis://localhost'\n",
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 11, message: 'ENABLE_UTC -> enable_utc' }],
    },
    {
      name: 'both forms of one setting: no error, the majority form wins silently',
      code: 'result_expires = 60\nCELERY_TASK_RESULT_EXPIRES = 120\n',
      from: '5.2.7',
      errors: [
        {
          line: 2, column: 1, endColumn: 27, severity: 'warning',
          messageExact:
            'CELERY_TASK_RESULT_EXPIRES and result_expires set the same setting; Celery 5.2.7 uses result_expires (the new-style majority: 1 new-style and 1 old-style name) and silently ignores CELERY_TASK_RESULT_EXPIRES. Remove one of them.',
        },
      ],
    },
    {
      name: 'migrate from 3.1: on the 3.1 → 4.0 step',
      code: "broker_url = 'redis://localhost'\nCELERY_ACKS_LATE = True\n",
      mode: 'migrate',
      from: '3.1.25',
      to: '5.5',
      errors: [{ line: 2, column: 1, endColumn: 17, step: '3.1 → 4.0', message: 'CELERY_ACKS_LATE -> task_acks_late' }],
    },
  ],
});
