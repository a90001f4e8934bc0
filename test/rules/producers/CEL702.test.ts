import rule from '../../../rules/producers/CEL702-producer-content-not-accepted.js';
import { ruleTester } from '../../rule-tester.js';
import { nodeProject, TASKS } from './project.js';

const TS_CLIENT = "import * as Celery from 'celery-ts';\nconst c = Celery.createClient({ brokerUrl: 'redis://redis', resultBackend: 'redis://redis/1' });\n";
const yamlSend = (extra = '') => ({ 'tasks.py': TASKS, 'web/q.ts': `${TS_CLIENT}c.createTask('tasks.add').applyAsync({ args: [1, 2], kwargs: {}, serializer: Celery.Serializer.Yaml${extra} });\n` });

ruleTester(rule, {
  valid: [
    { name: 'json sends with the 5.2 defaults', code: "result_backend = 'redis://redis/1'\n", files: nodeProject("client.createTask('tasks.add').applyAsync([1, 2]).get(1000);\n") },
    { name: 'celery-ts yaml accepted', code: "accept_content = ['json', 'yaml']\n", files: yamlSend() },
    { name: 'accept_content None accepts everything', code: 'accept_content = None\n', files: yamlSend() },
    {
      name: 'Celery 3.1.25 reads protocol 1 from celery-node (TASK_PROTOCOL = 1); no result read',
      code: "BROKER_URL = 'redis://redis'\n",
      celery: '3.1.25',
      files: nodeProject("client.conf.TASK_PROTOCOL = 1;\nclient.createTask('tasks.add').delay(1, 2);\n"),
    },
    { name: 'celery-ts protocol 2 carries every header Celery 3.1.25 requires', code: "BROKER_URL = 'redis://redis'\n", celery: '3.1.25', files: yamlSend() },
    { name: 'Celery 4.0+ reads protocol 1 too', code: "broker_url = 'redis://redis'\n", celery: '4.4.7', files: nodeProject("client.conf.TASK_PROTOCOL = 1;\nclient.createTask('tasks.add').delay(1, 2);\n") },
    { name: 'results read while result_serializer is json', code: "result_serializer = 'json'\n", files: nodeProject("client.sendTask('tasks.add', [1, 2]).get(500);\n") },
    { name: 'a protocol that is not literal is not judged', code: "BROKER_URL = 'redis://redis'\n", celery: '3.1.20', files: nodeProject("client.conf.TASK_PROTOCOL = Number(process.env.P);\nclient.createTask('tasks.add').delay(1);\n") },
  ],
  invalid: [
    {
      name: 'celery-ts sends yaml, accept_content is json only',
      code: "accept_content = ['json']\n",
      files: yamlSend(),
      errors: [
        {
          file: 'web/q.ts', line: 3, column: 66, endLine: 3, endColumn: 100,
          messageExact:
            "celery-ts sends tasks.add as yaml, but accept_content is ['json']: the worker refuses the message (ContentDisallowed: Refusing to deserialize untrusted content of type yaml (application/x-yaml)) and the task never runs.",
        },
      ],
      output: null,
    },
    {
      name: 'yaml accepted by the 3.1 default, refused from 4.0.1 (migrate-check)',
      code: "BROKER_URL = 'redis://redis'\n",
      celery: '3.1.25',
      mode: 'migrate',
      to: '5.2.7',
      files: yamlSend(),
      errors: [{ file: 'web/q.ts', line: 3, column: 66, step: '3.1 → 4.0', message: "accept_content is not set and Celery 5.2.7 accepts only ['json'] by default" }],
    },
    {
      name: 'celery-node sends only json; the workers accept only msgpack',
      code: "accept_content = ['msgpack']\n",
      files: nodeProject("client.createTask('tasks.add').delay(1, 2);\n"),
      errors: [{ file: 'svc/send.ts', line: 3, column: 1, endLine: 3, endColumn: 43, message: 'celery-node sends tasks.add as json (its only serializer), but accept_content is [\'msgpack\']' }],
    },
    {
      name: "celery-node's default protocol 2 lacks the headers Celery 3.1.25 needs",
      code: "BROKER_URL = 'redis://redis'\n",
      celery: '3.1.25',
      files: nodeProject("client.createTask('tasks.add').delay(1, 2);\n"),
      errors: [
        {
          file: 'svc/send.ts', line: 2, column: 23, endLine: 2, endColumn: 83,
          messageExact:
            "celery-node sends protocol 2 messages with only the lang, task, id headers, but Celery 3.1.25 workers require retries, eta, expires, group, timelimit, embed 'callbacks', embed 'errbacks', embed 'chain', embed 'chord' to convert them: the consumer raises TypeError and no task runs. Set client.conf.TASK_PROTOCOL = 1.",
        },
      ],
    },
    {
      name: 'Celery before 3.1.24 reads protocol 1 only',
      code: "BROKER_URL = 'redis://redis'\n",
      celery: '3.1.20',
      files: nodeProject("client.conf.TASK_PROTOCOL = 2;\nclient.createTask('tasks.add').delay(1, 2);\n"),
      errors: [
        {
          file: 'svc/send.ts', line: 3, column: 1, endLine: 3, endColumn: 30,
          messageExact:
            'celery-node sends task messages with client.conf.TASK_PROTOCOL = 2, but Celery 3.1.20 workers read only protocol 1: they delete these messages as unknown and no task runs. Set client.conf.TASK_PROTOCOL = 1.',
        },
      ],
    },
    {
      name: 'celery-ts cannot send protocol 1: no advice',
      code: "BROKER_URL = 'redis://redis'\n",
      celery: '3.1.20',
      files: { 'tasks.py': TASKS, 'web/q.ts': `${TS_CLIENT}c.createTask('tasks.add').applyAsync({ args: [], kwargs: {} });\n` },
      errors: [{ file: 'web/q.ts', line: 2, column: 11, messageExact: 'celery-ts sends task messages with the default protocol 2, but Celery 3.1.20 workers read only protocol 1: they delete these messages as unknown and no task runs.' }],
    },
    {
      name: 'results stored as msgpack cannot be read by JSON.parse',
      code: "result_backend = 'redis://redis/1'\nresult_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']\n",
      files: nodeProject("export const r = client.sendTask('tasks.add', [1, 2]).get(500);\n"),
      errors: [
        {
          file: 'svc/send.ts', line: 3, column: 18, endLine: 3, endColumn: 63,
          messageExact: "celery-node decodes results with JSON.parse only, but result_serializer is 'msgpack': this get() cannot read the result the worker stores for tasks.add. Store results as json (result_serializer = 'json').",
        },
      ],
    },
    {
      name: "Celery 3.1's pickle result default",
      code: "BROKER_URL = 'redis://redis'\nCELERY_RESULT_BACKEND = 'redis://redis/1'\n",
      celery: '3.1.25',
      files: nodeProject("client.conf.TASK_PROTOCOL = 1;\nexport const r = client.sendTask('tasks.add', [1, 2]).get(500);\n"),
      errors: [{ file: 'svc/send.ts', line: 4, column: 18, message: "but CELERY_RESULT_SERIALIZER defaults to 'pickle' in Celery 3.1.25" }],
    },
  ],
});
