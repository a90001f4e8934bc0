import rule from '../../../rules/producers/CEL704-broker-mismatch.js';
import { ruleTester } from '../../rule-tester.js';
import { TASKS } from './project.js';

const node = (broker: string, backend = 'redis://redis:6379/1', body = "client.createTask('tasks.add').delay(1);\n") => ({
  'tasks.py': TASKS,
  'svc/send.ts': `import { createClient } from 'celery-node';\nexport const client = createClient(${broker}, '${backend}');\n${body}`,
});
const WORKERS = "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\n";

ruleTester(rule, {
  valid: [
    { name: 'same broker', code: WORKERS, files: node("'redis://redis:6379/0'") },
    { name: 'default port and db 0 are the same place', code: WORKERS, files: node("'redis://redis'") },
    { name: 'localhost and 127.0.0.1', code: "broker_url = 'redis://localhost:6379/0'\n", files: node("'redis://127.0.0.1'") },
    { name: "AMQP: '//' and no path both mean vhost '/'", code: "broker_url = 'amqp://guest@mq//'\n", files: node("'amqp://guest:guest@mq:5672'") },
    { name: 'producer broker from the environment, not set in any deploy file', code: WORKERS, files: node('process.env.CELERY_BROKER_URL!') },
    { name: "environment with a matching literal default", code: WORKERS, files: node("process.env.CELERY_BROKER_URL ?? 'redis://redis:6379/0'") },
    {
      name: 'CELERY_BROKER_URL in compose is read by the workers too (4.0+): both sides agree',
      code: WORKERS,
      files: { ...node('process.env.CELERY_BROKER_URL!'), 'docker-compose.yml': 'services:\n  billing:\n    environment:\n      CELERY_BROKER_URL: redis://redis:6379/4\n' },
    },
    { name: 'workers broker unknown statically', code: "import os\nbroker_url = os.environ['BROKER']\n", files: node("'redis://redis:6379/5'") },
    { name: 'a client that sends nothing', code: WORKERS, files: node("'redis://redis:6379/5'", 'redis://redis:6379/1', '') },
    { name: 'different backend, but no result is read', code: WORKERS, files: node("'redis://redis:6379/0'", 'redis://redis:6379/9') },
  ],
  invalid: [
    {
      name: 'another Redis db; the password is masked',
      code: WORKERS,
      files: node("'redis://:hunter2@redis:6379/2'"),
      errors: [
        {
          file: 'svc/send.ts', line: 2, column: 36, endLine: 2, endColumn: 67,
          messageExact:
            "The producer's broker redis://:****@redis:6379/2 differs from the workers' broker_url redis://redis:6379/0 (db 2 vs 0): its messages go where no worker consumes and the tasks never run.",
        },
      ],
    },
    {
      name: 'another RabbitMQ vhost (celery-ts)',
      code: "broker_url = 'amqp://app:s3cr3t@mq:5672/prod'\n",
      files: { 'tasks.py': TASKS, 'web/q.ts': "import { createClient } from 'celery-ts';\nconst c = createClient({ brokerUrl: 'amqp://app:s3cr3t@mq:5672/staging' });\nc.createTask('tasks.add').applyAsync({ args: [], kwargs: {} });\n" },
      errors: [{ file: 'web/q.ts', line: 2, column: 37, endLine: 2, endColumn: 72, messageExact: "The producer's broker amqp://app:****@mq:5672/staging differs from the workers' broker_url amqp://app:****@mq:5672/prod (vhost 'staging' vs 'prod'): its messages go where no worker consumes and the tasks never run." }],
    },
    {
      name: 'a different port',
      code: WORKERS,
      files: node("'redis://redis:6380/0'"),
      errors: [{ file: 'svc/send.ts', line: 2, column: 36, message: '(port 6380 vs 6379)' }],
    },
    {
      name: 'another host name only: said with a condition',
      code: WORKERS,
      files: node("'redis://cache.internal:6379/0'"),
      errors: [{ file: 'svc/send.ts', line: 2, column: 36, message: '(host cache.internal vs redis): unless both host names reach the same server, its messages go where no worker consumes' }],
    },
    {
      name: 'the result backend a producer waits on differs',
      code: WORKERS,
      files: node("'redis://redis:6379/0'", 'redis://redis:6379/3', "export const v = client.createTask('tasks.add').delay(1).get(500);\n"),
      errors: [
        {
          file: 'svc/send.ts', line: 2, column: 60, endLine: 2, endColumn: 82,
          messageExact: "The producer's result backend redis://redis:6379/3 differs from the workers' result_backend redis://redis:6379/1 (db 3 vs 1): it waits for results the workers store elsewhere; get() never sees them.",
        },
      ],
    },
    {
      name: 'an environment variable whose value the compose file gives',
      code: WORKERS,
      files: { ...node('process.env.BILLING_BROKER_URL!'), 'docker-compose.yml': 'services:\n  billing:\n    environment:\n      BILLING_BROKER_URL: redis://redis:6379/4\n' },
      errors: [{ file: 'svc/send.ts', line: 2, column: 36, message: '(db 4 vs 0)' }],
    },
  ],
});
