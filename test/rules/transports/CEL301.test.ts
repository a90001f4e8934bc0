import rule from '../../../rules/transports/CEL301-dropped-transport-option.js';
import { ruleTester } from '../../rule-tester.js';

const kombu4611 = { celery: null, files: { 'requirements.txt': 'kombu==4.6.11\n' } };

const seed001 =
  "BROKER_URL = 'mongodb://192.168.1.1:27017,192.168.1.2:27017/yiran'\n" +
  'BROKER_TRANSPORT_OPTIONS = {\n' +
  '    "connect": False,\n' +
  '    "maxPoolSize": 5 if "worker" in process_cmdline else 2,\n' +
  '    "socketTimeoutMS": 5000,\n' +
  '    "connectTimeoutMS": 5000,\n' +
  '    "serverSelectionTimeoutMS": 5000,\n' +
  '    "w": 0,\n' +
  '}\n';

ruleTester(rule, {
  valid: [
    { name: 'MongoDB options in the URL query', code: "broker_url = 'mongodb://db1:27017/jobs?socketTimeoutMS=5000'\nbroker_transport_options = {'ttl': True}\n", ...kombu4611 },
    { name: 'Redis options Kombu reads', code: "broker_url = 'redis://localhost:6379/0'\nbroker_transport_options = {'visibility_timeout': 7200, 'socket_timeout': 5}\n" },
    { name: 'a broker URL from the environment is not judged', code: "import os\nbroker_url = os.environ['BROKER_URL']\nbroker_transport_options = {'socketTimeoutMS': 5000}\n" },
    { name: 'amqp hands every option to py-amqp', code: "broker_url = 'amqp://guest@localhost//'\nbroker_transport_options = {'confirm_publish': True}\n" },
    {
      name: 'Kombu 3.0.37 still passes MongoDB options to pymongo',
      code: "BROKER_URL = 'mongodb://h/db'\nBROKER_TRANSPORT_OPTIONS = {'socketTimeoutMS': 5000}\n",
      celery: null,
      files: { 'requirements.txt': 'celery==3.1.25\nkombu==3.0.37\n' },
    },
    { name: 'ssl_ query keys are folded into ssl (Kombu 4.4+)', code: "broker_url = 'redis://localhost:6379/0?ssl_cert_reqs=required'\n" },
    {
      // open-forms: CELERY_BROKER_URL may select sentinel:// in production; the redis:// default is a guess
      name: "Sentinel options next to a URL read from the environment (its redis:// default, or a compose file's)",
      files: { 'docker-compose.yml': 'services:\n  worker:\n    command: celery -A app worker\n    environment:\n      CELERY_BROKER_URL: redis://redis:6379/0\n' },
      code:
        "import os\nbroker_url = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')\nbroker_transport_options = {'master_name': os.environ.get('SENTINEL_MASTER')}\n" +
        "result_backend = os.environ.get('CELERY_RESULT_BACKEND', 'redis://localhost:6379/1')\nresult_backend_transport_options = {'master_name': 'mymaster'}\n",
    },
    { name: 'the Redis result backend reads retry_policy', code: "result_backend = 'redis://r/1'\nresult_backend_transport_options = {'retry_policy': {'timeout': 5.0}}\n" },
  ],
  invalid: [
    {
      name: 'a Sentinel option next to a literal redis:// URL has no effect',
      code: "broker_url = 'redis://localhost:6379/0'\nbroker_transport_options = {'master_name': 'mymaster'}\n",
      errors: [{ line: 2, column: 29, message: "broker_transport_options['master_name'] is ignored by the redis transport" }],
      output: null,
    },
    {
      name: 'seed 001: MongoDB client options ignored since Kombu 4.0',
      code: seed001,
      ...kombu4611,
      unsafe: true,
      errors: [
        {
          line: 3, column: 5, endLine: 3, endColumn: 14, severity: 'warning',
          messageExact:
            "broker_transport_options['connect'] is ignored by the mongodb transport of Kombu 4.6.11 (pinned in requirements.txt): since Kombu 4.0 broker_transport_options no longer reach pymongo.MongoClient, only the broker URL's query string does. Put connect in the broker URL's query string (mongodb://...?connect=...).",
        },
        { line: 4, column: 5, endColumn: 18, message: "['maxPoolSize'] is ignored by the mongodb transport of Kombu 4.6.11" },
        {
          line: 5, column: 5, endColumn: 22,
          message: 'Without socketTimeoutMS pymongo waits forever on a dead connection (the worker hangs). Put socketTimeoutMS in the broker URL',
        },
        { line: 6, column: 5, endColumn: 23 },
        { line: 7, column: 5, endColumn: 31 },
        { line: 8, column: 5, endColumn: 8 },
      ],
      output:
        "BROKER_URL = 'mongodb://192.168.1.1:27017,192.168.1.2:27017/yiran?connect=false&socketTimeoutMS=5000&connectTimeoutMS=5000&serverSelectionTimeoutMS=5000&w=0'\n" +
        'BROKER_TRANSPORT_OPTIONS = {\n' +
        '    "maxPoolSize": 5 if "worker" in process_cmdline else 2,\n' +
        '}\n',
    },
    {
      name: 'seed 001 without --unsafe-fixes changes nothing',
      code: "broker_url = 'mongodb://h:27017'\nbroker_transport_options = {'socketTimeoutMS': 5000}\n",
      ...kombu4611,
      errors: [{ line: 2, column: 29, endColumn: 46 }],
      output: null,
    },
    {
      name: 'a URL without a path gets "/?"; a dict left empty becomes {}',
      code: "broker_url = 'mongodb://h:27017'\nbroker_transport_options = {'socketTimeoutMS': 5000}\n",
      ...kombu4611,
      unsafe: true,
      errors: [{ line: 2, column: 29, endColumn: 46 }],
      output: "broker_url = 'mongodb://h:27017/?socketTimeoutMS=5000'\nbroker_transport_options = {}\n",
    },
    {
      name: 'migrating from 3.1 with Kombu 3.0: placed on the 3.1 → 4.0 step',
      code: "BROKER_URL = 'mongodb://h/db?w=1'\nBROKER_TRANSPORT_OPTIONS = {'socketTimeoutMS': 5000, 'ttl': True}\n",
      celery: null,
      files: { 'requirements.txt': 'celery==3.1.25\nkombu==3.0.37\n' },
      mode: 'migrate',
      to: '5.5',
      unsafe: true,
      errors: [{ line: 2, column: 29, endColumn: 46, step: '3.1 → 4.0', message: 'of kombu>=5.5.2,<5.6 (what Celery 5.5 requires; the kombu 3.0.37 pin in requirements.txt has to move for it)' }],
      output: "BROKER_URL = 'mongodb://h/db?w=1&socketTimeoutMS=5000'\nBROKER_TRANSPORT_OPTIONS = {'ttl': True}\n",
    },
    {
      name: 'a misspelt Redis option',
      code: "broker_url = 'redis://localhost:6379/0'\nbroker_transport_options = {'visiblity_timeout': 7200}\n",
      errors: [
        {
          line: 2, column: 29, endColumn: 48,
          messageExact:
            "broker_transport_options['visiblity_timeout'] is ignored by the redis transport of kombu>=5.2.3,<6.0 (what Celery 5.2.7 requires; no Kombu pin found): it is not an option that transport reads, so it has no effect (did you mean 'visibility_timeout'?).",
        },
      ],
    },
    {
      name: 'the lock file version is the one judged, not the range in the requirements',
      code: "broker_url = 'redis://localhost:6379/0'\nbroker_transport_options = {'visiblity_timeout': 7200}\n",
      files: {
        'requirements.txt': 'celery==5.2.7\nkombu>=4.6.11,<6.0\n',
        'Pipfile.lock': JSON.stringify({ _meta: {}, default: { kombu: { version: '==5.2.4' } }, develop: {} }),
      },
      errors: [{ line: 2, column: 29, endColumn: 48, message: 'ignored by the redis transport of Kombu 5.2.4 (pinned in Pipfile.lock)' }],
    },
    {
      name: 'a range without a lock is judged at its floor, and the message says so',
      code: "broker_url = 'redis://localhost:6379/0'\nbroker_transport_options = {'visiblity_timeout': 7200}\n",
      files: { 'requirements.txt': 'celery==5.2.7\nkombu>=5.2.3,<6.0\n' },
      errors: [{ line: 2, column: 29, endColumn: 48, message: 'ignored by the redis transport of Kombu 5.2.3 (the lowest >=5.2.3,<6.0 in requirements.txt allows)' }],
    },
    {
      name: 'an unknown Redis URL parameter raises TypeError',
      code: "broker_url = 'redis://:secret@localhost:6379/0?socket_timeout=5'\n",
      errors: [
        {
          line: 1, column: 48, endColumn: 64, severity: 'error',
          messageExact:
            "The broker URL parameter 'socket_timeout' is not a keyword kombu.Connection takes: with kombu>=5.2.3,<6.0 (what Celery 5.2.7 requires; no Kombu pin found), creating the broker connection raises TypeError (_init_params() got an unexpected keyword argument 'socket_timeout'), so the worker cannot start and tasks cannot be sent. The redis transport reads socket_timeout from broker_transport_options: move it there.",
        },
      ],
    },
    {
      name: 'the Redis result backend ignores socket options in result_backend_transport_options',
      code: "result_backend = 'redis://localhost:6379/1'\nresult_backend_transport_options = {'socket_timeout': 5}\n",
      errors: [
        {
          line: 2, column: 37, endColumn: 53,
          messageExact:
            "result_backend_transport_options['socket_timeout'] is not read by the redis result backend at Celery 5.2.7 (it reads result_chord_ordered, retry_policy), so it has no effect: the Redis result backend takes it from the redis_socket_timeout setting.",
        },
      ],
    },
    {
      name: 'global_keyprefix before 5.3 on a database backend',
      code: "result_backend = 'db+postgresql://u@h/db'\nresult_backend_transport_options = {'global_keyprefix': 'x'}\n",
      errors: [{ line: 2, column: 37, message: 'not read by the db result backend at Celery 5.2.7 (that backend does not read result_backend_transport_options)' }],
    },
  ],
});
