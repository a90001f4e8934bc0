import rule from '../../../rules/removed/CEL601-removed-import.js';
import { ruleTester } from '../../rule-tester.js';

const LEGACY = 'from celery.task import task\n\n\n@task\ndef add(x, y):\n    return x + y\n\n\n@task(ignore_result=True)\ndef ping():\n    return 1\n';

ruleTester(rule, {
  valid: [
    { name: 'celery.task on 4.4 (deprecated, still there)', celery: '4.4.7', filename: 'tasks.py', code: LEGACY },
    { name: 'djcelery on 3.1', celery: '3.1.25', filename: 'proj/settings.py', code: 'import djcelery\n\ndjcelery.setup_loader()\n' },
    { name: 'the 5.x imports', filename: 'tasks.py', code: 'from celery import shared_task, Task, group\nfrom celery.schedules import crontab\n\n\n@shared_task\ndef add(x, y):\n    return x + y\n' },
    { name: 'celery.utils.time (the 4.0 replacement of timeutils)', filename: 'util.py', code: 'from celery.utils.time import maybe_make_aware\n' },
    {
      name: 'a guarded import with a fallback from celery itself',
      filename: 'tasks.py',
      code: 'try:\n    from celery.task import task\nexcept ImportError:\n    from celery import shared_task as task\n\n\n@task\ndef add(x, y):\n    return x + y\n',
    },
    { name: 'celery.task.sets on 3.1', celery: '3.1.25', filename: 'tasks.py', code: 'from celery.task.sets import TaskSet\n' },
    { name: 'django_celery_beat is not djcelery', filename: 'beat.py', code: 'from django_celery_beat.models import PeriodicTask\n' },
  ],
  invalid: [
    {
      name: 'celery.task on 5.x: import and every decorator renamed in one unsafe fix',
      filename: 'tasks.py',
      code: LEGACY,
      errors: [{
        line: 1, column: 1, endLine: 1, endColumn: 29,
        messageExact:
          '`from celery.task import task`: celery.task was removed in Celery 5.0, so on Celery 5.2.7 this import raises ' +
          'ImportError and the module importing it fails to load. Use celery.Task / @app.task / @shared_task; periodic ' +
          'tasks via beat_schedule or app.add_periodic_task; celery.group/chord/signature instead.',
      }],
      unsafe: true,
      output: 'from celery import shared_task\n\n\n@shared_task\ndef add(x, y):\n    return x + y\n\n\n@shared_task(ignore_result=True)\ndef ping():\n    return 1\n',
    },
    {
      name: 'the fix is unsafe: not applied without --unsafe-fixes',
      filename: 'tasks.py',
      code: LEGACY,
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 29 }],
      output: null,
    },
    {
      name: 'periodic_task has no mechanical replacement: no fix',
      filename: 'tasks.py',
      code: 'from celery.schedules import crontab\nfrom celery.task import task, periodic_task\n\n\n@periodic_task(run_every=crontab(minute=0))\ndef hourly():\n    pass\n',
      errors: [{ line: 2, column: 1, endLine: 2, endColumn: 44, message: '`from celery.task import task, periodic_task`: celery.task was removed in Celery 5.0' }],
      unsafe: true,
      output: null,
    },
    {
      name: 'an aliased import is reported without a fix',
      filename: 'tasks.py',
      code: 'from celery.task import task as celery_task\n\n\n@celery_task\ndef add(x, y):\n    return x + y\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 44, message: '`from celery.task import task as celery_task`' }],
      unsafe: true,
      output: null,
    },
    {
      name: 'a submodule of celery.task (celery.task.base) in migrate mode lands on the 5.0 step',
      mode: 'migrate',
      celery: '3.1.25',
      to: '5.5',
      filename: 'tasks.py',
      code: 'from celery.task.base import Task\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 34, message: 'celery.task was removed in Celery 5.0, so on Celery 5.5', step: '4.x → 5.0' }],
    },
    {
      name: 'celery.decorators is already gone on 3.1',
      celery: '3.1.25',
      filename: 'legacy.py',
      code: '# old helpers\nfrom celery.decorators import task\n\n\n@task\ndef reset(pk):\n    pass\n',
      errors: [{
        line: 2, column: 1, endLine: 2, endColumn: 35,
        messageExact:
          '`from celery.decorators import task`: celery.decorators was removed in Celery 3.0, so on Celery 3.1.25 this ' +
          'import raises ImportError and the module importing it fails to load. Use celery.task / @app.task instead. ' +
          'Present in v2.5.5, absent from v3.0.0 (not a 4.0 removal).',
      }],
      output: null,
    },
    {
      name: 'celery.task.sets on 4.0',
      celery: '4.0.2',
      filename: 'tasks.py',
      code: 'import celery.task.sets\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 24, message: '`import celery.task.sets`: celery.task.sets was removed in Celery 4.0' }],
    },
    {
      name: 'djcelery when migrating to 4.x: on the 3.1 → 4.0 step',
      mode: 'migrate',
      celery: '3.1.25',
      to: '4.4',
      filename: 'proj/settings.py',
      code: 'import djcelery\n\ndjcelery.setup_loader()\n',
      errors: [{
        line: 1, column: 1, endLine: 1, endColumn: 16, step: '3.1 → 4.0',
        message: '`import djcelery` imports django-celery (djcelery), which does not work with Celery 4.0+ (Celery 4.4 is judged): Separate package',
      }],
    },
    {
      name: 'a djcelery submodule on 5.x',
      filename: 'beat.py',
      code: 'from djcelery.models import PeriodicTask\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 41, message: 'django-celery-results / django-celery-beat' }],
    },
  ],
});
