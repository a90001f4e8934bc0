import rule from '../../../rules/timeouts/CEL404-result-get-without-timeout.js';
import { ruleTester } from '../../rule-tester.js';

const TASKS =
  'from app import app\n\n\n@app.task\ndef render(x):\n    return x\n\n\n@app.task(ignore_result=True)\ndef notify(x):\n    return x\n\n\n' +
  '@app.task(bind=True)\ndef outer(self, x):\n    return render.delay(x).get()\n';
const files = { 'tasks.py': TASKS, 'celeryconfig.py': "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\n" };
const view = (body: string) => `from tasks import notify, render\n\n\ndef view(x):\n${body}`;

const MESSAGE =
  "result.get() waits for tasks.render's result without a timeout (Celery has no default one): if no worker runs the task (workers down, message lost, task not registered) or it never stores a result, this call blocks forever.";

ruleTester(rule, {
  valid: [
    {
      // onaio/onadata csv_import: get() only once the state says SUCCESS, when it returns the cached result at once
      name: 'get() after the function checked the state',
      filename: 'views.py',
      files,
      code: "from celery.result import AsyncResult\n\n\ndef status(task_id):\n    job = AsyncResult(task_id)\n    if job.state != 'SUCCESS':\n        return job.state\n    return job.get()\n",
    },
    { name: 'get() after ready()', filename: 'views.py', files, code: view('    res = render.delay(x)\n    if not res.ready():\n        return None\n    return res.get()\n') },
    { name: 'timeout keyword', filename: 'views.py', files, code: view('    result = render.delay(x)\n    return result.get(timeout=10)\n') },
    { name: 'timeout as the first positional', filename: 'views.py', files, code: view('    return render.delay(x).get(5)\n') },
    { name: 'join(timeout=...) on a group result', filename: 'views.py', files, code: view('    res = render.apply_async((x,))\n    return res.join(timeout=3)\n') },
    { name: 'options through **kwargs may carry a timeout', filename: 'views.py', files, code: view('    opts = {"timeout": 5}\n    return render.delay(x).get(**opts)\n') },
    { name: 'get() inside a task body (tasks.py: outer) is left to CEL504', filename: 'views.py', files, code: view('    return x\n') },
    { name: 'dict.get() is not a result read', filename: 'views.py', files, code: view('    return {"a": 1}.get("a")\n') },
    { name: 'test code (tasks usually run eagerly there)', filename: 'tests/test_views.py', files, code: view('    return render.delay(x).get()\n') },
    { name: 'ready() does not wait', filename: 'views.py', files, code: view('    return render.delay(x).ready()\n') },
    {
      // open-event-server: the result is read only when tasks run eagerly, where get() returns at once
      name: 'get() only under an always-eager condition',
      filename: 'views.py',
      files,
      code: view("    task = render.delay(x)\n    if current_app.config.get('CELERY_ALWAYS_EAGER'):\n        return task.get()\n    return task.id\n"),
    },
  ],
  invalid: [
    {
      name: 'get() under a negated always-eager condition still waits on a worker',
      filename: 'views.py',
      files,
      code: view('    task = render.delay(x)\n    if not settings.CELERY_TASK_ALWAYS_EAGER:\n        return task.get()\n    return None\n'),
      errors: [{ line: 7, column: 16, endLine: 7, endColumn: 26, message: 'without a timeout' }],
      unsafe: true,
      output: view('    task = render.delay(x)\n    if not settings.CELERY_TASK_ALWAYS_EAGER:\n        return task.get(timeout=30)\n    return None\n'),
    },
    {
      name: 'get() without timeout in a view',
      filename: 'views.py',
      files,
      code: view('    result = render.delay(x)\n    return result.get()\n'),
      errors: [{ line: 6, column: 12, endLine: 6, endColumn: 24, severity: 'warning', messageExact: MESSAGE }],
      unsafe: true,
      output: view('    result = render.delay(x)\n    return result.get(timeout=30)\n'),
    },
    {
      name: 'timeout=None is no timeout: the fix replaces the None',
      filename: 'views.py',
      files,
      code: view('    result = render.delay(x)\n    return result.get(timeout=None, propagate=False)\n'),
      errors: [{ line: 6, column: 12, endLine: 6, endColumn: 53, message: 'without a timeout' }],
      unsafe: true,
      output: view('    result = render.delay(x)\n    return result.get(timeout=30, propagate=False)\n'),
    },
    {
      name: 'other keywords: the timeout goes after the last one (a trailing comma stays valid)',
      filename: 'views.py',
      files,
      code: view('    result = render.delay(x)\n    return result.get(\n        propagate=False,\n    )\n'),
      errors: [{ line: 6, column: 12, endLine: 8, endColumn: 6 }],
      unsafe: true,
      output: view('    result = render.delay(x)\n    return result.get(\n        propagate=False, timeout=30,\n    )\n'),
    },
    {
      name: 'a positional None: no automatic fix (appending would pass the timeout twice)',
      filename: 'views.py',
      files,
      code: view('    return render.delay(x).get(None)\n'),
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 37 }],
      unsafe: true,
      output: null,
    },
    {
      name: 'a task with ignore_result=True never stores the result: error',
      filename: 'views.py',
      files,
      code: view('    res = notify.apply_async((x,))\n    res.wait()\n'),
      errors: [
        {
          line: 6, column: 5, endLine: 6, endColumn: 15, severity: 'error',
          messageExact: "res.wait() waits for tasks.notify's result without a timeout (Celery has no default one): tasks.notify has ignore_result=True, so no result is ever stored and this call never returns.",
        },
      ],
    },
    {
      name: 'task_ignore_result = True on the app',
      filename: 'views.py',
      files: { ...files, 'celeryconfig.py': files['celeryconfig.py'] + 'task_ignore_result = True\n' },
      code: view('    return render.delay(x).get()\n'),
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 33, severity: 'error', message: 'tasks.render runs with task_ignore_result = True, so no result is ever stored' }],
    },
    {
      name: 'ignore_result=False on the send wins over the task option',
      filename: 'views.py',
      files,
      code: view('    return notify.apply_async((x,), ignore_result=False).get()\n'),
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 63, severity: 'warning', message: 'if no worker runs the task' }],
    },
    {
      name: 'Celery 3.1: CELERY_IGNORE_RESULT',
      filename: 'views.py',
      celery: '3.1.25',
      files: { ...files, 'celeryconfig.py': "BROKER_URL = 'redis://redis:6379/0'\nCELERY_IGNORE_RESULT = True\n" },
      code: view('    return render.delay(x).get()\n'),
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 33, message: 'runs with CELERY_IGNORE_RESULT = True' }],
    },
  ],
});
