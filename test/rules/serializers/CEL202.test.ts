import rule from '../../../rules/serializers/CEL202-serializer-not-accepted.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'json everywhere', code: "task_serializer = 'json'\nresult_serializer = 'json'\naccept_content = ['json']\nresult_backend = 'redis://r'\n" },
    {
      name: 'msgpack sent and accepted',
      code: "task_serializer = 'msgpack'\nresult_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']\nresult_backend = 'redis://r'\n",
    },
    { name: 'MIME types are compared as content types', code: "task_serializer = 'msgpack'\naccept_content = ['application/json', 'application/x-msgpack']\n" },
    { name: 'no result backend: result_serializer is never read back', code: "result_serializer = 'msgpack'\n" },
    { name: "Celery 3.1's default accepts msgpack", code: "CELERY_TASK_SERIALIZER = 'msgpack'\n", celery: '3.1.25' },
    { name: 'a serializer the project registers itself is not judged', code: "task_serializer = 'myjson'\naccept_content = ['json']\n" },
    {
      name: 'results accepted through result_accept_content',
      code: "result_backend = 'redis://r'\nresult_serializer = 'msgpack'\naccept_content = ['json']\nresult_accept_content = ['msgpack']\n",
    },
    { name: 'accept_content None accepts everything', code: "task_serializer = 'msgpack'\naccept_content = None\n" },
    {
      // superdesk-core: kombu.serialization.register("eve/json", dumps, loads, content_type="application/json")
      name: 'a registered serializer whose name has a slash is a name, not a content type',
      code: "task_serializer = 'json'\n",
      files: { 'tasks.py': "from app import app\n\n@app.task\ndef update(x):\n    return x\n\nupdate.apply_async(kwargs={}, serializer='eve/json')\n" },
    },
  ],
  invalid: [
    {
      name: 'seed 004: msgpack with accept_content left unset, 3.1.25 → 4.2',
      code: "CELERY_TASK_SERIALIZER = 'msgpack'\n",
      celery: '3.1.25',
      mode: 'migrate',
      to: '4.2.0',
      errors: [
        {
          line: 1, column: 26, endLine: 1, endColumn: 35, step: '3.1 → 4.0', // the accept default narrowed in 4.0.1, a 4.0 patch release
          messageExact:
            "CELERY_TASK_SERIALIZER is 'msgpack', but accept_content is not set and Celery 4.2 accepts only ['json'] by default: the worker refuses these task messages (ContentDisallowed: Refusing to deserialize untrusted content of type msgpack (application/x-msgpack)) and the task never runs. Add 'msgpack' to accept_content.",
        },
      ],
      output: "CELERY_TASK_SERIALIZER = 'msgpack'\nCELERY_ACCEPT_CONTENT = ['json', 'msgpack']\n",
    },
    {
      name: 'explicit accept list without the serializer',
      code: "task_serializer = 'msgpack'\naccept_content = ['json']  # workers\n",
      errors: [{ line: 1, column: 19, endColumn: 28, message: "task_serializer is 'msgpack', but accept_content is ['json']: the worker refuses" }],
      output: "task_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']  # workers\n",
    },
    {
      name: 'a MIME-style accept list gets the MIME type',
      code: "task_serializer = 'msgpack'\naccept_content = ('application/json',)\n",
      errors: [{ line: 1, column: 19, endColumn: 28 }],
      output: "task_serializer = 'msgpack'\naccept_content = ('application/json', 'application/x-msgpack',)\n",
    },
    {
      name: 'results not in result_accept_content',
      code: "result_backend = 'redis://localhost/1'\nresult_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']\nresult_accept_content = ['json']\n",
      errors: [
        {
          line: 2, column: 21, endColumn: 30,
          messageExact:
            "result_serializer is 'msgpack', but result_accept_content is ['json']: reading a result (AsyncResult.get()) raises ContentDisallowed (Refusing to deserialize untrusted content of type msgpack (application/x-msgpack)). Add 'msgpack' to result_accept_content.",
        },
      ],
      output: "result_backend = 'redis://localhost/1'\nresult_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']\nresult_accept_content = ['json', 'msgpack']\n",
    },
    {
      name: 'pickle: adding it is left to --unsafe-fixes',
      code: "task_serializer = 'pickle'\n",
      unsafe: true,
      errors: [{ line: 1, column: 19, endColumn: 27, message: 'accept_content is not set and Celery 5.2.7 accepts only' }],
      output: "task_serializer = 'pickle'\naccept_content = ['json', 'pickle']\n",
    },
    {
      name: 'pickle: no safe fix',
      code: "task_serializer = 'pickle'\n",
      errors: [{ line: 1, column: 19 }],
      output: null,
    },
  ],
});
