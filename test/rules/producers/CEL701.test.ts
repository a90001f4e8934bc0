import rule from '../../../rules/producers/CEL701-unknown-task-name.js';
import { ruleTester } from '../../rule-tester.js';
import { NODE_CLIENT, TASKS, nodeProject } from './project.js';

const CONFIG = "broker_url = 'redis://redis:6379/0'\n";

ruleTester(rule, {
  valid: [
    { name: 'registered names, default and explicit', code: CONFIG, files: nodeProject("client.createTask('tasks.add').delay(1, 2);\nclient.sendTask('billing.charge', [7]);\n") },
    { name: 'no Python task in the project: the workers live elsewhere', code: CONFIG, files: { 'svc/send.ts': `${NODE_CLIENT}client.createTask('tasks.nope').delay(1);\n` } },
    {
      // a folder without __init__.py: Celery names the task after how the worker imports it (imports = ["jobs.foo"])
      name: 'a task in a namespace folder sent under its dotted path',
      code: CONFIG,
      files: {
        'app.py': "from celery import Celery\n\napp = Celery('proj')\napp.conf.imports = ['jobs.foo']\n",
        'jobs/foo.py': 'from celery import shared_task\n\n\n@shared_task\ndef add(x, y):\n    return x + y\n',
        'svc/send.ts': `${NODE_CLIENT}client.createTask('jobs.foo.add').delay(1, 2);\n`,
      },
    },
    { name: 'a name from the environment is not judged', code: CONFIG, files: nodeProject('client.createTask(process.env.TASK_NAME!).delay(1);\n') },
    { name: "Python send_task('other.service.task') is another rule's business", code: CONFIG, files: { 'tasks.py': TASKS, 'views.py': "from app import app\napp.send_task('other.service.task')\n" } },
    { name: 'createTask on an object that is not a Celery client', code: CONFIG, files: { 'tasks.py': TASKS, 'svc/todo.ts': "const api = { createTask: (t: string) => t };\napi.createTask('celery-node docs');\n" } },
  ],
  invalid: [
    {
      name: 'a typo: did you mean, with an unsafe fix',
      filename: 'svc/send.ts',
      code: `${NODE_CLIENT}client.sendTask('tasks.ad', [1, 2]);\n`,
      files: { 'tasks.py': TASKS },
      unsafe: true,
      errors: [
        {
          file: 'svc/send.ts', line: 3, column: 18, endLine: 3, endColumn: 26,
          messageExact:
            "celery-node sends task 'tasks.ad', but no task in this project registers that name: the worker discards the message as an unregistered task and it never runs. Did you mean 'tasks.add'?",
        },
      ],
      output: `${NODE_CLIENT}client.sendTask('tasks.add', [1, 2]);\n`,
    },
    {
      name: "the celery-node README's short name for a task registered under its module path",
      filename: 'svc/send.ts',
      code: `${NODE_CLIENT}const add = client.createTask(\`proj.tasks.add\`);\nadd.delay(1, 2);\nadd.applyAsync([3, 4]);\n`,
      files: { 'tasks.py': TASKS },
      unsafe: true,
      errors: [{ file: 'svc/send.ts', line: 3, column: 32, endLine: 3, endColumn: 46, message: "Did you mean 'tasks.add'?" }],
      output: `${NODE_CLIENT}const add = client.createTask(\`tasks.add\`);\nadd.delay(1, 2);\nadd.applyAsync([3, 4]);\n`,
    },
    {
      name: 'no close name: no suggestion, no fix',
      filename: 'svc/send.ts',
      code: `${NODE_CLIENT}const NAME = 'reports.render_everything';\nclient.createTask(NAME).delay();\n`,
      files: { 'tasks.py': TASKS },
      unsafe: true,
      errors: [
        {
          file: 'svc/send.ts', line: 3, column: 15, endLine: 3, endColumn: 40,
          messageExact:
            "celery-node sends task 'reports.render_everything', but no task in this project registers that name: the worker discards the message as an unregistered task and it never runs.",
        },
      ],
      output: null,
    },
    {
      name: 'celery-ts',
      code: CONFIG,
      files: { 'tasks.py': TASKS, 'web/q.ts': "import * as Celery from 'celery-ts';\nconst c = Celery.createClient({ brokerUrl: 'redis://redis' });\nc.createTask<number>('billing.chrage').applyAsync({ args: [1], kwargs: {} });\n" },
      errors: [{ file: 'web/q.ts', line: 3, column: 23, endLine: 3, endColumn: 37, message: "celery-ts sends task 'billing.chrage'" }],
    },
  ],
});
