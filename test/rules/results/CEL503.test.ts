import rule from '../../../rules/results/CEL503-ignored-result-read.js';
import { ruleTester } from '../../rule-tester.js';

const CONFIG = "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\n";
const TASKS = 'from app import app\n\n\n@app.task\ndef render(x):\n    return x\n\n\n@app.task(ignore_result=True)\ndef notify(x):\n    return x\n';
const files = { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS };
const view = (body: string) => `from celery.result import AsyncResult\nfrom app import app\nfrom tasks import notify, render\n\n\ndef view(x):\n${body}`;

ruleTester(rule, {
  valid: [
    { name: 'a task that stores its result', filename: 'views.py', files, code: view('    return render.delay(x).get(timeout=5)\n') },
    { name: 'ignore_result=False on the send wins', filename: 'views.py', files, code: view('    return notify.apply_async((x,), ignore_result=False).get(timeout=5)\n') },
    { name: 'the result of an ignore_result task is not read', filename: 'views.py', files, code: view('    notify.delay(x)\n') },
    { name: 'only its id is used', filename: 'views.py', files, code: view('    return notify.delay(x).id\n') },
    { name: 'test code (eager)', filename: 'tests/test_views.py', files, code: view('    return notify.delay(x).get(timeout=5)\n') },
    {
      // Task.apply() returns EagerResult(task_id, retval, state) whatever ignore_result says: the value is there
      name: 'read only when tasks run eagerly',
      filename: 'views.py',
      files,
      code: view("    result = notify.delay(x)\n    if app.conf.task_always_eager:\n        return result.get(timeout=5)\n"),
    },
  ],
  invalid: [
    {
      name: 'get() on the AsyncResult of delay(): returns None at once on 5.2',
      filename: 'views.py',
      files,
      code: view('    res = notify.delay(x)\n    return res.get(timeout=5)\n'),
      errors: [
        {
          line: 8, column: 12, endLine: 8, endColumn: 30, severity: 'error',
          messageExact: "tasks.notify has ignore_result=True, so its result is never stored: on Celery 5.2.7 res.get() returns None at once (the AsyncResult of an ignore_result send is marked ignored), never the task's return value.",
        },
      ],
      output: null,
    },
    {
      name: 'Celery 4.1: get() waits for the timeout',
      filename: 'views.py',
      celery: '4.1.1',
      files,
      code: view('    return notify.delay(x).get(timeout=5)\n'),
      errors: [{ line: 7, column: 12, endLine: 7, endColumn: 42, messageExact: 'tasks.notify has ignore_result=True, so its result is never stored: notify.delay(x).get() waits until its timeout (celery.exceptions.TimeoutError; forever without one) while the state stays PENDING.' }],
    },
    {
      name: 'AsyncResult(id) rebuilt from the task: waits',
      filename: 'views.py',
      files,
      code: view('    return notify.AsyncResult(x).get(timeout=5)\n'),
      errors: [{ line: 7, column: 12, endLine: 7, endColumn: 48, message: 'notify.AsyncResult(x).get() waits until its timeout' }],
    },
    {
      name: 'send_task with ignore_result=True, then ready()',
      filename: 'views.py',
      files,
      code: view("    res = app.send_task('tasks.render', (x,), ignore_result=True)\n    return res.ready()\n"),
      errors: [{ line: 8, column: 12, endLine: 8, endColumn: 23, messageExact: 'tasks.render is sent with ignore_result=True (views.py:7), so its result is never stored: res.ready() stays False (the state stays PENDING) forever.' }],
    },
    {
      name: 'task_ignore_result = True: .state stays PENDING',
      filename: 'views.py',
      files: { ...files, 'celeryconfig.py': CONFIG + 'task_ignore_result = True\n' },
      code: view('    res = render.delay(x)\n    return res.state\n'),
      errors: [{ line: 8, column: 12, endLine: 8, endColumn: 21, message: 'tasks.render runs with task_ignore_result = True, so its result is never stored: the result\'s state stays PENDING' }],
    },
  ],
});
