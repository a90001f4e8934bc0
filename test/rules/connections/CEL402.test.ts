import rule from '../../../rules/connections/CEL402-redis-idle-timeout.js';
import { ruleTester } from '../../rule-tester.js';

const conf = (timeout: number) => ({ 'redis.conf': `bind 0.0.0.0\n# close idle clients\ntimeout ${timeout}\n` });
const redisBroker = "broker_url = 'redis://redis:6379/0'\n";

ruleTester(rule, {
  valid: [
    { name: 'no Redis configuration in the repository', code: redisBroker },
    { name: 'timeout 0 keeps idle clients', code: redisBroker, files: conf(0) },
    { name: "Kombu's default 25 s check is shorter than the timeout", code: redisBroker, files: conf(300) },
    {
      name: 'seed 000 setting (timeout 120) with Celery 5.2.7: the default check covers it',
      code: "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\nredis_backend_health_check_interval = 30\n",
      files: conf(120),
    },
    { name: 'health_check_interval below the timeout', code: redisBroker + "broker_transport_options = {'health_check_interval': 10}\n", files: conf(20) },
    { name: 'AMQP broker', code: "broker_url = 'amqp://rabbit//'\n", files: conf(20) },
    { name: 'one Redis keeps idle clients: which one the broker uses is unknown', code: redisBroker, files: { ...conf(20), 'docker/redis-cache.conf': 'timeout 0\n' } },
    { name: 'transport options from the environment', code: "import os\nbroker_url = 'redis://redis:6379/0'\nbroker_transport_options = os.environ['OPTS']\n", files: conf(20) },
    {
      name: 'health_check_interval from an env var',
      code: "import os\nbroker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'health_check_interval': int(os.environ['HC'])}\n",
      files: conf(20),
    },
    { name: 'a broker URL from an unknown environment variable', code: "import os\nbroker_url = os.environ['BROKER_URL']\n", files: conf(20) },
    { name: 'result backend URL with health_check_interval', code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis/1?health_check_interval=10'\n", files: conf(20) },
    { name: 'result backend health check set', code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis/1'\nredis_backend_health_check_interval = 10\n", files: conf(20) },
  ],
  invalid: [
    {
      name: 'timeout shorter than the default 25 s check: adds health_check_interval',
      code: redisBroker,
      files: conf(20),
      unsafe: true,
      errors: [
        {
          line: 1, column: 14, endColumn: 36,
          messageExact:
            "Redis closes clients idle for 20 s (timeout 20 in redis.conf:3) and the redis transport of Kombu 5.6.2 checks idle connections every 25 s (health_check_interval default): a broker connection of redis://redis:6379/0 left idle longer than that is closed by the server, and the next command on it fails with ConnectionError('Connection closed by server.') - control commands such as inspect().ping() get it. Set broker_transport_options['health_check_interval'] below 20.",
        },
      ],
      output: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'health_check_interval': 10}\n",
    },
    {
      name: 'health_check_interval longer than the timeout: replaces the value',
      code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {\n    'visibility_timeout': 3600,\n    'health_check_interval': 60,\n}\n",
      files: conf(30),
      unsafe: true,
      errors: [{ line: 4, column: 30, endColumn: 32, message: "and broker_transport_options['health_check_interval'] is 60 s: a broker connection" }],
      output: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {\n    'visibility_timeout': 3600,\n    'health_check_interval': 15,\n}\n",
    },
    {
      name: 'health_check_interval None turns the check off',
      code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'health_check_interval': None}\n",
      files: conf(300),
      unsafe: true,
      errors: [{ line: 2, column: 54, endColumn: 58, message: "broker_transport_options['health_check_interval'] = None turns the health check off" }],
      output: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'health_check_interval': 150}\n",
    },
    {
      name: 'existing options without the key: adds it',
      code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'visibility_timeout': 3600}\n",
      files: conf(10),
      unsafe: true,
      errors: [{ line: 2, column: 1, endColumn: 25 }],
      output: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'visibility_timeout': 3600, 'health_check_interval': 5}\n",
    },
    {
      name: 'seed 000: Kombu without a health check (pinned 4.6.4)',
      code: "broker_url = 'redis://redis:6379/0'\n",
      celery: null,
      files: { ...conf(120), 'requirements.txt': 'celery==4.3.0\nkombu==4.6.4\n' },
      unsafe: true,
      errors: [
        {
          line: 1, column: 14, endColumn: 36,
          messageExact:
            "Redis closes clients idle for 120 s (timeout 120 in redis.conf:3) and Kombu 4.6.4 has no connection health check: a broker connection of redis://redis:6379/0 left idle longer than that is closed by the server, and the next command on it fails with ConnectionError('Connection closed by server.') - control commands such as inspect().ping() get it. Use Kombu 4.6.8 or later and set health_check_interval below 120, or set timeout 0 in the Redis configuration.",
        },
      ],
      output: null,
    },
    {
      name: 'Celery 4.3 without a Kombu pin: only some admitted Kombu releases check',
      code: redisBroker,
      celery: '4.3.0',
      files: conf(120),
      errors: [{ line: 1, column: 14, message: 'and if Kombu 4.4.0 or 4.5.0 is installed, which kombu>=4.4.0,<5.0 (what Celery 4.3.0 requires; no Kombu pin found) allows, Kombu 4.5.0 has no connection health check' }],
    },
    {
      name: 'Kombu 4.6.7 checks every 25 s and does not read the option',
      code: redisBroker,
      celery: null,
      files: { ...conf(20), 'requirements.txt': 'celery==4.4.0\nkombu==4.6.7\n' },
      unsafe: true,
      errors: [{ line: 1, column: 14, message: 'and Kombu 4.6.7 checks connections every 25 s and does not read health_check_interval:' }],
      output: null,
    },
    {
      name: 'Redis result backend without redis_backend_health_check_interval',
      code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis:6379/1'\n",
      files: conf(300),
      unsafe: true,
      errors: [
        {
          line: 2, column: 18, endColumn: 40,
          messageExact:
            "Redis closes clients idle for 300 s (timeout 300 in redis.conf:3) and redis_backend_health_check_interval is not set, so the Redis result backend of Celery 5.2.7 never checks its connections: a result backend connection of redis://redis:6379/1 left idle longer than that is closed by the server, and the next command on it fails with ConnectionError('Connection closed by server.'), so storing or reading a result can fail. Set redis_backend_health_check_interval below 300.",
        },
      ],
      output: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis:6379/1'\nredis_backend_health_check_interval = 150\n",
    },
    {
      name: 'redis_backend_health_check_interval longer than the timeout',
      code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis:6379/1'\nredis_backend_health_check_interval = 600\n",
      files: conf(300),
      unsafe: true,
      errors: [{ line: 3, column: 39, endColumn: 42, message: 'and redis_backend_health_check_interval is 600 s:' }],
      output: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis:6379/1'\nredis_backend_health_check_interval = 150\n",
    },
    {
      name: 'Celery 4.4 result backend has no health check setting',
      code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis:6379/1'\n",
      celery: '4.4.7',
      files: conf(300),
      unsafe: true,
      errors: [{ line: 2, column: 18, message: 'the Redis result backend of Celery 4.4.7 has no health check (redis_backend_health_check_interval came in 5.1)' }],
      output: null,
    },
    {
      name: 'redis-server --timeout in docker-compose, broker and backend on Redis',
      code: "broker_url = 'redis://redis:6379/0'\nresult_backend = 'redis://redis:6379/1'\n",
      files: { 'docker-compose.yml': 'services:\n  redis:\n    image: redis:7\n    command: redis-server --timeout 10\n' },
      errors: [
        { line: 1, column: 14, message: 'Redis closes clients idle for 10 s (timeout 10 in docker-compose.yml:4)' },
        { line: 2, column: 18, message: 'redis_backend_health_check_interval is not set' },
      ],
    },
  ],
});
