import rule from '../../../rules/timeouts/CEL408-eta-beyond-consumer-timeout.js';
import { ruleTester } from '../../rule-tester.js';

const AMQP = "broker_url = 'amqp://celery:s3cret@rabbit:5672//'\n";
const tasks = (body: string) => ({ 'tasks.py': `from app import app\n\n\n@app.task\ndef report(day):\n    pass\n\n\ndef schedule():\n${body}` });
const TWO_HOURS = tasks('    report.apply_async((1,), countdown=2 * 3600)\n');

ruleTester(rule, {
  valid: [
    { name: 'a countdown under the 30-minute default', code: AMQP, files: tasks('    report.apply_async((1,), countdown=1500)\n') },
    { name: 'rabbitmq.conf raises consumer_timeout above the countdown', code: AMQP, files: { ...TWO_HOURS, 'deploy/rabbitmq.conf': '# 3 hours\nconsumer_timeout = 10800000\n' } },
    { name: 'a Redis broker (CEL407)', code: "broker_url = 'redis://redis:6379/0'\n", files: TWO_HOURS },
    { name: 'an eta expression is not evaluated', code: AMQP, files: tasks('    report.apply_async((1,), eta=now() + timedelta(hours=3))\n') },
    {
      name: 'Celery 5.5: default quorum queue on a topic exchange uses native delayed delivery',
      celery: '5.5.2',
      code: `${AMQP}task_default_queue_type = 'quorum'\ntask_default_exchange_type = 'topic'\n`,
      files: TWO_HOURS,
    },
    {
      name: 'acks_late without a time limit: how long a run lasts is unknown',
      code: `${AMQP}task_acks_late = True\n`,
      files: tasks('    report.delay(1)\n'),
    },
    { name: 'broker from an unresolved environment variable: silent', code: "import os\nbroker_url = os.environ['BROKER_URL']\n", files: TWO_HOURS },
  ],
  invalid: [
    {
      name: 'Celery 5.2: the worker stops on the channel error; RabbitMQ default named with its history',
      code: AMQP,
      files: TWO_HOURS,
      errors: [{
        file: 'tasks.py', line: 10, column: 40, endLine: 10, endColumn: 48,
        messageExact:
          "report.apply_async(countdown=7200) keeps the task message unacknowledged in the worker for 7200 s (2 h), longer than RabbitMQ's " +
          'default consumer_timeout of 1800 s (30 min) (from RabbitMQ 3.8.17; 900 s (15 min) from 3.8.15; no rabbitmq.conf in the ' +
          "repository sets it) (broker amqp://celery:****@rabbit:5672//): RabbitMQ 3.8.15 to 4.2 then closes the worker's channel " +
          "with PRECONDITION_FAILED and requeues its unacknowledged messages, and Celery 5.2.7 stops the worker ('Unrecoverable " +
          "error: PreconditionFailed'). RabbitMQ 4.3 enforces consumer_timeout only on quorum queues.",
      }],
      output: null,
    },
    {
      name: "a rabbitmq.conf timeout shorter than the countdown; 5.3 with broker_channel_error_retry",
      celery: '5.3.6',
      code: `${AMQP}broker_channel_error_retry = True\n`,
      files: { ...tasks('    report.apply_async((1,), countdown=900)\n'), 'rabbitmq.conf': 'consumer_timeout = 600000\n' },
      errors: [{
        file: 'tasks.py', line: 10, column: 40, endLine: 10, endColumn: 43,
        message:
          'longer than consumer_timeout = 600000 ms in rabbitmq.conf:1 (broker amqp://celery:****@rabbit:5672//): RabbitMQ 3.8.15 to 4.2 ' +
          "then closes the worker's channel with PRECONDITION_FAILED and requeues its unacknowledged messages, and with " +
          'broker_channel_error_retry the worker reconnects, receives the requeued messages again and the channel is closed again.',
      }],
    },
    {
      name: 'Celery 5.3 with broker_channel_error_retry at its default (off)',
      celery: '5.3.6',
      code: AMQP,
      files: TWO_HOURS,
      errors: [{ file: 'tasks.py', line: 10, column: 40, message: "and the worker stops ('Unrecoverable error: PreconditionFailed') since broker_channel_error_retry is off." }],
    },
    {
      name: 'Celery 5.5 with task_queues: the queue type is not known, said as a condition',
      celery: '5.5.2',
      code: `from kombu import Queue\n${AMQP}task_queues = [Queue('reports')]\n`,
      files: TWO_HOURS,
      errors: [{ file: 'tasks.py', line: 10, column: 40, message: "- unless the task's queue is a quorum queue on a topic or fanout exchange (Celery 5.5+ then delays it in RabbitMQ)." }],
    },
    {
      name: 'Celery 5.5 quorum queue on the default direct exchange: still held by the worker',
      celery: '5.5.2',
      code: `${AMQP}task_default_queue_type = 'quorum'\n`,
      files: TWO_HOURS,
      errors: [{ file: 'tasks.py', line: 10, column: 40, endLine: 10, endColumn: 48, message: 'keeps the task message unacknowledged in the worker for 7200 s (2 h)' }],
    },
    {
      name: 'an acks_late task with a long time limit, even with native delayed delivery',
      celery: '5.5.2',
      code: `${AMQP}task_default_queue_type = 'quorum'\ntask_default_exchange_type = 'topic'\n`,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task(acks_late=True, time_limit=3600)\ndef report(day):\n    pass\n' },
      errors: [{ file: 'tasks.py', line: 4, column: 38, endLine: 4, endColumn: 42, message: 'task tasks.report (acks_late, time_limit 3600 s) is acknowledged only when the task returns, and a run may last that long, longer than' }],
    },
    {
      name: 'retry countdown on Celery 3.1 with a pyamqp URL',
      celery: '3.1.25',
      code: "BROKER_URL = 'pyamqp://rabbit//'\n",
      files: { 'tasks.py': 'from app import app\n\n\n@app.task(bind=True)\ndef report(self, day):\n    raise self.retry(countdown=86400)\n' },
      errors: [{ file: 'tasks.py', line: 6, column: 32, endLine: 6, endColumn: 37, message: "self.retry(countdown=86400) keeps the task message unacknowledged in the worker for 86400 s (24 h)" }],
    },
  ],
});
