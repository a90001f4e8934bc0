import rule from '../../../rules/producers/CEL703-producer-result-without-timeout.js';
import { ruleTester } from '../../rule-tester.js';
import { NODE_CLIENT, TASKS, nodeProject } from './project.js';

const CONFIG = "result_backend = 'redis://redis:6379/1'\n";
const TS = (backend: string, body: string) => `import { createClient } from 'celery-ts';\nconst c = createClient({ brokerUrl: 'redis://redis'${backend} });\n${body}`;

ruleTester(rule, {
  valid: [
    { name: 'celery-node get(timeout)', code: CONFIG, files: nodeProject("export const v = client.createTask('tasks.add').applyAsync([1, 2]).get(5000);\n") },
    { name: 'celery-ts get(timeout) with a result backend', code: CONFIG, files: { 'tasks.py': TASKS, 'web/q.ts': TS(", resultBackend: 'redis://redis/1'", "export const v = c.createTask('tasks.add').applyAsync({ args: [1], kwargs: {} }).get(1000);\n") } },
    { name: 'fire and forget: no result read', code: CONFIG, files: nodeProject("client.createTask('tasks.notify').delay(1);\n") },
    { name: 'celery-ts ignoreResult without get()', code: CONFIG, files: { 'tasks.py': TASKS, 'web/q.ts': TS('', "c.createTask('tasks.notify').applyAsync({ args: [1], kwargs: {}, ignoreResult: true });\n") } },
    { name: 'a Python get() without timeout is not this rule', code: CONFIG, files: { 'tasks.py': TASKS, 'views.py': 'from tasks import add\n\n\ndef view():\n    return add.delay(1, 2).get()\n' } },
    { name: 'task_ignore_result = False is the default', code: `${CONFIG}task_ignore_result = False\n`, files: nodeProject("export const v = client.sendTask('tasks.add', [1]).get(100);\n") },
  ],
  invalid: [
    {
      name: 'celery-node get() with no timeout: unsafe fix adds 30 s',
      filename: 'svc/send.ts',
      code: `${NODE_CLIENT}export async function sum() {\n  const r = client.createTask('tasks.add').applyAsync([1, 2]);\n  return r.get();\n}\n`,
      files: { 'tasks.py': TASKS, 'celeryconfig.py': CONFIG },
      unsafe: true,
      errors: [
        {
          file: 'svc/send.ts', line: 5, column: 10, endLine: 5, endColumn: 17,
          messageExact:
            'celery-node: get() has no timeout: it polls the result backend every 500 ms and never gives up if tasks.add never stores a result (worker down, message refused, task lost). Pass a timeout in milliseconds.',
        },
      ],
      output: `${NODE_CLIENT}export async function sum() {\n  const r = client.createTask('tasks.add').applyAsync([1, 2]);\n  return r.get(30000);\n}\n`,
    },
    {
      name: 'celery-ts chained get(undefined): reported, no fix (an argument is there)',
      code: CONFIG,
      files: { 'tasks.py': TASKS, 'web/q.ts': TS(", resultBackend: 'redis://redis/1'", "export const v = c.createTask('tasks.add').applyAsync({ args: [1], kwargs: {} }).get(undefined);\n") },
      unsafe: true,
      errors: [{ file: 'web/q.ts', line: 3, column: 18, endLine: 3, endColumn: 96, message: 'celery-ts: get() has no timeout: it waits on the Redis pub/sub channel celery-task-meta-* or the rpc:// reply queue' }],
      output: null,
    },
    {
      name: 'result of an ignore_result=True task',
      code: CONFIG,
      files: nodeProject("export const v = client.createTask('tasks.notify').delay(1).get(1000);\n"),
      errors: [
        {
          file: 'svc/send.ts', line: 3, column: 18, endLine: 3, endColumn: 70, severity: 'error',
          messageExact: 'tasks.notify has ignore_result=True: the worker stores no result, so this get() never succeeds and fails when its timeout runs out.',
        },
      ],
    },
    {
      name: 'task_ignore_result = True for the app, no timeout',
      code: `${CONFIG}task_ignore_result = True\n`,
      files: nodeProject("export const v = client.sendTask('billing.charge', [1]).get();\n"),
      errors: [
        {
          file: 'svc/send.ts', line: 3, column: 18, endLine: 3, endColumn: 62,
          messageExact: 'billing.charge runs with task_ignore_result = True: the worker stores no result, so this get() never succeeds and, without a timeout, waits forever (celery-node).',
        },
      ],
    },
    {
      name: 'celery-ts ignoreResult: true, then get()',
      code: CONFIG,
      files: { 'tasks.py': TASKS, 'web/q.ts': TS(", resultBackend: 'redis://redis/1'", "const r = c.createTask('tasks.add').applyAsync({ args: [1], kwargs: {}, ignoreResult: true });\nexport const v = r.get(100);\n") },
      errors: [{ file: 'web/q.ts', line: 4, column: 18, endLine: 4, endColumn: 28, messageExact: 'celery-ts: applyAsync({ignoreResult: true}) sends it without a result backend, so this get() rejects at once ("cannot get results from a null backend").' }],
    },
    {
      name: 'celery-ts client without resultBackend',
      code: CONFIG,
      files: { 'tasks.py': TASKS, 'web/q.ts': TS('', "export const v = c.createTask('tasks.add').applyAsync({ args: [1], kwargs: {} }).get(100);\n") },
      errors: [{ file: 'web/q.ts', line: 3, column: 18, message: 'the client was created without resultBackend' }],
    },
  ],
});
