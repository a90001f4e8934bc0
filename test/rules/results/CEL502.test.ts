import rule from '../../../rules/results/CEL502-unused-result.js';
import { ruleTester } from '../../rule-tester.js';

const CONFIG = "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://:pw@redis:6379/1'\n";
const TASKS = 'from app import app\n\n\n@app.task\ndef notify(x):\n    return x\n';
const view = (body: string) => `from tasks import notify\n\n\ndef view(x):\n${body}`;
const files = { 'celeryconfig.py': CONFIG, 'views.py': view('    notify.delay(x)\n') };
const MESSAGE =
  "tasks.notify stores every result in the result backend (redis://:****@redis:6379/1), but nothing in the project reads it: its only send (views.py:5) discards the AsyncResult. Set ignore_result=True on the task. With the Redis backend each send also subscribes the sender to the result's channel; ignore_result=True stops that too.";

ruleTester(rule, {
  valid: [
    { name: 'no result backend: nothing is stored', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': "broker_url = 'redis://redis:6379/0'\n" }, code: TASKS },
    { name: 'ignore_result=True already', filename: 'tasks.py', files, code: TASKS.replace('@app.task\n', '@app.task(ignore_result=True)\n') },
    { name: 'task_ignore_result = True on the app', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': CONFIG + 'task_ignore_result = True\n' }, code: TASKS },
    { name: 'the result is read', filename: 'tasks.py', files: { ...files, 'views.py': view('    return notify.delay(x).get(timeout=5)\n') }, code: TASKS },
    { name: 'the result is kept (returned)', filename: 'tasks.py', files: { ...files, 'views.py': view('    return notify.delay(x)\n') }, code: TASKS },
    { name: 'task_id= chosen by the caller may be looked up later', filename: 'tasks.py', files: { ...files, 'views.py': view('    notify.apply_async((x,), task_id=f"n-{x}")\n') }, code: TASKS },
    { name: 'no send in the project (beat or another service calls it)', filename: 'tasks.py', files: { 'celeryconfig.py': CONFIG }, code: TASKS },
    { name: 'in a chord header (the chord needs the results)', filename: 'tasks.py', files: { ...files, 'views.py': 'from celery import chord\nfrom tasks import notify, done\n\n\ndef view(x):\n    notify.delay(x)\n    chord([notify.s(x)])(done.s())\n' }, code: TASKS + '\n\n@app.task\ndef done(r):\n    return r\n' },
    {
      name: 'an AsyncResult(id) of an unknown task could be a bind=True task',
      filename: 'tasks.py',
      files: { ...files, 'status.py': 'from celery.result import AsyncResult\n\n\ndef status(task_id):\n    return AsyncResult(task_id).state\n' },
      code: TASKS.replace('@app.task\ndef notify(x)', '@app.task(bind=True)\ndef notify(self, x)'),
    },
    { name: 'a send of a task we cannot name keeps its result (it could be this task)', filename: 'tasks.py', files: { ...files, 'other.py': 'import tasks\n\n\ndef run(name, x):\n    return getattr(tasks, name).delay(x)\n' }, code: TASKS },
    { name: 'send_task of a name we cannot read keeps its result (it could be this task)', filename: 'tasks.py', files: { ...files, 'jobs.py': 'from app import app\n\n\ndef run(name, x):\n    return app.send_task(name, args=[x]).get(timeout=5)\n' }, code: TASKS },
    { name: 'django-db backend: stored results are listed in the admin', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': "broker_url = 'redis://redis:6379/0'\nresult_backend = 'django-db'\n" }, code: TASKS },
    {
      name: 'the app replaces its default task class (app.Task = ...), which may set ignore_result',
      filename: 'tasks.py',
      files: { ...files, 'app.py': "from celery import Celery, Task\n\nclass Quiet(Task):\n    ignore_result = True\n\napp = Celery('proj')\napp.config_from_object('celeryconfig')\napp.Task = Quiet\n" },
      code: TASKS,
    },
    { name: 'decorator options we cannot see (**opts)', filename: 'tasks.py', files, code: TASKS.replace('@app.task\n', 'OPTS = {"ignore_result": True}\n\n\n@app.task(**OPTS)\n') },
    { name: 'task_always_eager: nothing is stored', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': CONFIG + 'task_always_eager = True\n' }, code: TASKS },
    { name: 'sends in tests do not count', filename: 'tasks.py', files: { 'celeryconfig.py': CONFIG, 'tests/test_tasks.py': 'from tasks import notify\n\n\ndef test_notify():\n    notify.delay(1)\n' }, code: TASKS },
  ],
  invalid: [
    {
      name: 'bare @app.task: gains an argument list (every send visible: safe)',
      filename: 'tasks.py',
      files,
      code: TASKS,
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 10, severity: 'info', messageExact: MESSAGE }],
      output: TASKS.replace('@app.task\n', '@app.task(ignore_result=True)\n'),
    },
    {
      name: 'options already: appended after the last keyword (a trailing comma stays valid)',
      filename: 'tasks.py',
      files,
      code: 'from app import app\n\n\n@app.task(\n    bind=True,\n    max_retries=3,\n)\ndef notify(self, x):\n    return x\n',
      errors: [{ line: 4, column: 1, endLine: 7, endColumn: 2 }],
      output: 'from app import app\n\n\n@app.task(\n    bind=True,\n    max_retries=3, ignore_result=True,\n)\ndef notify(self, x):\n    return x\n',
    },
    {
      name: 'empty parentheses are filled',
      filename: 'tasks.py',
      files,
      code: TASKS.replace('@app.task\n', '@app.task()\n'),
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 12 }],
      output: TASKS.replace('@app.task\n', '@app.task(ignore_result=True)\n'),
    },
    {
      name: 'explicit name= (other services may send it by name): unsafe fix',
      filename: 'tasks.py',
      files,
      code: TASKS.replace('@app.task\n', "@app.task(name='notify')\n"),
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 25, message: 'notify stores every result' }],
      output: null,
    },
    {
      name: 'explicit name=: the unsafe fix applies with --unsafe-fixes',
      filename: 'tasks.py',
      files,
      code: TASKS.replace('@app.task\n', "@app.task(name='notify')\n"),
      errors: [{ line: 4, column: 1 }],
      unsafe: true,
      output: TASKS.replace('@app.task\n', "@app.task(name='notify', ignore_result=True)\n"),
    },
    {
      name: 'an AsyncResult(id) of an unknown task cannot be about a task whose ids never leave the sender',
      filename: 'tasks.py',
      files: { ...files, 'status.py': 'from celery.result import AsyncResult\n\n\ndef status(task_id):\n    return AsyncResult(task_id).state\n' },
      code: TASKS,
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 10 }],
    },
    {
      name: 'Celery 3.1 with the Redis backend: no subscription to mention',
      filename: 'tasks.py',
      celery: '3.1.25',
      files: { ...files, 'celeryconfig.py': "BROKER_URL = 'redis://redis:6379/0'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n" },
      code: TASKS,
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 10, messageExact: 'tasks.notify stores every result in the result backend (redis://redis:6379/1), but nothing in the project reads it: its only send (views.py:5) discards the AsyncResult. Set ignore_result=True on the task.' }],
    },
    {
      name: 'a discarded send_task of a name we cannot read: reported, but the fix is unsafe (it may send this task)',
      filename: 'tasks.py',
      files: { ...files, 'jobs.py': 'from app import app\n\n\ndef run(name, x):\n    app.send_task(name, args=[x])\n' },
      code: TASKS,
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 10, messageExact: MESSAGE }],
      output: null,
    },
    {
      name: 'two sends, both discarded',
      filename: 'tasks.py',
      files: { ...files, 'views.py': view('    notify.delay(x)\n    notify.apply_async((x,), countdown=5)\n') },
      code: TASKS,
      errors: [{ line: 4, column: 1, message: 'all 2 of its sends (first: views.py:5) discard the AsyncResult' }],
    },
  ],
});
