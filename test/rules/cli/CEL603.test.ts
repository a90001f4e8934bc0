import rule from '../../../rules/cli/CEL603-removed-cli-option.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'current option names', filename: 'Procfile', code: 'worker: celery -A proj worker --max-tasks-per-child=100 --max-memory-per-child=200000 -O fair\n' },
    { name: 'the 4.x alias on 4.4 (still accepted there)', celery: '4.4.7', filename: 'Procfile', code: 'worker: celery -A proj worker --maxtasksperchild=100\n' },
    { name: 'celeryd on 3.1 (installed until 4.0)', celery: '3.1.25', filename: 'Procfile', code: 'worker: celeryd -A proj --autoreload\n' },
    { name: 'manage.py celery on 3.1 with django-celery', celery: '3.1.25', filename: 'Procfile', code: 'worker: python manage.py celery worker -l info\n' },
    { name: '-Ofast on 4.4 (accepted there)', celery: '4.4.7', filename: 'Procfile', code: 'worker: celery -A proj worker -Ofast\n' },
    { name: '--autoscale is kept', filename: 'Procfile', code: 'worker: celery -A proj worker --autoscale=10,3\n' },
    { name: 'an option of another sub-command with a removed worker name', filename: 'run.sh', code: 'celery -A proj beat --schedule=/tmp/beat.db\n' },
  ],
  invalid: [
    {
      name: '--maxtasksperchild on 5.x: renamed, safe rename',
      filename: 'Procfile',
      code: 'worker: celery -A proj worker --maxtasksperchild=100\n',
      errors: [{
        line: 1, column: 31, endLine: 1, endColumn: 53,
        messageExact:
          '`worker --maxtasksperchild` is not accepted from Celery 5.0: the command exits with "Error: No such option: ' +
          '--maxtasksperchild (Possible options: --max-memory-per-child, --max-tasks-per-child)". It was renamed ' +
          '--max-tasks-per-child (accepted since 4.0).',
      }],
      output: 'worker: celery -A proj worker --max-tasks-per-child=100\n',
    },
    {
      name: 'compose list form: the rename stays inside the quotes',
      filename: 'docker-compose.yml',
      code: 'services:\n  worker:\n    command: ["celery", "-A", "proj", "worker", "--maxmemperchild", "200000"]\n',
      errors: [{ line: 3, column: 49, endLine: 3, endColumn: 77, message: 'renamed --max-memory-per-child' }],
      output: 'services:\n  worker:\n    command: ["celery", "-A", "proj", "worker", "--max-memory-per-child", "200000"]\n',
    },
    {
      name: 'migrate from 3.1: the new name does not exist in 3.1, so the rename is unsafe',
      mode: 'migrate',
      celery: '3.1.25',
      to: '5.5',
      filename: 'Procfile',
      code: 'worker: celery worker -A proj --maxtasksperchild 50\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 52, step: '4.x → 5.0' }],
      output: null,
    },
    {
      name: 'multi hands worker options to its workers',
      filename: 'run.sh',
      code: 'celery multi start w1 -A proj --maxtasksperchild=10\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 52 }],
      output: 'celery multi start w1 -A proj --max-tasks-per-child=10\n',
    },
    {
      name: '--no-execv on 5.x, project on 4.4: inert since 4.0, removed safely',
      mode: 'migrate',
      celery: '4.4.7',
      to: '5.5',
      filename: 'Procfile',
      code: 'worker: celery -A proj worker --no-execv -l info\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 41, messageExact: '`worker --no-execv` is removed in Celery 5.0: the command exits with "Error: No such option: --no-execv". It has had no effect since 4.0; remove it.' }],
      output: 'worker: celery -A proj worker -l info\n',
    },
    {
      name: '--no-execv on 4.4 in check mode: ignored (warning)',
      celery: '4.4.7',
      filename: 'Procfile',
      code: 'worker: celery -A proj worker --no-execv\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 41, severity: 'warning', message: 'has no effect from Celery 4.0 (accepted and ignored in 4.x (removed_flags in celery/bin/worker.py)) and is rejected from 5.0' }],
      output: 'worker: celery -A proj worker\n',
    },
    {
      name: '--autoreload on 4.x: advice only',
      celery: '4.0.2',
      filename: 'Procfile',
      code: 'worker: celery -A proj worker --autoreload\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 43, messageExact: '`worker --autoreload` is removed in Celery 4.0: the command fails at startup. Remove it.' }],
      output: null,
    },
    {
      name: '-Ofast on 5.x',
      filename: 'Procfile',
      code: 'worker: celery -A proj worker -Ofast\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 37, message: "exits with \"Error: Invalid value for '-O': 'fast' is not one of 'default', 'fair'.\". Accepted values: default, fair." }],
      output: null,
    },
    {
      name: 'celeryd on 5.x',
      filename: 'deploy/celeryd.service',
      code: '[Service]\nExecStart=/srv/venv/bin/celeryd -A proj -l info\n',
      errors: [{
        line: 2, column: 11, endLine: 2, endColumn: 32,
        messageExact:
          '`celeryd` is gone from Celery 4.0 (no longer installed (setup.py console_scripts has only `celery`)): the process ' +
          'does not start. Use `celery worker`, with -A/--app before the sub-command.',
      }],
      output: null,
    },
    {
      name: 'djcelery manage.py command when migrating to 4.x',
      mode: 'migrate',
      celery: '3.1.25',
      to: '4.4',
      filename: 'Procfile',
      code: 'beat: python manage.py celerybeat --schedule=/tmp/beat.db\n',
      errors: [{ line: 1, column: 7, endLine: 1, endColumn: 34, step: '3.1 → 4.0', message: "django-celery, whose last release (3.3.1) requires celery>=3.1.15,<4.0" }],
      output: null,
    },
    {
      name: 'celery help on 5.x',
      filename: 'run.sh',
      code: 'celery help\n',
      errors: [{ line: 1, column: 8, endLine: 1, endColumn: 12, message: 'use `celery --help`' }],
      output: null,
    },
  ],
});
