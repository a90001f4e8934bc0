import rule from '../../../rules/settings/CEL104-removed-or-inert-setting.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoFiles } from './django.js';

const KWARGS = "from celery import Celery\n\napp = Celery('proj', broker='redis://r', task_time_limit=60, namespace='CELERY')\n";

ruleTester(rule, {
  valid: [
    { code: 'enable_utc = False\n', from: '5.2.7' },
    { name: '3.1 reads CELERY_ENABLE_UTC', code: 'CELERY_ENABLE_UTC = False\nCELERY_SEND_TASK_ERROR_EMAILS = True\n', from: '3.1.25' },
    {
      name: 'CELERY_ENABLE_UTC is the namespaced enable_utc',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: 'CELERY_ENABLE_UTC = False\n',
      from: '5.2.7',
    },
    {
      name: "Django's own EMAIL_HOST/ADMINS are not Celery's",
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "ADMINS = []\nEMAIL_HOST = 'smtp'\n",
      from: '5.2.7',
    },
    { name: 'task_queue_ha_policy still exists in 4.4', code: "task_queue_ha_policy = 'all'\n", from: '4.4.7' },
    { name: 'Celery() keywords are settings from 5.1', filename: 'proj/celery.py', code: KWARGS, from: '5.1.0' },
    { name: 'broker_use_ssl= is kept from 4.3', filename: 'proj/celery.py', code: "from celery import Celery\n\napp = Celery('proj', broker='rediss://r', broker_use_ssl={'ssl_cert_reqs': 'required'})\n", from: '4.3.0' },
  ],
  invalid: [
    {
      name: 'Celery(task_time_limit=60) on 5.0: the keyword is dropped',
      filename: 'proj/celery.py',
      code: KWARGS,
      from: '5.0.5',
      errors: [{
        line: 3, column: 42, endLine: 3, endColumn: 57,
        messageExact:
          'Celery 5.0.5 drops the keyword argument task_time_limit= of Celery(): before 5.1 Celery() turns only broker, backend ' +
          'and include (from 4.3 also broker_use_ssl and redis_backend_use_ssl) into settings, so task_time_limit keeps its default. ' +
          'Set it with app.conf.update(task_time_limit=...) or in the config module; from 5.1 every keyword of Celery() is a setting.',
      }],
      output: null,
    },
    {
      name: 'CELERY_ENABLE_UTC = False is ignored from 4.0 (unsafe rename in check mode)',
      code: "broker_url = 'redis://r'\nCELERY_ENABLE_UTC = False\n",
      from: '5.2.7',
      unsafe: true,
      errors: [
        {
          line: 2, column: 1, endLine: 2, endColumn: 18,
          messageExact:
            'Celery 5.2.7 ignores CELERY_ENABLE_UTC: from 4.0 the old name of enable_utc is ENABLE_UTC, so enable_utc keeps its default, True and this False has no effect (timestamps are UTC). Use enable_utc.',
        },
      ],
      output: "broker_url = 'redis://r'\nenable_utc = False\n",
    },
    {
      name: 'CELERY_ENABLE_UTC = True: renaming changes nothing, safe; old-style module keeps the old style',
      code: "BROKER_URL = 'redis://r'\nCELERY_ENABLE_UTC = True\n",
      from: '5.2.7',
      errors: [{ line: 2, column: 1, endColumn: 18, message: 'Use ENABLE_UTC.' }],
      output: "BROKER_URL = 'redis://r'\nENABLE_UTC = True\n",
    },
    {
      name: 'migrating from 3.1 the rename keeps the 3.1 meaning: safe, on the 3.1 → 4.0 step',
      code: 'CELERY_ENABLE_UTC = False\n',
      mode: 'migrate',
      from: '3.1.25',
      to: '5.5',
      errors: [{ line: 1, column: 1, endColumn: 18, step: '3.1 → 4.0' }],
      output: 'enable_utc = False\n',
    },
    {
      name: 'a 3.1 setting 4.0 removed',
      code: 'CELERY_SEND_TASK_ERROR_EMAILS = True\nADMINS = [("ops", "ops@example.com")]\n',
      from: '5.2.7',
      errors: [
        { line: 1, column: 1, endColumn: 30, messageExact: 'CELERY_SEND_TASK_ERROR_EMAILS is a Celery 3.1 setting that 4.0 removed: Celery 5.2.7 ignores it. Remove it.' },
        { line: 2, column: 1, endColumn: 7, message: 'ADMINS is a Celery 3.1 setting that 4.0 removed' },
      ],
      output: null,
    },
    {
      name: 'a setting removed in 5.0.2, placed on the 4.x → 5.0... step of its release',
      code: "CELERY_QUEUE_HA_POLICY = 'all'\n",
      mode: 'migrate',
      from: '4.4.7',
      to: '5.5',
      errors: [{ line: 1, column: 1, endColumn: 23, step: '4.4 → 5.0', messageExact: 'CELERY_QUEUE_HA_POLICY (task_queue_ha_policy) was removed in Celery 5.0.2: 5.5 ignores it. Remove it.' }],
    },
    {
      name: 'Django settings without namespace: Celery-prefixed removed names',
      filename: 'proj/settings.py',
      files: djangoFiles(false),
      code: "CELERYD_LOG_FILE = '/var/log/w.log'\n",
      from: '5.2.7',
      errors: [{ line: 1, column: 1, endColumn: 17, message: 'CELERYD_LOG_FILE is a Celery 3.1 setting that 4.0 removed' }],
    },
  ],
});
