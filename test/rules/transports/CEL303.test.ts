import rule from '../../../rules/transports/CEL303-removed-result-backend.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'rpc results', code: "result_backend = 'rpc://'\n", celery: '5.5.0' },
    { name: 'amqp results still load in 4.4', code: "result_backend = 'amqp://guest@localhost//'\n", celery: '4.4.7' },
    { name: 'redis results', code: "result_backend = 'redis://localhost:6379/1'\n" },
    { name: 'a backend from the environment is not judged', code: "import os\nresult_backend = os.environ['RESULTS']\n" },
  ],
  invalid: [
    {
      name: 'amqp results on the 4.4 → 5.0 step; the alias is gone in 5.5',
      code: "result_backend = 'amqp://guest:guest@localhost//'\n",
      celery: '4.4.7',
      mode: 'migrate',
      to: '5.5',
      unsafe: true,
      errors: [
        {
          line: 1, column: 18, endLine: 1, endColumn: 50, step: '4.4 → 5.0', severity: 'error',
          messageExact:
            "result_backend amqp://guest:****@localhost// names the amqp result backend, removed in Celery 5.0 (its alias until 5.3): Celery 5.5 fails to load it (ImproperlyConfigured: Unknown result backend: 'amqp'.  Did you spell that correctly? ('is a Python module, not a backend class.')), so the worker fails at startup and sending tasks fails. Use rpc:// for RPC-style results, or a persistent backend (redis://, db+...).",
        },
      ],
      output: "result_backend = 'rpc://'\n",
    },
    {
      name: 'an old-style bare name in 5.2: the module is gone',
      code: 'CELERY_RESULT_BACKEND = "amqp"\n',
      unsafe: true,
      errors: [{ line: 1, column: 25, endColumn: 31, message: "Celery 5.2.7 fails to load it (ModuleNotFoundError: No module named 'celery.backends.amqp')" }],
      output: 'CELERY_RESULT_BACKEND = "rpc://"\n',
    },
    {
      name: 'riak has no automatic replacement',
      code: "result_backend = 'riak://localhost:8087/celery'\n",
      unsafe: true,
      errors: [{ line: 1, column: 18, message: "(ModuleNotFoundError: No module named 'celery.backends.riak')" }],
      output: null,
    },
  ],
});
