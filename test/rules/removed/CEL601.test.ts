import rule from '../../../rules/removed/CEL601-removed-import.js';
import { ruleTester } from '../../rule-tester.js';

// mozilla/kuma (Celery 4.4.5): the legacy decorator reached through the celery package
const KUMA = "from celery import task\n\n\n@task\ndef render(pk):\n    pass\n\n\n@task()\ndef build_sitemaps():\n    pass\n\n\n@task(name='wiki.purge', rate_limit='10/m')\ndef purge(pks):\n    pass\n";
const KUMA_FIXED = "from celery import shared_task\n\n\n@shared_task\ndef render(pk):\n    pass\n\n\n@shared_task()\ndef build_sitemaps():\n    pass\n\n\n@shared_task(name='wiki.purge', rate_limit='10/m')\ndef purge(pks):\n    pass\n";
const ATTR = 'import celery\n\n\n@celery.task(ignore_result=True)\ndef ping():\n    return 1\n';
const PERIODIC = 'from celery.decorators import periodic_task\nfrom datetime import timedelta\n\n\n@periodic_task(run_every=timedelta(hours=1))\ndef cleanup():\n    pass\n';
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
    { name: '`from celery import task` on 4.4 (kuma)', celery: '4.4.5', filename: 'tasks.py', code: KUMA },
    { name: '`from celery import task` on 3.1', celery: '3.1.25', filename: 'tasks.py', code: KUMA },
    { name: '`import celery` + `@celery.task` on 4.4', celery: '4.4.7', filename: 'tasks.py', code: ATTR },
    { name: 'from celery import Task (a class task)', filename: 'tasks.py', code: 'from celery import Task\n\n\nclass Add(Task):\n    def run(self, x, y):\n        return x + y\n' },
    { name: '@celery.task where celery is the app', filename: 'tasks.py', code: "from celery import Celery\n\ncelery = Celery('tasks')\n\n\n@celery.task\ndef add(x, y):\n    return x + y\n" },
    { name: '`import celery` + `@celery.shared_task`', filename: 'tasks.py', code: 'import celery\n\n\n@celery.shared_task\ndef add(x, y):\n    return x + y\n' },
    {
      name: '`from celery import task` guarded by a shared_task fallback',
      filename: 'tasks.py',
      code: 'try:\n    from celery import task\nexcept ImportError:\n    from celery import shared_task as task\n\n\n@task\ndef add(x, y):\n    return x + y\n',
    },
    { name: 'celery.decorators on 3.1 (a compatibility module built by the celery package)', celery: '3.1.25', filename: 'legacy.py', code: 'from celery.decorators import task\n\n\n@task\ndef reset(pk):\n    pass\n' },
    { name: 'celery.decorators on 5.1 (still there; gone from 5.2)', celery: '5.1.2', filename: 'legacy.py', code: 'from celery.decorators import task\n\n\n@task\ndef reset(pk):\n    pass\n' },
    { name: 'celery.decorators.periodic_task on 4.4 (celery.task is still there)', celery: '4.4.7', filename: 'legacy.py', code: PERIODIC },
    { name: 'celery.decorators.periodic_task on 5.1, imported but never applied', celery: '5.1.2', filename: 'legacy.py', code: 'from celery.decorators import periodic_task, task\n\n\n@task\ndef reset(pk):\n    pass\n' },
  ],
  invalid: [
    {
      name: 'celery.decorators.periodic_task applied on 5.1: the import works, the decorator raises',
      celery: '5.1.2',
      filename: 'legacy.py',
      code: PERIODIC,
      errors: [{
        line: 5, column: 2, endLine: 5, endColumn: 15,
        messageExact:
          "`@periodic_task` (celery.decorators.periodic_task): on Celery 5.1.2 the import still works, but the compatibility " +
          "module's periodic_task is _compat_periodic_task_decorator, which runs `from celery.task import periodic_task` when " +
          "it is applied, and celery.task was removed in 5.0, so applying the decorator raises ModuleNotFoundError: No module " +
          "named 'celery.task' and the module defining legacy.cleanup fails to load. Instead, define the task with @app.task / " +
          '@shared_task and schedule it in beat_schedule or with app.add_periodic_task.',
      }],
      output: null,
    },
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
      name: 'celery.decorators on 5.2+',
      filename: 'legacy.py',
      code: '# old helpers\nfrom celery.decorators import task\n\n\n@task\ndef reset(pk):\n    pass\n',
      errors: [{
        line: 2, column: 1, endLine: 2, endColumn: 35,
        messageExact:
          '`from celery.decorators import task`: celery.decorators was removed in Celery 5.2, so on Celery 5.2.7 this ' +
          'import raises ImportError and the module importing it fails to load. Use @app.task / @shared_task instead. ' +
          'celery/decorators.py went in 3.0.0, but from 3.0 to 5.1 the celery package builds a compatibility module ' +
          'celery.decorators (COMPAT_MODULES, registered in sys.modules) whose task is current_app.task and whose ' +
          'periodic_task calls celery.task.periodic_task (so on 5.0-5.1 only `task` still works); gone from 5.2.0.',
      }],
      output: null,
    },
    {
      name: 'celery.decorators when migrating from 3.1 lands on the step that reaches 5.2',
      mode: 'migrate',
      celery: '3.1.25',
      to: '5.5',
      filename: 'legacy.py',
      code: 'from celery.decorators import task\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 35, message: 'celery.decorators was removed in Celery 5.2, so on Celery 5.5', step: '5.0 → 5.5' }],
    },
    {
      name: '`from celery import task` on 5.x (kuma): import and every @task / @task() / @task(name=...) renamed',
      filename: 'tasks.py',
      code: KUMA,
      errors: [{
        line: 1, column: 1, endLine: 1, endColumn: 24,
        messageExact:
          '`from celery import task`: celery.task (what the celery package exposed as `task`, the legacy task decorator ' +
          "before Celery 5.0) was removed in Celery 5.0, so on Celery 5.2.7 this import raises ImportError: cannot import name 'task' " +
          "from 'celery' and the module importing it fails to load. Use celery.Task / @app.task / @shared_task; periodic " +
          'tasks via beat_schedule or app.add_periodic_task; celery.group/chord/signature instead.',
      }],
      unsafe: true,
      output: KUMA_FIXED,
    },
    {
      name: '`from celery import task` on 5.0-5.1: ModuleNotFoundError (celery/__init__.py still maps it to the deleted module)',
      celery: '5.0.5',
      filename: 'tasks.py',
      code: KUMA,
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 24, message: "on Celery 5.0.5 this import raises ModuleNotFoundError: No module named 'celery.task' and" }],
    },
    {
      name: '`from celery import task` when migrating from 4.4 to 5.5: on the 4.4 → 5.0 step',
      mode: 'migrate',
      celery: '4.4.5',
      to: '5.5',
      filename: 'tasks.py',
      code: KUMA,
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 24, message: 'was removed in Celery 5.0, so on Celery 5.5', step: '4.4 → 5.0' }],
      unsafe: true,
      output: KUMA_FIXED,
    },
    {
      name: 'only the `task` name of a longer `from celery import` is rewritten',
      filename: 'tasks.py',
      code: 'from celery import group, task\n\n\n@task\ndef add(x, y):\n    return x + y\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 31, message: '`from celery import group, task`: celery.task' }],
      unsafe: true,
      output: 'from celery import group, shared_task\n\n\n@shared_task\ndef add(x, y):\n    return x + y\n',
    },
    {
      name: '`task` also used as a module (@task.periodic_task): no fix',
      filename: 'tasks.py',
      code: 'from celery import task\n\n\n@task\ndef add(x, y):\n    return x + y\n\n\n@task.periodic_task(run_every=60)\ndef tick():\n    pass\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 24 }],
      unsafe: true,
      output: null,
    },
    {
      name: 'shared_task already imported in the file: no fix',
      filename: 'tasks.py',
      code: 'from celery import shared_task, task\n\n\n@task\ndef add(x, y):\n    return x + y\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 37 }],
      unsafe: true,
      output: null,
    },
    {
      name: '`import celery` + `@celery.task` on 5.x: the decorator is reported, fixed to @celery.shared_task',
      filename: 'tasks.py',
      code: ATTR,
      errors: [{
        line: 4, column: 2, endLine: 4, endColumn: 13,
        messageExact:
          '`@celery.task`: celery.task (what the celery package exposed as `task`, the legacy task decorator before Celery 5.0) ' +
          "was removed in Celery 5.0, so on Celery 5.2.7 this decorator raises AttributeError: module 'celery' has no attribute " +
          "'task' and the module defining the task fails to load. Use celery.Task / @app.task / @shared_task; periodic tasks " +
          'via beat_schedule or app.add_periodic_task; celery.group/chord/signature instead.',
      }],
      unsafe: true,
      output: 'import celery\n\n\n@celery.shared_task(ignore_result=True)\ndef ping():\n    return 1\n',
    },
    {
      name: '`import celery` + `@celery.task` when migrating from 4.4: on the 4.4 → 5.0 step',
      mode: 'migrate',
      celery: '4.4.7',
      to: '5.5',
      filename: 'tasks.py',
      code: ATTR,
      errors: [{ line: 4, column: 2, endLine: 4, endColumn: 13, message: '`@celery.task`: celery.task', step: '4.4 → 5.0' }],
    },
    {
      name: '`from celery import five` (celery.five, removed in 5.0)',
      filename: 'compat.py',
      code: 'from celery import five\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 24, messageExact: '`from celery import five`: celery.five was removed in Celery 5.0, so on Celery 5.2.7 this import raises ImportError and the module importing it fails to load. Use Python 3 builtins instead.' }],
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
