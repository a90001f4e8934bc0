import rule from '../../../rules/connections/CEL401-broker-socket-timeout-missing.js';
import { ruleTester } from '../../rule-tester.js';
import { djangoFiles } from '../settings/django.js';

const kombu4611 = { celery: null, files: { 'requirements.txt': 'kombu==4.6.11\n' } };
const celery31 = { celery: null, files: { 'requirements.txt': 'celery==3.1.25\nkombu==3.0.37\n' } };

const REDIS_MSG =
  "The redis broker redis://redis:6379/0 has no socket_timeout in broker_transport_options: with kombu>=5.2.3,<6.0 (what Celery 5.2.7 requires; no Kombu pin found) redis-py gets socket_timeout=None and waits without a time limit on a connection whose peer vanished without closing it (network partition, failover, a host that died): until the kernel gives up retransmitting (about 15 minutes with Linux defaults), or forever when what it sent had already been acknowledged, so publishing a task, a control command or the worker's connection check hangs that long instead of raising an error that lets Celery reconnect. Set socket_timeout and socket_connect_timeout in broker_transport_options (the broker URL cannot carry them: kombu.Connection rejects unknown URL parameters).";

ruleTester(rule, {
  valid: [
    { name: 'an f-string URL whose scheme is not literal is not judged', code: "broker_url = f'{SCHEME}://h:6379/0'\n" },
    { name: 'Redis broker with socket_timeout', code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'socket_timeout': 30}\n" },
    { name: 'AMQP broker: heartbeats detect a dead connection', code: "broker_url = 'amqp://guest@rabbit//'\n" },
    { name: 'a broker URL from an unknown environment variable', code: "import os\nbroker_url = os.environ['BROKER_URL']\n" },
    { name: 'transport options computed at runtime', code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = load_options()\n" },
    { name: 'transport options with a spread', code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {**BASE, 'visibility_timeout': 60}\n" },
    { name: 'a Unix socket has no peer that vanishes', code: "broker_url = 'redis+socket:///var/run/redis.sock'\n" },
    { name: 'MongoDB socketTimeoutMS in the URL', code: "broker_url = 'mongodb://db1:27017/jobs?socketTimeoutMS=5000'\n", ...kombu4611 },
    { name: 'MongoDB option names are case-insensitive', code: "broker_url = 'mongodb://db1:27017/jobs?sockettimeoutms=5000'\n", ...kombu4611 },
    {
      name: 'MongoDB socketTimeoutMS dropped from broker_transport_options is CEL301s',
      code: "broker_url = 'mongodb://db1:27017/jobs'\nbroker_transport_options = {'socketTimeoutMS': 5000}\n",
      ...kombu4611,
    },
    {
      name: 'Kombu 3.0 passes MongoDB transport options to pymongo',
      code: "BROKER_URL = 'mongodb://db1:27017/jobs'\nBROKER_TRANSPORT_OPTIONS = {'socketTimeoutMS': 5000}\n",
      ...celery31,
    },
    {
      name: 'Kombu 3.0 with transport options from the environment',
      code: "import os\nBROKER_URL = 'mongodb://db1:27017/jobs'\nBROKER_TRANSPORT_OPTIONS = os.environ.get('OPTS')\n",
      ...celery31,
    },
    { name: 'Redis result backend: 120 s by default from Celery 4.0', code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis:6379/1'\n" },
    {
      name: 'Redis result backend in Celery 3.1 with the timeout in its URL',
      code: "BROKER_URL = 'amqp://rabbit//'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1?socket_timeout=10'\n",
      ...celery31,
    },
    { name: 'redis_socket_timeout set', code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis/1'\nredis_socket_timeout = 15\n" },
    {
      name: 'redis_socket_timeout None, but the URL query gives one',
      code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis/1?socket_timeout=5'\nredis_socket_timeout = None\n",
    },
  ],
  invalid: [
    {
      // onadata: the host comes from the environment, the scheme is literal
      name: 'an f-string URL whose unknown parts are only the host: the transport is known',
      code: "import os\nREDIS_HOST = os.environ.get('REDIS_HOST', 'localhost')\nbroker_url = f'redis://{REDIS_HOST}:6379/0'\n",
      errors: [{ line: 3, column: 14, endLine: 3, endColumn: 44, message: 'The redis broker redis://{REDIS_HOST}:6379/0 has no socket_timeout' }],
      unsafe: true,
      output: "import os\nREDIS_HOST = os.environ.get('REDIS_HOST', 'localhost')\nbroker_url = f'redis://{REDIS_HOST}:6379/0'\nbroker_transport_options = {'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'Redis broker without transport options: adds the setting',
      code: "broker_url = 'redis://redis:6379/0'\n",
      unsafe: true,
      errors: [{ line: 1, column: 14, endLine: 1, endColumn: 36, messageExact: REDIS_MSG }],
      output: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'without --unsafe-fixes nothing changes',
      code: "broker_url = 'redis://redis:6379/0'\n",
      errors: [{ line: 1, column: 14 }],
      output: null,
    },
    {
      name: 'multi-line transport options keep their layout',
      code: "broker_url = 'redis://:s3cret@redis:6379/0'\nbroker_transport_options = {\n    'visibility_timeout': 3600,\n    'fanout_patterns': True,\n}\n",
      unsafe: true,
      errors: [{ line: 2, column: 1, endLine: 2, endColumn: 25, message: 'The redis broker redis://:****@redis:6379/0 has no socket_timeout in broker_transport_options' }],
      output:
        "broker_url = 'redis://:s3cret@redis:6379/0'\nbroker_transport_options = {\n    'visibility_timeout': 3600,\n    'fanout_patterns': True,\n    'socket_timeout': 120,\n    'socket_connect_timeout': 30,\n}\n",
    },
    {
      name: 'one-line options with socket_connect_timeout: adds only socket_timeout',
      code: "broker_url = 'rediss://redis:6380/0'\nbroker_transport_options = {'socket_connect_timeout': 5}\n",
      unsafe: true,
      errors: [{ line: 2, column: 1, endColumn: 25, message: 'The redis broker rediss://redis:6380/0 has no socket_timeout' }],
      output: "broker_url = 'rediss://redis:6380/0'\nbroker_transport_options = {'socket_connect_timeout': 5, 'socket_timeout': 120}\n",
    },
    {
      name: 'empty options dict',
      code: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {}\n",
      unsafe: true,
      errors: [{ line: 2, column: 1 }],
      output: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'Sentinel broker',
      code: "broker_url = 'sentinel://s1:26379'\nbroker_transport_options = {'master_name': 'mymaster'}\n",
      unsafe: true,
      errors: [{ line: 2, column: 1, message: 'The sentinel broker sentinel://s1:26379 has no socket_timeout' }],
      output: "broker_url = 'sentinel://s1:26379'\nbroker_transport_options = {'master_name': 'mymaster', 'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'Celery 3.1 old names: BROKER_TRANSPORT_OPTIONS',
      code: "BROKER_URL = 'redis://redis:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\n",
      ...celery31,
      unsafe: true,
      errors: [{ line: 1, column: 14, endColumn: 36, message: 'with Kombu 3.0.37 (pinned in requirements.txt) redis-py gets socket_timeout=None' }],
      output:
        "BROKER_URL = 'redis://redis:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\nBROKER_TRANSPORT_OPTIONS = {'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'Django settings with the CELERY namespace',
      filename: 'proj/settings.py',
      code: "DEBUG = False\nCELERY_BROKER_URL = 'redis://redis:6379/0'\n",
      files: djangoFiles(true),
      unsafe: true,
      errors: [{ line: 2, column: 21, endColumn: 43 }],
      output: "DEBUG = False\nCELERY_BROKER_URL = 'redis://redis:6379/0'\nCELERY_BROKER_TRANSPORT_OPTIONS = {'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'conf.update call: adds a keyword',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery('proj')\napp.conf.update(broker_url='redis://redis:6379/0')\n",
      unsafe: true,
      errors: [{ line: 4, column: 28, endColumn: 50 }],
      output:
        "from celery import Celery\n\napp = Celery('proj')\napp.conf.update(broker_url='redis://redis:6379/0', broker_transport_options={'socket_timeout': 120, 'socket_connect_timeout': 30})\n",
    },
    {
      name: 'broker URL from .env: reported there, the setting goes to the config module',
      code: "import os\nbroker_url = os.environ.get('CELERY_BROKER_URL')\ntask_acks_late = True\n",
      files: { '.env': 'CELERY_BROKER_URL=redis://redis:6379/0\n' },
      unsafe: true,
      errors: [{ file: '.env', line: 1, column: 19, endColumn: 39 }],
      output: "import os\nbroker_url = os.environ.get('CELERY_BROKER_URL')\ntask_acks_late = True\nbroker_transport_options = {'socket_timeout': 120, 'socket_connect_timeout': 30}\n",
    },
    {
      name: 'seed 001: MongoDB broker without socketTimeoutMS (Kombu 4)',
      code: "broker_url = 'mongodb://192.168.1.1:27017,192.168.1.2:27017/yiran'\n",
      ...kombu4611,
      unsafe: true,
      errors: [
        {
          line: 1, column: 14, endColumn: 67,
          messageExact:
            "The mongodb broker URL mongodb://192.168.1.1:27017,192.168.1.2:27017/yiran sets no socketTimeoutMS: pymongo's default is no socket timeout, so a worker blocked on a MongoDB connection whose peer vanished without closing it (network partition, primary unreachable) waits forever and only recovers when the network comes back. Kombu 4.6.11 (pinned in requirements.txt) hands pymongo the options of the broker URL's query string (broker_transport_options no longer reach pymongo since Kombu 4.0): add socketTimeoutMS there.",
        },
      ],
      output: "broker_url = 'mongodb://192.168.1.1:27017,192.168.1.2:27017/yiran?socketTimeoutMS=120000&connectTimeoutMS=30000'\n",
    },
    {
      name: 'MongoDB URL with a query and connect_timeout: adds only socketTimeoutMS',
      code: "broker_url = 'mongodb://db/jobs?replicaSet=rs0'\nbroker_transport_options = {'connect_timeout': 5}\n",
      ...kombu4611,
      unsafe: true,
      errors: [{ line: 1, column: 14 }],
      output: "broker_url = 'mongodb://db/jobs?replicaSet=rs0&socketTimeoutMS=120000'\nbroker_transport_options = {'connect_timeout': 5}\n",
    },
    {
      name: 'MongoDB host without a path gets /? before the options',
      code: "broker_url = 'mongodb://db:27017'\n",
      ...kombu4611,
      unsafe: true,
      errors: [{ line: 1, column: 14 }],
      output: "broker_url = 'mongodb://db:27017/?socketTimeoutMS=120000&connectTimeoutMS=30000'\n",
    },
    {
      name: 'Kombu 3.0 MongoDB: connectTimeoutMS already comes from BROKER_CONNECTION_TIMEOUT',
      code: "BROKER_URL = 'mongodb://db/jobs'\n",
      ...celery31,
      unsafe: true,
      errors: [{ line: 1, column: 14, message: "hands pymongo the options of the broker URL's query string: add socketTimeoutMS there." }],
      output: "BROKER_URL = 'mongodb://db/jobs?socketTimeoutMS=120000'\n",
    },
    {
      name: 'Celery 3.1 Redis result backend: the URL is the only place',
      code: "BROKER_URL = 'amqp://rabbit//'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n",
      ...celery31,
      unsafe: true,
      errors: [
        {
          line: 2, column: 25, endColumn: 47,
          messageExact:
            "The Redis result backend redis://redis:6379/1 has no socket_timeout: Celery 3.1.25 takes it only from the URL's query string, and without it redis-py waits without a time limit on a connection whose peer vanished without closing it (network partition, failover, a host that died): until the kernel gives up retransmitting (about 15 minutes with Linux defaults), or forever when what it sent had already been acknowledged, so storing or fetching a result hangs that long.",
        },
      ],
      output: "BROKER_URL = 'amqp://rabbit//'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1?socket_timeout=120&socket_connect_timeout=30'\n",
    },
    {
      name: 'redis_socket_timeout = None turns the default off',
      code: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis/1'\nredis_socket_timeout = None\n",
      unsafe: true,
      errors: [
        {
          line: 3, column: 24, endColumn: 28,
          message: 'redis_socket_timeout = None turns off the socket timeout Celery 5.2.7 gives the Redis result backend (default 120 s)',
        },
      ],
      output: "broker_url = 'amqp://rabbit//'\nresult_backend = 'redis://redis/1'\nredis_socket_timeout = 120\n",
    },
  ],
});
