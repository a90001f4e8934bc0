import rule from '../../../rules/serializers/CEL203-pickle-accepted.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'json only', code: "accept_content = ['json']\n" },
    { name: 'the 5.2 default accepts json only', code: "task_serializer = 'json'\n" },
    { name: 'msgpack and json', code: "task_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']\n" },
    { name: 'MIME json', code: "accept_content = ['application/json']\n" },
    { name: 'accept list from the environment is not guessed', code: "import os\naccept_content = os.environ['ACCEPT'].split(',')\n" },
    { name: 'a 3.1 project that narrowed its accept list', code: "CELERY_ACCEPT_CONTENT = ['json']\n", celery: '3.1.25' },
    { name: 'an old-style name in 4.x', code: "CELERY_ACCEPT_CONTENT = ['json', 'msgpack']\n", celery: '4.4.7' },
  ],
  invalid: [
    {
      name: 'pickle listed explicitly',
      code: "accept_content = ['json', 'pickle']\n",
      errors: [
        {
          line: 1, column: 27, endLine: 1, endColumn: 35,
          messageExact:
            "accept_content accepts pickle ('pickle'): anyone who can publish to the broker can run arbitrary code in the worker (unpickling executes code). Use json (or msgpack) and drop pickle from accept_content.",
        },
      ],
      output: null,
    },
    {
      name: 'pickle by MIME type',
      code: "accept_content = ['application/x-python-serialize']\n",
      errors: [{ line: 1, column: 19, endColumn: 51, message: "accepts pickle ('application/x-python-serialize')" }],
    },
    {
      name: 'results accepted as pickle',
      code: "result_backend = 'redis://localhost/1'\nresult_accept_content = ['pickle']\n",
      errors: [{ line: 2, column: 26, endColumn: 34, message: 'anyone who can write to the result backend can run arbitrary code in every process that reads results' }],
    },
    {
      name: "Celery 3.1's default accepts pickle",
      code: "BROKER_URL = 'redis://localhost:6379/0'\n",
      celery: '3.1.25',
      errors: [
        {
          file: 'app.py', line: 4, column: 1, endLine: 4, endColumn: 39,
          messageExact:
            "CELERY_ACCEPT_CONTENT is not set, and Celery 3.1.25's default accepts pickle (json, pickle, msgpack, yaml): anyone who can publish to the broker can run arbitrary code in the worker (unpickling executes code). Set CELERY_ACCEPT_CONTENT to the serializers you use, without pickle.",
        },
      ],
    },
    {
      name: '4.0.0 still accepted pickle by default',
      code: "broker_url = 'redis://localhost:6379/0'\n",
      celery: '4.0.0',
      errors: [{ file: 'app.py', line: 4, column: 1, message: "accept_content is not set, and Celery 4.0's default accepts pickle" }],
    },
  ],
});
