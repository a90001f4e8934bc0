import rule from '../../../rules/results/CEL501-result-backend-subscribe-risk.js';
import { ruleTester } from '../../rule-tester.js';

const CONFIG = "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\n";
const TASKS =
  'from app import app\n\n\n@app.task\ndef notify(x):\n    return x\n\n\n@app.task(ignore_result=True)\ndef quiet(x):\n    return x\n\n\n' +
  '@app.task(ignore_result=True)\ndef fan_out(ids):\n    for i in ids:\n        notify.delay(i)\n';
const GEVENT = { Procfile: 'worker: celery -A app worker -P gevent -c 100\n' };
const files = { 'celeryconfig.py': CONFIG, ...GEVENT };
const VIEW = 'from tasks import notify\n\n\ndef view(x):\n    notify.delay(x)\n';
const PINNED = { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS, 'requirements.txt': 'celery==5.2.7\ngevent==22.10.2\n' };
const SHARED =
  'all greenlets of that process share the one redis-py PubSub connection of the result backend, which is not greenlet-safe: concurrent SUBSCRIBE/UNSUBSCRIBE calls interleave on it (seed 004, celery#4670: errors on closed or not yet opened sockets).';
const PER_GREENLET =
  'Celery 5.0.3-5.2 keeps app.backend per thread and gevent/eventlet make that per greenlet: every greenlet that sends it creates its own result backend with its own Redis connection pool and PubSub connection, so Redis connections grow with the number of concurrent greenlets.';

