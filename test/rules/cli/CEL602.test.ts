import rule from '../../../rules/cli/CEL602-cli-option-order.js';
import { ruleTester } from '../../rule-tester.js';

const DEPLOYMENT = (args: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: app:1.0
          command: ["celery"]
          args: ${args}
`;

ruleTester(rule, {
  valid: [
    { name: 'global options before the sub-command', filename: 'Procfile', code: 'worker: celery -A proj worker -l info -c 4\n' },
    { name: 'python -m celery in the 5.x order', filename: 'Procfile', code: 'worker: python -m celery --app=proj -q worker --pool=gevent\n' },
    { name: 'celery multi passes -A on to its workers', filename: 'run.sh', code: 'celery multi start w1 -A proj -l info\n' },
    { name: 'a 4.x project in check mode: the 4.x command line reads -A anywhere', celery: '4.4.7', filename: 'Procfile', code: 'worker: celery worker -A proj\n' },
    { name: 'an unknown sub-command (a plugin such as flower) may define its own -A', filename: 'Procfile', code: 'web: celery flower -A proj\n' },
    { name: 'sub-command options that only look global (-c, -l, -Q)', filename: 'Procfile', code: 'worker: celery -A proj worker -c 4 -l info -Q a,b\n' },
    { name: '--skip-checks after the sub-command on 5.2 (the option does not exist yet)', filename: 'Procfile', code: 'worker: celery -A proj worker\n' },
    {
      name: 'the djcelery manage.py command (CEL603 reports it)',
      filename: 'Procfile',
      code: 'worker: python manage.py celery worker -A proj\n',
    },
  ],
  invalid: [
    {
      name: 'Procfile: -A after worker',
      filename: 'Procfile',
      code: 'worker: celery worker -A proj -l info\n',
      errors: [{
        line: 1, column: 23, endLine: 1, endColumn: 30,
        messageExact:
          '-A is a global option of `celery` and must come before the sub-command from Celery 5.0: written after `worker` the ' +
          'command exits with "Error: No such option: -A" and `worker` never runs. Write `celery -A … worker …`.',
      }],
      output: 'worker: celery -A proj worker -l info\n',
    },
    {
      name: 'several global options, a flag among them, values quoted as written',
      filename: 'Procfile',
      code: 'worker: celery worker --app "proj.celery:app" -l info -q -b \'redis://h:6379/0\'\n',
      errors: [{ line: 1, column: 23, endLine: 1, endColumn: 46, message: '--app, -q, -b are global options of `celery`' }],
      output: "worker: celery -q --app \"proj.celery:app\" -b 'redis://h:6379/0' worker -l info\n",
    },
    {
      name: 'inspect: the option after a positional argument',
      filename: 'healthcheck.sh',
      code: '#!/bin/sh\ncelery inspect ping -A proj -d "celery@$HOSTNAME"\n',
      errors: [{ line: 2, column: 21, endLine: 2, endColumn: 28, message: 'written after `inspect`' }],
      output: '#!/bin/sh\ncelery -A proj inspect ping -d "celery@$HOSTNAME"\n',
    },
    {
      name: 'shell script with line continuations',
      filename: 'start-worker.sh',
      code: 'exec celery worker \\\n  --loglevel=info \\\n  --app=proj\n',
      errors: [{ line: 3, column: 3, endLine: 3, endColumn: 13 }],
      output: 'exec celery --app=proj \\\n  worker \\\n  --loglevel=info\n',
    },
    {
      name: 'compose command as a string',
      filename: 'docker-compose.yml',
      code: 'services:\n  worker:\n    image: app\n    command: celery worker --app=proj --loglevel=info\n',
      errors: [{ line: 4, column: 28, endLine: 4, endColumn: 38 }],
      output: 'services:\n  worker:\n    image: app\n    command: celery --app=proj worker --loglevel=info\n',
    },
    {
      name: 'compose command as a flow list: list items move with their quotes',
      filename: 'docker-compose.yml',
      code: 'services:\n  worker:\n    command: ["celery", "worker", "-A", "proj", "-l", "info"]\n',
      errors: [{ line: 3, column: 35, endLine: 3, endColumn: 47 }],
      output: 'services:\n  worker:\n    command: ["celery", "-A", "proj", "worker", "-l", "info"]\n',
    },
    {
      name: 'compose command as a block list',
      filename: 'docker-compose.yml',
      code: 'services:\n  beat:\n    command:\n      - celery\n      - beat\n      - -A\n      - proj\n',
      errors: [{ line: 6, column: 9, endLine: 7, endColumn: 13, message: 'written after `beat`' }],
      output: 'services:\n  beat:\n    command:\n      - celery\n      - -A\n      - proj\n      - beat\n',
    },
    {
      name: 'Kubernetes args after command: ["celery"]',
      filename: 'k8s/worker.yaml',
      code: DEPLOYMENT('["worker", "--app", "proj", "--concurrency=2"]'),
      errors: [{ line: 12, column: 28, endLine: 12, endColumn: 43 }],
      output: DEPLOYMENT('["--app", "proj", "worker", "--concurrency=2"]'),
    },
    {
      name: 'Dockerfile CMD in exec form',
      filename: 'Dockerfile',
      code: 'FROM python:3.12\nCMD ["celery", "worker", "--app=proj"]\n',
      errors: [{ line: 2, column: 26, endLine: 2, endColumn: 38 }],
      output: 'FROM python:3.12\nCMD ["celery", "--app=proj", "worker"]\n',
    },
    {
      name: 'ENTRYPOINT holds the sub-command, CMD the options: reported, not moved between the two',
      filename: 'Dockerfile',
      code: 'FROM python:3.12\nENTRYPOINT ["celery", "worker"]\nCMD ["-A", "proj"]\n',
      errors: [{ line: 3, column: 6, endLine: 3, endColumn: 18 }],
      output: null,
    },
    {
      name: 'systemd ExecStart',
      filename: 'deploy/celery.service',
      code: '[Service]\nType=forking\nExecStart=/srv/venv/bin/celery multi start w1 -A proj\nExecReload=/srv/venv/bin/celery worker -A proj --pidfile=/run/w.pid\n',
      errors: [{ line: 4, column: 40, endLine: 4, endColumn: 47 }],
      output: '[Service]\nType=forking\nExecStart=/srv/venv/bin/celery multi start w1 -A proj\nExecReload=/srv/venv/bin/celery -A proj worker --pidfile=/run/w.pid\n',
    },
    {
      name: 'supervisor program with a continuation line',
      filename: 'deploy/celery.conf',
      code: '[program:worker]\ncommand=/srv/venv/bin/celery worker --loglevel=INFO\n    -A proj\n',
      errors: [{ line: 3, column: 5, endLine: 3, endColumn: 12 }],
      output: '[program:worker]\ncommand=/srv/venv/bin/celery -A proj\n    worker --loglevel=INFO\n',
    },
    {
      name: '--skip-checks is global from 5.3',
      celery: '5.3.6',
      filename: 'Procfile',
      code: 'worker: celery -A proj worker --skip-checks\n',
      errors: [{ line: 1, column: 31, endLine: 1, endColumn: 44, message: 'before the sub-command from Celery 5.3' }],
      output: 'worker: celery -A proj --skip-checks worker\n',
    },
    {
      name: 'migrate-check from 4.4: placed on the 4.x → 5.0 step, and safe (4.4.7 reads global options anywhere)',
      mode: 'migrate',
      celery: '4.4.7',
      to: '5.5',
      filename: 'Procfile',
      code: 'worker: celery worker --app proj\n',
      errors: [{ line: 1, column: 23, endLine: 1, endColumn: 33, step: '4.4 → 5.0' }],
      output: 'worker: celery --app proj worker\n',
    },
    {
      name: 'migrate-check from 3.1: `--app proj` before the sub-command is misread by 3.1, so the move is unsafe',
      mode: 'migrate',
      celery: '3.1.25',
      to: '5.5',
      filename: 'Procfile',
      code: 'worker: celery worker --app proj\n',
      errors: [{ line: 1, column: 23, endLine: 1, endColumn: 33, step: '4.x → 5.0' }],
      output: null,
    },
    {
      name: 'migrate-check from 3.1 with --unsafe-fixes',
      mode: 'migrate',
      celery: '3.1.25',
      to: '5.5',
      unsafe: true,
      filename: 'Procfile',
      code: 'worker: celery worker --app proj\n',
      errors: [{ line: 1, column: 23, endLine: 1, endColumn: 33 }],
      output: 'worker: celery --app proj worker\n',
    },
    {
      name: 'migrate-check from 3.1: `-A proj` before the sub-command is read right by 3.1, so the move is safe',
      mode: 'migrate',
      celery: '3.1.25',
      to: '5.5',
      filename: 'Procfile',
      code: 'worker: celery worker -A proj -q\n',
      errors: [{ line: 1, column: 23, endLine: 1, endColumn: 30 }],
      output: 'worker: celery -q -A proj worker\n',
    },
  ],
});
