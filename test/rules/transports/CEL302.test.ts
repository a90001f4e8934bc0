import rule from '../../../rules/transports/CEL302-removed-transport.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'redis broker', code: "broker_url = 'redis://localhost:6379/0'\n" },
    { name: 'Celery 3.1 still has the django transport', code: "BROKER_URL = 'django://'\n", celery: '3.1.25' },
    { name: 'sqlalchemy is back from Kombu 4.1', code: "broker_url = 'sqla+postgresql://u@h/db'\n", celery: '4.4.7' },
    { name: 'a broker URL from the environment is not judged', code: "import os\nbroker_url = os.environ.get('BROKER_URL')\n" },
  ],
  invalid: [
    {
      name: 'django transport on the 3.1 → 4.0 step',
      code: "BROKER_URL = 'django://'\n",
      celery: '3.1.25',
      mode: 'migrate',
      to: '5.5',
      errors: [
        {
          line: 1, column: 14, endLine: 1, endColumn: 25, step: '3.1 → 4.0', severity: 'error',
          messageExact:
            'The broker URL django:// uses the django transport, removed in Kombu 4.0 (Celery 4.0): with kombu>=5.5.2,<5.6 (what Celery 5.5 requires; no Kombu pin found), the worker fails at startup with KeyError: No such transport: django. Use redis or amqp broker.',
        },
      ],
      output: null,
    },
    {
      name: 'the password in the URL is masked',
      code: "broker_url = 'couchdb://admin:secret@h:5984/db'\n",
      celery: '4.4.7',
      errors: [{ line: 1, column: 14, endColumn: 48, message: 'The broker URL couchdb://admin:****@h:5984/db uses the couchdb transport' }],
    },
    {
      name: 'sqlalchemy is missing only from Kombu 4.0.x',
      code: "broker_url = 'sqla+postgresql://u@h/db'\n",
      celery: '4.0.2',
      errors: [{ line: 1, column: 14, message: 'removed in Kombu 4.0 (Celery 4.0) and back from Kombu 4.1: if Kombu 4.0.2 is installed, which kombu>=4.0.2,<5.0 (what Celery 4.0.2 requires; no Kombu pin found) allows, the worker fails at startup with KeyError: No such transport: sqla.' }],
    },
  ],
});