ruleTester(rule, {
  valid: [
    { name: 'prefork worker: sends in task bodies do not subscribe', filename: 'tasks.py', files: { 'celeryconfig.py': CONFIG, Procfile: 'worker: celery -A app worker -c 4\n' }, code: TASKS },
    { name: 'solo pool', filename: 'tasks.py', files: { 'celeryconfig.py': CONFIG, Procfile: 'worker: celery -A app worker -P solo\n' }, code: TASKS },
    { name: 'the sent task ignores its result (4.2+)', filename: 'tasks.py', files, code: TASKS.replace('        notify.delay(i)', '        quiet.delay(i)') },
    { name: 'task_ignore_result = True', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': CONFIG + 'task_ignore_result = True\n' }, code: TASKS },
    { name: 'ignore_result=True on the send', filename: 'tasks.py', files, code: TASKS.replace('notify.delay(i)', 'notify.apply_async((i,), ignore_result=True)') },
    { name: 'not the Redis backend (rpc does not subscribe per task)', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': "broker_url = 'redis://redis:6379/0'\nresult_backend = 'rpc://'\n" }, code: TASKS },
    { name: 'no result backend', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': "broker_url = 'redis://redis:6379/0'\n" }, code: TASKS },
    { name: 'Celery 3.1 never subscribes', filename: 'tasks.py', celery: '3.1.25', files: { ...files, 'celeryconfig.py': "BROKER_URL = 'redis://redis:6379/0'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n" }, code: TASKS },
    { name: 'a send outside tasks, no gevent/eventlet in the project', filename: 'views.py', files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS }, code: 'from tasks import notify\n\n\ndef view(x):\n    notify.delay(x)\n' },
    { name: 'gevent pinned but gunicorn runs sync workers and no worker pool is green: nothing runs the view under greenlets', filename: 'views.py', files: { ...PINNED, Procfile: 'web: gunicorn -k sync proj.wsgi\nworker: celery -A app worker\n' }, code: VIEW },
    { name: 'gevent pinned, gunicorn default (sync) workers: no -k, no config file', filename: 'views.py', files: { ...PINNED, Procfile: 'web: gunicorn proj.wsgi\n' }, code: VIEW },
    { name: 'gevent pinned, uvicorn workers (asyncio, not greenlets)', filename: 'views.py', files: { ...PINNED, 'Dockerfile': 'FROM python:3.11\nCMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "proj.asgi:application"]\n' }, code: VIEW },
    { name: 'gevent pinned, gthread from gunicorn.conf.py', filename: 'views.py', files: { ...PINNED, Procfile: 'web: gunicorn proj.wsgi\n', 'gunicorn.conf.py': 'worker_class = "gthread"\nthreads = 8\n' }, code: VIEW },
    { name: 'gunicorn gevent workers, but the view sends a task that ignores its result', filename: 'views.py', files: { ...PINNED, Procfile: 'web: gunicorn -k gevent proj.wsgi\n' }, code: VIEW.replace(/notify/g, 'quiet') },
    {
      name: 'gunicorn runs sync workers, the Celery worker runs gevent: the view runs in the sync web process (no task body sends here)',
      filename: 'views.py',
      files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS.replace('        notify.delay(i)', '        quiet.delay(i)'), Procfile: 'web: gunicorn proj.wsgi\nworker: celery -A app worker -P gevent -c 100\n' },
      code: VIEW,
    },
    { name: 'task_always_eager: nothing is sent', filename: 'tasks.py', files: { ...files, 'celeryconfig.py': CONFIG + 'task_always_eager = True\n' }, code: TASKS },
  ],
  invalid: [
    {
      name: 'a gevent worker runs a task body that sends: Celery 5.2 builds a backend per greenlet; the fix ignores the unread result',
      filename: 'tasks.py',
      files,
      code: TASKS,
      errors: [
        {
          line: 17, column: 9, endLine: 17, endColumn: 24, severity: 'warning',
          messageExact: `tasks.notify stores its result and is sent from the body of tasks.fan_out, which the gevent worker pool runs (Procfile:1): with the Redis result backend (redis://redis:6379/1) Celery 5.2.7 subscribes the sender to its result channel on every send, and ${PER_GREENLET} Set ignore_result=True on tasks whose results are never read.`,
        },
      ],
      output: TASKS.replace('@app.task\ndef notify', '@app.task(ignore_result=True)\ndef notify'),
    },
    {
      name: 'Celery 4.4: one shared PubSub (seed 004)',
      filename: 'tasks.py',
      celery: '4.4.7',
      files,
      code: TASKS,
      errors: [{ line: 17, column: 9, endLine: 17, endColumn: 24, message: `Celery 4.4.7 subscribes the sender to its result channel on every send, and ${SHARED}` }],
    },
    {
      name: 'Celery 5.3+ with result_backend_thread_safe = True: shared again',
      filename: 'tasks.py',
      celery: '5.3.6',
      files: { ...files, 'celeryconfig.py': CONFIG + 'result_backend_thread_safe = True\n' },
      code: TASKS,
      errors: [{ line: 17, column: 9, message: SHARED }],
    },
    {
      name: 'Celery 4.1: even ignore_result=True tasks subscribe',
      filename: 'tasks.py',
      celery: '4.1.1',
      files,
      code: TASKS.replace('        notify.delay(i)', '        quiet.delay(i)'),
      errors: [{ line: 17, column: 9, message: 'tasks.quiet stores its result and is sent from the body of tasks.fan_out' }],
      output: null,
    },
    {
      name: 'a send outside tasks with gevent pinned: a condition, info',
      filename: 'views.py',
      files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS, 'requirements.txt': 'celery==5.2.7\ngevent==22.10.2\n' },
      code: 'from tasks import notify\n\n\ndef view(x):\n    notify.delay(x)\n',
      errors: [
        {
          line: 5, column: 5, endLine: 5, endColumn: 20, severity: 'info',
          message: "tasks.notify stores its result and is sent outside any task; if the process running this code uses gevent (the project requires gevent ==22.10.2, requirements.txt:2; a web server's worker class is not visible here)",
        },
      ],
    },
    {
      name: 'seed 004: a Django view sends under gunicorn -k gevent (Celery 4.2): certain, one shared PubSub',
      filename: 'views.py',
      celery: '4.2.0',
      files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS, Procfile: 'web: gunicorn proj.wsgi -k gevent --log-file -\n' },
      code: VIEW,
      errors: [
        {
          line: 5, column: 5, endLine: 5, endColumn: 20, severity: 'warning',
          messageExact: `tasks.notify stores its result and is sent outside any task, in a project whose web server runs under gunicorn's gevent workers (Procfile:1): with the Redis result backend (redis://redis:6379/1) Celery 4.2.0 subscribes the sender to its result channel on every send, and ${SHARED} Set ignore_result=True on tasks whose results are never read.`,
        },
      ],
    },
    {
      name: 'gunicorn -k gevent, but the send is in a Django management command (its own process): the pin condition, not the web server',
      filename: 'shop/management/commands/resend.py',
      files: { ...PINNED, Procfile: 'web: gunicorn proj.wsgi -k gevent\n' },
      code: 'from django.core.management.base import BaseCommand\nfrom tasks import notify\n\n\nclass Command(BaseCommand):\n    def handle(self, *args, **options):\n        notify.delay(1)\n',
      errors: [
        {
          line: 7, column: 9, endLine: 7, endColumn: 24, severity: 'info',
          message: 'tasks.notify stores its result and is sent outside any task, in a management command; if its process uses gevent (the project requires gevent ==22.10.2, requirements.txt:2): with the Redis result backend',
        },
      ],
    },
    {
      name: 'a gevent-based worker class in gunicorn.conf.py with no command in sight: certain',
      filename: 'views.py',
      files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS, 'gunicorn.conf.py': "worker_class = 'geventwebsocket.gunicorn.workers.GeventWebSocketWorker'\n" },
      code: VIEW,
      errors: [
        {
          line: 5, column: 5, endLine: 5, endColumn: 20, severity: 'warning',
          message: "tasks.notify stores its result and is sent outside any task, in a project whose web server runs under gunicorn's gevent workers (geventwebsocket.gunicorn.workers.GeventWebSocketWorker, gunicorn.conf.py:1): with the Redis result backend",
        },
      ],
    },
    {
      name: 'GUNICORN_CMD_ARGS in the compose service environment sets eventlet workers',
      filename: 'views.py',
      files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS, 'docker-compose.yml': 'services:\n  web:\n    command: gunicorn proj.wsgi\n    environment:\n      GUNICORN_CMD_ARGS: "--worker-class eventlet --workers 2"\n' },
      code: VIEW,
      errors: [{ line: 5, column: 5, severity: 'warning', message: "is sent outside any task, in a project whose web server runs under gunicorn's eventlet workers (docker-compose.yml:5): " }],
    },
    {
      name: 'uWSGI gevent loop without gevent-monkey-patch: a condition',
      filename: 'views.py',
      files: { 'celeryconfig.py': CONFIG, 'tasks.py': TASKS, Procfile: 'web: uwsgi --http :8000 --gevent 100 --module proj.wsgi\n' },
      code: VIEW,
      errors: [
        {
          line: 5, column: 5, severity: 'info',
          message: "tasks.notify stores its result and is sent outside any task; if the application monkey-patches with gevent (uWSGI's gevent loop (Procfile:1) runs without gevent-monkey-patch): ",
        },
      ],
    },
    {
      name: 'gevent pinned and a worker class that is not literal: a condition naming it',
      filename: 'views.py',
      files: { ...PINNED, Procfile: 'web: gunicorn -k $WORKER_CLASS proj.wsgi\n' },
      code: VIEW,
      errors: [
        {
          line: 5, column: 5, severity: 'info',
          messageExact: "tasks.notify stores its result and is sent outside any task; if the process running this code uses gevent (the project requires gevent ==22.10.2, requirements.txt:2; whether gunicorn's worker class $WORKER_CLASS (Procfile:1) uses greenlets is not known): with the Redis result backend (redis://redis:6379/1) Celery 5.2.7 subscribes the sender to its result channel on every send, and " + PER_GREENLET + ' Set ignore_result=True on tasks whose results are never read.',
        },
      ],
    },
    {
      name: 'send_task reads only its own ignore_result: the fix passes it (the discarded result cannot be looked up)',
      filename: 'tasks.py',
      files,
      code: TASKS.replace('        notify.delay(i)', "        app.send_task('tasks.quiet', (i,))"),
      errors: [{ line: 17, column: 9, endLine: 17, endColumn: 43, message: 'tasks.quiet stores its result and is sent from the body of tasks.fan_out' }],
      output: TASKS.replace('        notify.delay(i)', "        app.send_task('tasks.quiet', (i,), ignore_result=True)"),
    },
    {
      name: 'the result is read elsewhere: advice only',
      filename: 'tasks.py',
      files: { ...files, 'views.py': 'from tasks import notify\n\n\ndef view(x):\n    return notify.delay(x).get(timeout=5)\n' },
      code: TASKS,
      errors: [{ line: 17, column: 9 }],
      output: null,
    },
    {
      name: 'migrate from 3.1 to 5.5: on the 3.1 → 4.0 step',
      filename: 'tasks.py',
      celery: '3.1.25',
      mode: 'migrate',
      to: '5.5',
      files: { ...files, 'celeryconfig.py': "BROKER_URL = 'redis://redis:6379/0'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n" },
      code: TASKS,
      errors: [{ line: 17, column: 9, step: '3.1 → 4.0', message: 'Celery 5.5' }],
    },
  ],
});
