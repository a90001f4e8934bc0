import rule from '../../../rules/cli/CEL604-protocol-transition.js';
import { ruleTester } from '../../rule-tester.js';

const migrate = { mode: 'migrate' as const, to: '5.5' };

ruleTester(rule, {
  valid: [
    { name: 'check mode on 3.1.23 (no upgrade in view)', celery: '3.1.23', code: 'CELERY_TASK_SERIALIZER = "json"\n' },
    { name: 'from 3.1.25: the workers already read protocol 2', ...migrate, celery: '3.1.25', code: 'CELERY_TASK_SERIALIZER = "json"\n' },
    { name: 'from 3.1.24 exactly', ...migrate, celery: '3.1.24', code: 'CELERY_TASK_SERIALIZER = "json"\n' },
    { name: 'CELERY_TASK_PROTOCOL = 1 keeps the old protocol', ...migrate, celery: '3.1.20', code: 'CELERY_TASK_PROTOCOL = 1\n' },
    { name: 'task_protocol = 1 (new name)', ...migrate, celery: '3.1.20', code: 'task_protocol = 1\n' },
    { name: 'protocol from the environment: not guessed at', ...migrate, celery: '3.1.20', code: 'import os\ntask_protocol = int(os.environ["PROTO"])\n' },
    { name: 'from 4.4 to 5.5', ...migrate, celery: '4.4.7', code: 'task_serializer = "json"\n' },
    { name: 'unknown current version', ...migrate, celery: null, code: 'task_serializer = "json"\n' },
    { name: 'migrating within 3.1', mode: 'migrate', celery: '3.1.20', to: '3.1.26', code: 'CELERY_TASK_SERIALIZER = "json"\n' },
  ],
  invalid: [
    {
      name: 'from 3.1.23: reported on the pin, on the 3.1 → 4.0 step',
      ...migrate,
      celery: '3.1.23',
      code: 'CELERY_TASK_SERIALIZER = "json"\n',
      errors: [{
        file: 'requirements.txt', line: 1, column: 1, endLine: 1, endColumn: 15, step: '3.1 → 4.0',
        messageExact:
          'Celery 4.0+ clients send task protocol 2 (task_protocol defaults to 2), which Celery 3.1 workers before 3.1.24 ' +
          'cannot read: workers still on 3.1.23 log "Received and deleted unknown message" and drop the task. During the ' +
          'rolling upgrade, first deploy the workers on 3.1.25 or later (3.1.24 added protocol 2 support), or set ' +
          'task_protocol = 1 until every worker runs 4.0 or later.',
      }],
      output: null,
    },
    {
      name: 'task_protocol = 2 set explicitly',
      ...migrate,
      celery: '3.1.18',
      code: 'CELERY_TASK_PROTOCOL = 2\n',
      errors: [{ file: 'requirements.txt', line: 1, column: 1, endLine: 1, endColumn: 15, message: 'workers still on 3.1.18 log' }],
      output: null,
    },
    {
      name: '--from 3.1 without a pin: conditional, on the app definition',
      ...migrate,
      celery: null,
      from: '3.1',
      code: 'CELERY_TASK_SERIALIZER = "json"\n',
      errors: [{ file: 'app.py', line: 3, column: 7, endLine: 3, endColumn: 21, message: 'if the workers run a 3.1 release before 3.1.24, they log' }],
      output: null,
    },
  ],
});
