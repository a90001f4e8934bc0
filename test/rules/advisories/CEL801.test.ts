import rule from '../../../rules/advisories/CEL801-known-regression-pin.js';
import { ruleTester } from '../../rule-tester.js';

const redis = "broker_url = 'redis://redis:6379/0'\n";
const ping = { 'health.py': 'from app import app\n\n\ndef health():\n    return app.control.inspect(timeout=1).ping()\n' };
const tasks = { 'tasks.py': 'from app import app\n\n\n@app.task\ndef add(x, y):\n    return x + y\n' };
const producer = {
  ...tasks,
  'views.py': 'from tasks import add\n\n\ndef view(request):\n    add.delay(1, 2)\n',
};
const reqs = (text: string) => ({ 'requirements.txt': text });

const PING_MESSAGE =
  'kombu 4.6.4 (requirements.txt:2) has a known bug that applies to this project: Remote-control replies are lost with the Redis transport (inspect().ping() gets no reply).';

ruleTester(rule, {
  valid: [
    { name: 'kombu 4.6.4 on Redis, but nothing uses remote control (right range, wrong condition)', code: redis, celery: null, files: { ...reqs('celery==4.3.0\nkombu==4.6.4\n'), ...tasks } },
    { name: 'kombu 4.6.4 with an AMQP broker and ping (wrong transport)', code: "broker_url = 'amqp://rabbit//'\n", celery: null, files: { ...reqs('celery==4.3.0\nkombu==4.6.4\n'), ...ping } },
    { name: 'kombu 4.6.6 (the fix) with Redis and ping', code: redis, celery: null, files: { ...reqs('celery==4.3.0\nkombu==4.6.6\n'), ...ping } },
    { name: 'kombu 4.6.3 (between the two regressions)', code: redis, celery: null, files: { ...reqs('celery==4.3.0\nkombu==4.6.3\n'), ...ping } },
    { name: 'a kombu range that also allows fixed releases', code: redis, celery: null, files: { ...reqs('celery==4.3.0\nkombu>=4.6,<5\n'), ...ping } },
    { name: 'celery 4.2.1 producer with the rpc backend (wrong backend)', code: redis + "result_backend = 'rpc://'\n", celery: '4.2.1', files: producer },
    { name: 'celery 4.2.1 with a Redis backend but no producer call', code: redis + "result_backend = 'redis://redis:6379/1'\n", celery: '4.2.1', files: tasks },
    { name: 'celery 4.3.0 (the fix) producer with a Redis backend', code: redis + "result_backend = 'redis://redis:6379/1'\n", celery: '4.3.0', files: producer },
    { name: 'kombu 5.4.0 (the reconnection fix)', code: redis, celery: null, files: { ...reqs('celery==5.3.6\nkombu==5.4.0\n'), ...tasks } },
    { name: 'kombu 5.3.7 but no worker in the project', code: redis, celery: null, files: reqs('celery==5.3.6\nkombu==5.3.7\n') },
    { name: 'kombu 5.3.7 with a broker URL from an unknown variable', code: "import os\nbroker_url = os.environ['BROKER_URL']\n", celery: null, files: { ...reqs('celery==5.3.6\nkombu==5.3.7\n'), ...tasks } },
    { name: 'kombu unpinned: Celery 5.3 allows fixed Kombu releases too', code: redis, celery: '5.3.6', files: tasks },
    {
      name: 'migrate-check to 4.3.0: not an affected release',
      code: redis + "result_backend = 'redis://redis:6379/1'\n",
      celery: '4.1.1',
      mode: 'migrate',
      to: '4.3.0',
      files: producer,
    },
  ],
  invalid: [
    {
      name: 'kombu 4.6.4 + Redis + inspect().ping(): bump to 4.6.6',
      code: redis,
      celery: null,
      files: { ...reqs('celery==4.3.0\nkombu==4.6.4\n'), ...ping },
      unsafe: true,
      errors: [
        {
          file: 'requirements.txt', line: 2, column: 1, endLine: 2, endColumn: 13, severity: 'warning',
          messageExact:
            `${PING_MESSAGE} Kombu 4.6.0 replaced the Redis transport's direct-exchange lookup with SISMEMBER on routing_key == queue name (_lookup_direct). Reply queues of remote control (reply.celery.pidbox) are not named after their routing key, so replies are never routed: inspect().ping(), \`celery inspect\` and \`celery status\` report "No nodes replied within time constraint" while the workers run. 4.6.2 reverted the change; 4.6.4 reverted the revert; 4.6.5's rework still failed (kombu#1101); 4.6.6 removed _lookup_direct again. It applies because its broker is redis://redis:6379/0, it calls inspect().ping() at health.py:5. Fixed in kombu 4.6.6 (https://github.com/celery/kombu/issues/1052).`,
        },
      ],
      output: null,
      outputFiles: { 'requirements.txt': 'celery==4.3.0\nkombu==4.6.6\n' },
    },
    {
      name: 'kombu 4.6.1 + `celery status` in a Procfile: fixed in 4.6.2',
      code: redis,
      celery: null,
      files: { ...reqs('celery==4.3.0\nkombu==4.6.1\n'), Procfile: 'web: gunicorn app:wsgi\nhealth: celery -A app status\n' },
      unsafe: true,
      errors: [{ file: 'requirements.txt', line: 2, column: 1, endColumn: 13, message: 'It applies because its broker is redis://redis:6379/0, Procfile:2 runs celery status. Fixed in kombu 4.6.2 (' }],
      output: null,
      outputFiles: { 'requirements.txt': 'celery==4.3.0\nkombu==4.6.2\n' },
    },
    {
      name: 'a range that allows only affected releases: reported, no fix',
      code: redis,
      celery: null,
      files: { ...reqs('celery==4.3.0\nkombu>=4.6.4,<4.6.6\n'), ...ping },
      unsafe: true,
      errors: [{ file: 'requirements.txt', line: 2, column: 1, endColumn: 20, message: 'kombu>=4.6.4,<4.6.6 (requirements.txt:2) allows only affected releases, and they have a known bug' }],
      output: null,
    },
    {
      name: 'seed 004: celery 4.2.1 producer with a Redis result backend (Python version unknown: info, "only if")',
      code: redis + "result_backend = 'redis://redis:6379/1'\n",
      celery: '4.2.1',
      files: producer,
      unsafe: true,
      errors: [
        {
          file: 'requirements.txt', line: 1, column: 1, endColumn: 14, severity: 'info',
          message:
            'It applies because its result backend is redis://redis:6379/1, it calls add.delay() at views.py:5 - only if it runs on Python <3.4. Fixed in celery 4.3.0 (https://github.com/celery/celery/pull/4839).',
        },
      ],
      output: null,
      outputFiles: { 'requirements.txt': 'celery==4.3.0\n' },
    },
    {
      name: 'kombu 5.3.7 workers on Redis: the version text is bumped, the marker kept',
      code: "broker_url = 'redis://:s3cr3t@redis:6379/0'\n",
      celery: null,
      files: { ...reqs('celery==5.3.6\nkombu == 5.3.7 ; python_version >= "3.8"  # broker\n'), ...tasks },
      unsafe: true,
      errors: [
        {
          file: 'requirements.txt', line: 2, column: 1, endColumn: 41,
          message: 'the worker logs that it is connected and then never receives another task, without any error. It applies because its broker is redis://:****@redis:6379/0, it defines tasks (tasks.add). Fixed in kombu 5.4.0 (https://github.com/celery/kombu/pull/2007).',
        },
      ],
      output: null,
      outputFiles: { 'requirements.txt': 'celery==5.3.6\nkombu == 5.4.0 ; python_version >= "3.8"  # broker\n' },
    },
    {
      name: 'migrate-check --to 4.2.1 lands on an affected release: names 4.3.0',
      code: redis + "result_backend = 'redis://redis:6379/1'\n",
      celery: '4.1.1',
      mode: 'migrate',
      to: '4.2.1',
      files: producer,
      errors: [
        {
          file: 'requirements.txt', line: 1, column: 1, endColumn: 14, severity: 'info', step: '4.1 → 4.2',
          message: 'only if it runs on Python <3.4. Migrate to Celery 4.3.0 instead, the nearest release without it (https://github.com/celery/celery/pull/4839).',
        },
      ],
      output: null,
    },
  ],
});
