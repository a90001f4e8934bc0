import rule from '../../../rules/serializers/CEL201-serializer-default-changed.js';
import { ruleTester } from '../../rule-tester.js';

const migrate = { celery: '3.1.25', mode: 'migrate' as const, to: '5.5' };

ruleTester(rule, {
  valid: [
    { name: 'check mode: nothing changes under the project', code: "BROKER_URL = 'redis://localhost:6379/0'\n", celery: '3.1.25' },
    {
      name: 'all three set explicitly',
      code: "BROKER_URL = 'redis://r'\nCELERY_TASK_SERIALIZER = 'json'\nCELERY_RESULT_SERIALIZER = 'json'\nCELERY_ACCEPT_CONTENT = ['json']\n",
      ...migrate,
    },
    { name: 'a 4.x project already has the 4.0 defaults', code: "broker_url = 'redis://r'\n", celery: '4.4.7', mode: 'migrate', to: '5.5' },
    {
      name: '4.0.0 still accepts pickle, msgpack and yaml by default',
      code: "BROKER_URL = 'redis://r'\nCELERY_TASK_SERIALIZER = 'pickle'\nCELERY_RESULT_SERIALIZER = 'pickle'\n",
      celery: '3.1.25',
      mode: 'migrate',
      to: '4.0.0',
    },
  ],
  invalid: [
    {
      name: '3.1.25 → 5.5 with every serializer default relied on',
      code: "BROKER_URL = 'redis://localhost:6379/0'\n",
      ...migrate,
      unsafe: true,
      errors: [
        {
          file: 'app.py', line: 4, column: 1, endLine: 4, endColumn: 39, step: '3.1 → 4.0', severity: 'warning',
          messageExact:
            'Upgrading from Celery 3.1.25 to 5.5 changes serializer defaults this app relies on: task_serializer pickle → json (from 4.0), ' +
            'result_serializer pickle → json (from 4.0), accept_content [json, pickle, msgpack, yaml] → [json] (from 4.0.1; 4.0 still had the old default). ' +
            'With json, set and custom-object arguments make apply_async raise EncodeError and a task returning them is recorded as failed. ' +
            'Workers refuse messages in any other format (ContentDisallowed), including pickle messages from 3.1 clients still running; ' +
            'results follow accept_content while result_accept_content is unset. Set them explicitly to keep today\'s behaviour ' +
            '(pickle stays accepted, see CEL203), or set json everywhere once every task argument and result is JSON-safe.',
        },
      ],
      output:
        "BROKER_URL = 'redis://localhost:6379/0'\nCELERY_TASK_SERIALIZER = 'pickle'\nCELERY_RESULT_SERIALIZER = 'pickle'\n" +
        "CELERY_ACCEPT_CONTENT = ['json', 'pickle', 'msgpack', 'yaml']\n",
    },
    {
      name: 'the fix is not applied without --unsafe-fixes',
      code: "BROKER_URL = 'redis://localhost:6379/0'\n",
      ...migrate,
      errors: [{ file: 'app.py', line: 4, column: 1 }],
      output: null,
    },
    {
      name: 'a misspelt setting counts as unset',
      code: "BROKER_URL = 'redis://r'\nCELERY_TASK_SERIALISER = 'pickle'\nCELERY_RESULT_SERIALIZER = 'json'\nCELERY_ACCEPT_CONTENT = ['json']\n",
      ...migrate,
      unsafe: true,
      errors: [{ file: 'app.py', line: 4, column: 1, message: 'changes serializer defaults this app relies on: task_serializer pickle → json (from 4.0).' }],
      output:
        "BROKER_URL = 'redis://r'\nCELERY_TASK_SERIALISER = 'pickle'\nCELERY_RESULT_SERIALIZER = 'json'\nCELERY_ACCEPT_CONTENT = ['json']\n" +
        "CELERY_TASK_SERIALIZER = 'pickle'\n",
    },
    {
      name: 'to 4.0.0 only the serializers change',
      code: "BROKER_URL = 'redis://r'\n",
      celery: '3.1.25',
      mode: 'migrate',
      to: '4.0.0',
      errors: [{ file: 'app.py', line: 4, column: 1, message: 'relies on: task_serializer pickle → json (from 4.0), result_serializer pickle → json (from 4.0). With json, set, bytes and custom-object arguments make apply_async raise EncodeError' }],
    },
    {
      name: 'a send that passes a bytes literal: an error naming the call',
      code: "BROKER_URL = 'redis://r'\n",
      files: { 'tasks.py': 'from app import app\n\n\n@app.task\ndef store(blob):\n    return len(blob)\n\n\ndef go():\n    store.delay(b"raw")\n' },
      celery: '3.1.25',
      mode: 'migrate',
      to: '4.0.0',
      errors: [{ file: 'app.py', line: 4, column: 1, severity: 'error', message: 'tasks.py:10 passes bytes to tasks.store, which json cannot encode at that Kombu: the call will raise EncodeError.' }],
    },
    {
      name: 'a send that passes a set: an error naming the call',
      code: "BROKER_URL = 'redis://r'\n",
      files: { 'tasks.py': 'from app import app\n\n\n@app.task\ndef store(ids):\n    return len(ids)\n\n\ndef go():\n    store.delay({1, 2})\n' },
      celery: '3.1.25',
      mode: 'migrate',
      to: '4.0.0',
      errors: [{ file: 'app.py', line: 4, column: 1, severity: 'error', message: 'tasks.py:10 passes a set to tasks.store' }],
    },
  ],
});
