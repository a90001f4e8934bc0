import rule from '../../../rules/results/CEL504-result-get-inside-task.js';
import { ruleTester } from '../../rule-tester.js';

const CONFIG = "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\n";
const HEAD = 'from celery.result import allow_join_result\nfrom app import app\n\n\n@app.task\ndef add(x):\n    return x + 1\n\n\n';
const outer = (body: string) => `${HEAD}@app.task\ndef outer(x):\n${body}`;
const files = { 'celeryconfig.py': CONFIG };

ruleTester(rule, {
  valid: [
    { name: 'get() outside a task (CEL404 judges it)', filename: 'tasks.py', files, code: `${HEAD}def view(x):\n    return add.delay(x).get(timeout=5)\n` },
    { name: 'ready() does not wait', filename: 'tasks.py', files, code: outer('    return add.delay(x).ready()\n') },
    { name: 'a non-literal disable_sync_subtasks: unknown', filename: 'tasks.py', files, code: outer('    flag = x > 1\n    return add.delay(x).get(disable_sync_subtasks=flag)\n') },
  ],
  invalid: [
    {
      name: 'default prefork pool: RuntimeError',
      filename: 'tasks.py',
      files,
      code: outer('    return add.delay(x).get(timeout=10)\n'),
      errors: [
        {
          line: 12, column: 12, endLine: 12, endColumn: 40, severity: 'warning',
          messageExact: 'add.delay(x).get() waits for another task\'s result inside tasks.outer: in the prefork pool Celery 5.2.7 raises RuntimeError("Never call result.get() within a task!").',
        },
      ],
      output: null,
    },
    {
      name: 'gevent and threads workers: one deadlocks, the other raises',
      filename: 'tasks.py',
      files: { ...files, Procfile: 'io: celery -A app worker -P gevent -c 50\ncpu: celery -A app worker -P threads\n' },
      code: outer('    res = add.delay(x)\n    return res.wait()\n'),
      errors: [
        {
          line: 13, column: 12, endLine: 13, endColumn: 22,
          messageExact:
            'res.wait() waits for another task\'s result inside tasks.outer: in the threads pool Celery 5.2.7 raises RuntimeError("Never call result.get() within a task!"); in the gevent pool nothing stops it: it waits holding a pool slot, and when every slot waits for tasks queued behind them the worker deadlocks.',
        },
      ],
    },
    {
      name: 'Celery 3.1 only warns',
      filename: 'tasks.py',
      celery: '3.1.25',
      files: { 'celeryconfig.py': "BROKER_URL = 'redis://redis:6379/0'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n" },
      code: outer('    return add.delay(x).get()\n'),
      errors: [{ line: 12, column: 12, message: 'in the prefork pool Celery 3.1.25 warns (RuntimeWarning "Never call result.get() within a task!") and then waits' }],
    },
    {
      name: 'disable_sync_subtasks=False switches the check off',
      filename: 'tasks.py',
      files,
      code: outer('    return add.delay(x).get(disable_sync_subtasks=False)\n'),
      errors: [{ line: 12, column: 12, messageExact: "add.delay(x).get() in tasks.outer waits for another task's result with disable_sync_subtasks=False, which switches off Celery's check: the task waits holding its prefork pool slot, and when every slot waits for tasks queued behind them the worker deadlocks." }],
    },
    {
      name: 'allow_join_result(): reported once, at the context manager',
      filename: 'tasks.py',
      files,
      code: outer('    with allow_join_result():\n        return add.delay(x).get(timeout=10)\n'),
      errors: [{ line: 12, column: 10, endLine: 12, endColumn: 29, message: "allow_join_result() in tasks.outer switches off Celery's check" }],
    },
  ],
});
