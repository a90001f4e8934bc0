import rule from '../../../rules/settings/CEL105-pending-default-change.js';
import { knowledge } from '../../../src/engine/knowledge.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_APP, ruleTester } from '../../rule-tester.js';
import { djangoFiles } from './django.js';

describe('pending default changes in the knowledge base', () => {
  it('records when each warning is emitted, read from consumer.py', () => {
    const changes = knowledge().configLoading.pendingChanges ?? [];
    expect(changes.map((c) => [c.setting, c.warns, c.changesIn, c.keepsTodayWith, c.source])).toEqual([
      [
        'broker_connection_retry_on_startup',
        [{ since: '5.3.0', until: '5.5.0', when: 'unset' }, { since: '5.5.0', when: 'unset-and-retry-disabled' }],
        '6.0.0',
        { setting: 'broker_connection_retry' },
        { release: 'v5.5.0', file: 'celery/worker/consumer/consumer.py' },
      ],
      [
        'worker_cancel_long_running_tasks_on_connection_loss',
        [{ since: '5.1.0', when: 'connection-loss-while-false' }],
        '6.0.0',
        { value: false },
        { release: 'v5.1.0', file: 'celery/worker/consumer/consumer.py' },
      ],
    ]);
  });
});

ruleTester(rule, {
  valid: [
    { name: '5.2 has no broker_connection_retry_on_startup; no acks_late', code: "broker_url = 'redis://r'\n", from: '5.2.7' },
    { name: '5.5 only warns when broker_connection_retry is False', code: "broker_url = 'redis://r'\n", from: '5.5.0' },
    { name: 'set explicitly', code: "broker_url = 'redis://r'\nbroker_connection_retry_on_startup = True\n", from: '5.3.4' },
    { name: 'acks_late with the setting given', code: 'task_acks_late = True\nworker_cancel_long_running_tasks_on_connection_loss = True\n', from: '5.2.7' },
    { name: 'before 5.1 nothing is pending', code: 'task_acks_late = True\n', from: '5.0.5' },
    {
      // archesproject/arches: a throwaway Celery() in a view, used to send a revoke, next to the configured app
      name: 'a bare Celery() helper next to the configured app is not a worker app',
      code: "broker_url = 'redis://r'\nbroker_connection_retry_on_startup = True\n",
      from: '5.3.6',
      files: { 'app.py': DEFAULT_APP, 'views.py': 'from celery import Celery\n\n\ndef stop(task_id):\n    helper = Celery()\n    helper.control.revoke(task_id, terminate=True)\n' },
    },
    {
      // timesketch: celery.conf.update(flask_app.config), whose keys the code does not show
      name: 'configuration that cannot be read: no "not set" claim',
      filename: 'app.py',
      code: "from celery import Celery\nfrom flask import Flask\n\nflask_app = Flask(__name__)\ncelery = Celery(flask_app.import_name)\ncelery.conf.update(flask_app.config)\n",
      from: '5.4.0',
    },
    {
      // hypothesis/h: Celery(authority) built in a function to send_task to another service
      name: 'a send-only app with just a name is not a worker app, and the worker app\'s acks_late tasks are not its',
      filename: 'worker.py',
      code:
        "from celery import Celery\n\ncelery = Celery('h')\ncelery.conf.update(broker_url='amqp://h//', broker_connection_retry_on_startup=True, " +
        "worker_cancel_long_running_tasks_on_connection_loss=False)\n\n\n@celery.task(acks_late=True)\ndef send(x):\n    return x\n",
      from: '5.5.3',
      files: { 'publish.py': "from celery import Celery\n\n\ndef publish(authority, name):\n    other = Celery(authority)\n    other.send_task(name, queue='q')\n" },
    },
  ],
  invalid: [
    {
      name: 'a bare Celery() is reported when it is the only app (a worker may run it with CELERY_BROKER_URL)',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery()\n",
      from: '5.3.4',
      errors: [{ line: 3, column: 7, endLine: 3, endColumn: 15, message: 'broker_connection_retry_on_startup is not set: Celery 5.3.4 warns' }],
      output: null,
    },
    {
      name: '5.3/5.4 warn at every start while unset',
      code: "broker_url = 'redis://r'\n",
      from: '5.3.4',
      errors: [
        {
          file: 'app.py', line: 4, column: 1, endLine: 4, endColumn: 39,
          messageExact:
            "broker_connection_retry_on_startup is not set: Celery 5.3.4 warns (CPendingDeprecationWarning) at every worker start that from 6.0 broker_connection_retry no longer decides startup retries. Set broker_connection_retry_on_startup = True to keep today's behaviour.",
        },
      ],
      output: "broker_url = 'redis://r'\nbroker_connection_retry_on_startup = True\n",
    },
    {
      name: '5.5 warns when broker_connection_retry is False; the fix keeps False',
      code: "broker_url = 'redis://r'  # local\nbroker_connection_retry = False\n",
      from: '5.5.0',
      errors: [{ line: 2, column: 1, endColumn: 24, message: 'at every worker start because broker_connection_retry is False' }],
      output: "broker_url = 'redis://r'  # local\nbroker_connection_retry = False\nbroker_connection_retry_on_startup = False\n",
    },
    {
      name: 'acks_late without worker_cancel_long_running_tasks_on_connection_loss',
      code: 'task_acks_late = True\n',
      from: '5.2.7',
      errors: [
        {
          line: 1, column: 1, endColumn: 15,
          messageExact:
            "worker_cancel_long_running_tasks_on_connection_loss is not set while the app (task_acks_late) uses acks_late: Celery 5.2.7 logs a CPendingDeprecationWarning at every broker connection loss, and 6.0 changes the default to True, which cancels running acks_late tasks on connection loss (the broker redelivers them). Set it to False to keep today's behaviour (Celery still logs the warning while it is False), or to True to opt in now.",
        },
      ],
      output: 'task_acks_late = True\nworker_cancel_long_running_tasks_on_connection_loss = False\n',
    },
    {
      name: 'Django namespaced settings get the CELERY_ name after the last Celery setting',
      filename: 'proj/settings.py',
      files: djangoFiles(true),
      code: "CELERY_BROKER_URL = 'redis://r'\nDEBUG = False\n",
      from: '5.4.0',
      errors: [{ file: 'proj/celery.py', line: 6, column: 1 }],
      output: "CELERY_BROKER_URL = 'redis://r'\nCELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True\nDEBUG = False\n",
    },
    {
      // superset: config_from_object('superset.config:CeleryConfig'); the setting goes inside the class
      name: 'a class-based configuration gets the setting inside the class',
      filename: 'proj/settings.py',
      files: { 'proj/__init__.py': '', 'proj/celery.py': "from celery import Celery\n\napp = Celery('proj')\napp.config_from_object('proj.settings:CeleryConfig')\n" },
      code: "class CeleryConfig:\n    broker_url = 'redis://r'\n    task_time_limit = 60\n\n\nOTHER = 1\n",
      from: '5.4.0',
      errors: [{ file: 'proj/celery.py', line: 4, column: 1 }],
      output: "class CeleryConfig:\n    broker_url = 'redis://r'\n    task_time_limit = 60\n    broker_connection_retry_on_startup = True\n\n\nOTHER = 1\n",
    },
    {
      name: 'an app configured by conf.update gets a keyword',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery('proj')\napp.conf.update(broker_url='redis://r')\n",
      from: '5.3.0',
      errors: [{ line: 3, column: 7, endColumn: 21 }],
      output: "from celery import Celery\n\napp = Celery('proj')\napp.conf.update(broker_url='redis://r', broker_connection_retry_on_startup=True)\n",
    },
    {
      name: 'migrate: on the step that brings the warning',
      code: "BROKER_URL = 'redis://r'\n",
      mode: 'migrate',
      from: '3.1.25',
      to: '5.4',
      errors: [{ file: 'app.py', line: 4, column: 1, step: '5.0 → 5.4', message: 'Celery 5.4 warns' }],
    },
  ],
});
