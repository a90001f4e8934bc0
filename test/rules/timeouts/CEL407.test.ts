import rule from '../../../rules/timeouts/CEL407-eta-beyond-visibility-timeout.js';
import { ruleTester } from '../../rule-tester.js';

const REDIS = "broker_url = 'redis://:s3cret@redis:6379/0'\n";
const SQS = "broker_url = 'sqs://'\n";
const APP = "from celery import Celery\n\napp = Celery('proj')\napp.config_from_object('celeryconfig')\n";
const tasks = (body: string) => ({ 'tasks.py': `from app import app\n\n\n@app.task\ndef report(day):\n    pass\n\n\ndef schedule():\n${body}` });

ruleTester(rule, {
  valid: [
    { name: 'a countdown under the Redis default (3600 s)', code: REDIS, files: tasks('    report.apply_async((1,), countdown=3000)\n') },
    { name: 'a raised visibility_timeout covers the countdown', code: `${REDIS}broker_transport_options = {'visibility_timeout': 3 * 3600}\n`, files: tasks('    report.apply_async((1,), countdown=2 * 3600)\n') },
    { name: 'RabbitMQ has no visibility timeout (CEL408)', code: "broker_url = 'amqp://rabbit//'\n", files: tasks('    report.apply_async((1,), countdown=2 * 3600)\n') },
    { name: 'an eta expression is not evaluated', code: REDIS, files: tasks('    report.apply_async((1,), eta=now() + timedelta(hours=3))\n') },
    { name: 'a timedelta countdown is not evaluated', code: REDIS, files: tasks('    report.apply_async((1,), countdown=timedelta(hours=3).total_seconds())\n') },
    { name: 'transport options from the environment: unknown, silent', code: `import json, os\n${REDIS}broker_transport_options = json.loads(os.environ['OPTS'])\n`, files: tasks('    report.apply_async((1,), countdown=7200)\n') },
    { name: 'SQS: 1500 s is under its 1800 s default', code: SQS, files: tasks('    report.apply_async((1,), countdown=1500)\n') },
    {
      name: 'default_retry_delay of a task that never retries',
      code: REDIS,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task(default_retry_delay=7200)\ndef report(day):\n    pass\n' },
    },
    {
      name: 'default_retry_delay unused: every retry passes its own countdown',
      code: REDIS,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task(bind=True, default_retry_delay=7200)\ndef report(self, day):\n    raise self.retry(countdown=60)\n' },
    },
    {
      name: 'acks_late with a time limit under the visibility timeout',
      code: `${REDIS}task_acks_late = True\ntask_time_limit = 1800\n`,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task\ndef report(day):\n    pass\n' },
    },
    {
      name: 'a long time limit without acks_late (the message is acknowledged before the run)',
      code: `${REDIS}task_time_limit = 3 * 3600\n`,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task\ndef report(day):\n    pass\n' },
    },
    { name: 'no broker configured: unknown transport, silent', code: "result_backend = 'redis://redis/1'\n", files: tasks('    report.apply_async((1,), countdown=7200)\n') },
  ],
  invalid: [
    {
      name: 'apply_async countdown beyond the Redis default; the URL password is masked',
      code: REDIS,
      files: tasks('    report.apply_async((1,), countdown=2 * 3600)\n'),
      errors: [{
        file: 'tasks.py', line: 10, column: 40, endLine: 10, endColumn: 48,
        messageExact:
          'report.apply_async(countdown=7200) keeps the task message unacknowledged in the worker for 7200 s (2 h), ' +
          'longer than the default visibility_timeout of 3600 s (1 h) of the Redis broker redis://:****@redis:6379/0: ' +
          'after 3600 s the broker delivers the message again, to another worker, and the task runs more than once.',
      }],
      output: null,
    },
    {
      name: 'a visibility_timeout set lower than the countdown',
      code: `${REDIS}broker_transport_options = {'visibility_timeout': 600, 'max_connections': 20}\n`,
      files: tasks('    report.apply_async((1,), countdown=900)\n'),
      errors: [{ file: 'tasks.py', line: 10, column: 40, endLine: 10, endColumn: 43, message: "longer than broker_transport_options['visibility_timeout'] = 600 of the Redis broker" }],
    },
    {
      name: 'SQS: its default is 1800 s',
      code: SQS,
      files: tasks("    app.send_task('tasks.report', countdown=3600)\n"),
      errors: [{ file: 'tasks.py', line: 10, column: 45, endLine: 10, endColumn: 49, message: 'app.send_task(countdown=3600) keeps the task message unacknowledged in the worker for 3600 s (1 h), longer than the default visibility_timeout of 1800 s (30 min) of the SQS broker sqs://' }],
    },
    {
      name: 'retry(countdown=...) and default_retry_delay used by a plain retry',
      code: REDIS,
      files: {
        'tasks.py':
          'from app import app\n\n\n@app.task(bind=True, default_retry_delay=4 * 3600)\ndef report(self, day):\n    if day:\n        raise self.retry()\n    raise self.retry(countdown=5400)\n',
      },
      errors: [
        { file: 'tasks.py', line: 4, column: 42, endLine: 4, endColumn: 50, message: 'default_retry_delay=14400 of task tasks.report keeps the task message' },
        { file: 'tasks.py', line: 8, column: 32, endLine: 8, endColumn: 36, message: 'self.retry(countdown=5400) keeps the task message unacknowledged in the worker for 5400 s (90 min)' },
      ],
    },
    {
      name: 'autoretry_for without retry_backoff retries with default_retry_delay',
      code: REDIS,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task(autoretry_for=(IOError,), default_retry_delay=7200)\ndef report(day):\n    pass\n' },
      errors: [{ file: 'tasks.py', line: 4, column: 57, endLine: 4, endColumn: 61, message: 'default_retry_delay=7200 of task tasks.report' }],
    },
    {
      name: 'an acks_late task whose own time limit exceeds the visibility timeout',
      code: REDIS,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task(acks_late=True, time_limit=2 * 3600)\ndef report(day):\n    pass\n' },
      errors: [{
        file: 'tasks.py', line: 4, column: 38, endLine: 4, endColumn: 46,
        messageExact:
          'task tasks.report (acks_late, time_limit 7200 s) is acknowledged only when the task returns; a run longer than ' +
          'the default visibility_timeout of 3600 s (1 h) of the Redis broker redis://:****@redis:6379/0 makes the broker ' +
          'deliver the message again while the first run still goes on, and the task runs twice.',
      }],
    },
    {
      name: 'task_acks_late and task_time_limit in the configuration: one finding on the time limit',
      code: `${REDIS}task_acks_late = True\ntask_time_limit = 7200\n`,
      files: { 'tasks.py': 'from app import app\n\n\n@app.task\ndef report(day):\n    pass\n\n\n@app.task\ndef other():\n    pass\n' },
      errors: [{ line: 3, column: 19, endLine: 3, endColumn: 23, message: 'task_acks_late = True with task_time_limit = 7200 is acknowledged only when the task returns' }],
    },
    {
      name: 'Celery 3.1 names: CELERY_ACKS_LATE and CELERYD_TASK_TIME_LIMIT with a sentinel-free redis URL',
      celery: '3.1.25',
      code: "BROKER_URL = 'redis://redis:6379/0'\nCELERY_ACKS_LATE = True\nCELERYD_TASK_TIME_LIMIT = 5400\n",
      files: { 'tasks.py': 'from app import app\n\n\n@app.task\ndef report(day):\n    pass\n' },
      errors: [{ line: 3, column: 27, endLine: 3, endColumn: 31, message: 'CELERY_ACKS_LATE = True with CELERYD_TASK_TIME_LIMIT = 5400' }],
    },
    {
      name: 'the display-only advice names the setting',
      code: REDIS,
      files: { 'app.py': APP, ...tasks('    report.apply_async(countdown=7200)\n') },
      errors: [{ file: 'tasks.py', line: 10, column: 34, endLine: 10, endColumn: 38 }],
      output: null,
    },
  ],
});
