import rule from '../../../rules/timeouts/CEL405-control-command-without-retry.js';
import { ruleTester } from '../../rule-tester.js';

const REDIS = { 'celeryconfig.py': "broker_url = 'redis://redis:6379/0'\n" };
const AMQP = { 'celeryconfig.py': "broker_url = 'amqp://guest@rabbit//'\n" };
const health = (body: string) => `from app import app\n\n\ndef health():\n${body}`;
const PING = '    replies = app.control.inspect(timeout=1).ping()\n    return bool(replies)\n';

const BASE =
  "app.control.inspect(timeout=1).ping() is not retried when the broker connection fails: control commands skip the task publish retry policy and Kombu does not retry collecting their replies, so a pooled connection that went stale while idle raises here";
const ADVICE = " Retry the call in this function (try/except and call again, or a retry decorator such as tenacity's @retry).";

ruleTester(rule, {
  valid: [
    { name: 'inside a try block', filename: 'health.py', files: REDIS, code: health('    try:\n        return app.control.inspect(timeout=1).ping()\n    except OSError:\n        return app.control.inspect(timeout=1).ping()\n') },
    {
      name: 'a tenacity retry decorator',
      filename: 'health.py',
      files: REDIS,
      code: 'from tenacity import retry, stop_after_attempt\n\nfrom app import app\n\n\n@retry(stop=stop_after_attempt(3))\ndef ping():\n    return app.control.inspect(timeout=1).ping()\n',
    },
    { name: 'another ping() that is not a control command', filename: 'health.py', files: REDIS, code: 'import redis\n\n\ndef health():\n    return redis.Redis().ping()\n' },
  ],
  invalid: [
    {
      name: 'seed 000: Redis broker and a redis.conf that closes idle clients',
      filename: 'health.py',
      files: { ...REDIS, 'deploy/redis.conf': 'bind 0.0.0.0\ntimeout 120\n' },
      code: health(PING),
      errors: [
        {
          line: 5, column: 15, endLine: 5, endColumn: 52, severity: 'warning',
          messageExact: `${BASE} (deploy/redis.conf:2 makes Redis close clients idle for 120 s: the first command after such a pause fails with ConnectionError('Connection closed by server.')).${ADVICE}`,
        },
      ],
      output: null,
    },
    {
      name: 'Redis broker, no server configuration in the repository',
      filename: 'health.py',
      files: REDIS,
      code: health(PING),
      errors: [
        {
          line: 5, column: 15, endLine: 5, endColumn: 52,
          messageExact: `${BASE} (with Redis, if the server closes idle clients (redis.conf timeout), the first command after an idle period fails with ConnectionError('Connection closed by server.')).${ADVICE}`,
        },
      ],
    },
    {
      name: 'RabbitMQ: no Redis detail, same advice; control.ping() too',
      filename: 'health.py',
      files: AMQP,
      code: health('    return app.control.ping(timeout=0.5)\n'),
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 41, messageExact: `app.control.ping() is not retried when the broker connection fails: control commands skip the task publish retry policy and Kombu does not retry collecting their replies, so a pooled connection that went stale while idle raises here.${ADVICE}` }],
    },
    {
      name: 'inspect() bound to a name first',
      filename: 'health.py',
      files: AMQP,
      code: health('    i = app.control.inspect()\n    return i.ping()\n'),
      errors: [{ line: 6, column: 12, endLine: 6, endColumn: 20, message: 'i.ping() is not retried' }],
    },
  ],
});
