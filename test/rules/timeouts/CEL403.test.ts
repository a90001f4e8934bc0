import rule from '../../../rules/timeouts/CEL403-task-time-limit-missing.js';
import { ruleTester } from '../../rule-tester.js';

const tasks = (...defs: string[]) => `from app import app\n\n${defs.join('\n\n')}\n`;
const add = '@app.task\ndef add(x, y):\n    return x + y\n';
const limited = '@app.task(time_limit=60)\ndef slow(x):\n    return x\n';
const fetch =
  'import requests\n\n\n@app.task\ndef fetch(url):\n    return requests.get(url).text\n';
const BROKER = "broker_url = 'redis://redis:6379/0'\n";
const APP_SPAN = { file: 'app.py', line: 4, column: 1, endLine: 4, endColumn: 39 };

const PREFORK_DEFAULT =
  "No time limit applies to its task (tasks.add): neither task_time_limit nor task_soft_time_limit is set, no worker command passes --time-limit, and the tasks set no time_limit. A task that never returns keeps its pool process (prefork: Celery's default pool, as no worker command or worker_pool names one) forever, and once every slot is taken the worker stops consuming tasks. With task_time_limit the worker terminates the pool process of a task that runs longer and starts a new one.";

ruleTester(rule, {
  valid: [
    { name: 'task_time_limit is set', code: BROKER + 'task_time_limit = 300\n', files: { 'tasks.py': tasks(add) } },
    {
      // warehouse: config.registry["celery.app"].Task = WarehouseTask; the class may set time_limit for every task
      name: 'the app replaces its default task class (app.Task = ...): its limits are not in the model',
      code: BROKER,
      files: { 'tasks.py': tasks(add), 'app.py': "from celery import Celery, Task\n\nclass Limited(Task):\n    time_limit = 300\n\napp = Celery('proj')\napp.config_from_object('celeryconfig')\napp.Task = Limited\n" },
    },
    {
      name: 'the app is created with task_cls=',
      code: BROKER,
      files: { 'tasks.py': tasks(add), 'app.py': "from celery import Celery\n\napp = Celery('proj', task_cls='proj.base:LimitedTask')\napp.config_from_object('celeryconfig')\n" },
    },
    {
      name: 'a config module that does not parse (a template) may set the limit after the error: no claim',
      code: BROKER + 'X = [\n    {% for a in b %}\ntask_time_limit = 300\n',
      files: { 'tasks.py': tasks(add) },
    },
    { name: 'a soft limit is enough under prefork', code: BROKER + 'task_soft_time_limit = 240\n', files: { 'tasks.py': tasks(add) } },
    { name: 'the old alias is read in 5.2', code: "BROKER_URL = 'redis://redis:6379/0'\nCELERYD_TASK_TIME_LIMIT = 300\n", files: { 'tasks.py': tasks(add) } },
    { name: 'Celery 3.1 name', code: "BROKER_URL = 'redis://redis:6379/0'\nCELERYD_TASK_TIME_LIMIT = 300\n", celery: '3.1.25', files: { 'tasks.py': tasks(add) } },
    { name: 'the worker command passes --time-limit', code: BROKER, files: { 'tasks.py': tasks(add), Procfile: 'worker: celery -A app worker --time-limit=300 -l info\n' } },
    { name: 'the worker command passes --soft-time-limit', code: BROKER, files: { 'tasks.py': tasks(add), Procfile: 'worker: celery -A app worker --soft-time-limit 300\n' } },
    { name: 'every task sets its own time_limit', code: BROKER, files: { 'tasks.py': tasks(limited) } },
    { name: 'task_annotations give every task a limit', code: BROKER + "task_annotations = {'*': {'time_limit': 300}}\n", files: { 'tasks.py': tasks(add) } },
    { name: 'task_annotations name the task', code: BROKER + "task_annotations = {'tasks.add': {'soft_time_limit': 30}}\n", files: { 'tasks.py': tasks(add) } },
    { name: 'task_annotations that are not a literal dict', code: BROKER + "task_annotations = (MyAnnotate(),)\n", files: { 'tasks.py': tasks(add) } },
    { name: 'a limit from the environment (not known statically)', code: "import os\n\n" + BROKER + "task_time_limit = int(os.environ['LIMIT'])\n", files: { 'tasks.py': tasks(add) } },
    { name: 'a custom base class may set the limit', code: BROKER, files: { 'tasks.py': tasks('@app.task(base=TimedTask)\ndef add(x, y):\n    return x + y\n') } },
    { name: 'the solo pool enforces no time limit at all', code: BROKER, files: { 'tasks.py': tasks(add), Procfile: 'worker: celery -A app worker -P solo\n' } },
    { name: 'the threads and eventlet pools enforce none either', code: BROKER, files: { 'tasks.py': tasks(add), Procfile: 'a: celery -A app worker -P threads\nb: celery -A app worker -P eventlet\n' } },
    { name: 'no task in the project', code: BROKER },
    {
      // Netflix/lemur: the Flask config (a deploy-time file) is copied into the app, so a time limit may be set there
      name: 'conf.update() with a mapping that is not a literal: the limit may be in it, no claim',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery('app', broker='redis://r')\napp.conf.update(flask_app.config)\n",
      files: { 'tasks.py': tasks(add) },
    },
    {
      name: 'conf.update(**settings) with a mapping that is not a literal: no claim',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery('app', broker='redis://r')\napp.conf.update(task_serializer='json', **SETTINGS)\n",
      files: { 'tasks.py': tasks(add) },
    },
    {
      name: 'a config module that is not in the project (written at deploy time): no claim',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery('app')\napp.config_from_object('deploy_celeryconfig')\n",
      files: { 'tasks.py': tasks(add) },
    },
    { name: 'a misnamed key is CEL103/CEL106 territory', code: BROKER + 'TASK_TIME_LIMIT = 600\n', files: { 'tasks.py': tasks(add) } },
  ],
  invalid: [
    {
      name: 'no limit anywhere, default prefork pool: information, fix adds task_time_limit',
      code: BROKER,
      files: { 'tasks.py': tasks(add) },
      errors: [{ ...APP_SPAN, severity: 'info', messageExact: PREFORK_DEFAULT }],
      unsafe: true,
      output: BROKER + 'task_time_limit = 1800\n',
    },
    {
      name: 'the fix is unsafe: --fix alone changes nothing',
      code: BROKER,
      files: { 'tasks.py': tasks(add) },
      errors: [{ ...APP_SPAN }],
      output: null,
    },
    {
      name: 'task_time_limit = None and time_limit=0 are no limits',
      code: BROKER + 'task_time_limit = None\n',
      files: { 'tasks.py': tasks('@app.task(time_limit=0)\ndef add(x, y):\n    return x + y\n') },
      errors: [{ ...APP_SPAN, message: 'No time limit applies to its task (tasks.add)' }],
    },
    {
      name: 'a task calling requests without timeout makes it a warning',
      code: BROKER,
      files: { 'tasks.py': tasks(fetch, limited) },
      errors: [
        {
          ...APP_SPAN,
          severity: 'warning',
          message:
            'No time limit applies to 1 of its 2 tasks (tasks.fetch): neither task_time_limit nor task_soft_time_limit is set, no worker command passes --time-limit, and the tasks set no time_limit. A task that never returns (tasks.fetch calls requests.get without a timeout at tasks.py:8) keeps its pool process',
        },
      ],
    },
    {
      // pretalx: the last setting sits in an eager `else:` branch; the fix goes after the last unconditional one
      name: 'the fix is placed at module level, not in a branch',
      code: BROKER + "import os\nif os.environ.get('EAGER'):\n    task_always_eager = True\n",
      files: { 'tasks.py': tasks(add) },
      errors: [{ ...APP_SPAN, severity: 'info' }],
      unsafe: true,
      output: BROKER.replace(/\n$/, '\ntask_time_limit = 1800\n') + "import os\nif os.environ.get('EAGER'):\n    task_always_eager = True\n",
    },
    {
      name: 'every setting in a branch: no fix',
      code: "import os\nif os.environ.get('BROKER'):\n    broker_url = os.environ['BROKER']\nelse:\n    task_always_eager = True\n",
      files: { 'tasks.py': tasks(add) },
      errors: [{ ...APP_SPAN, severity: 'info' }],
      unsafe: true,
      output: null,
    },
    {
      name: 'gevent ignores soft limits: only task_soft_time_limit is set',
      code: BROKER + 'task_soft_time_limit = 100\n',
      files: { 'tasks.py': tasks(add), Procfile: 'worker: celery -A app worker -P gevent -c 100\n' },
      errors: [
        {
          ...APP_SPAN,
          messageExact:
            'No time limit applies to its task (tasks.add): task_soft_time_limit is set but the gevent pool does not implement soft time limits, task_time_limit is not set, no worker command passes --time-limit, and the tasks set no time_limit. A task that never returns keeps its gevent greenlet forever, and once every slot is taken the worker stops consuming tasks. With task_time_limit the gevent pool raises gevent.Timeout in a task that runs longer, but only when the task yields to the event loop.',
        },
      ],
      unsafe: true,
      output: BROKER + 'task_soft_time_limit = 100\ntask_time_limit = 1800\n',
    },
    {
      name: 'prefork and solo workers: the solo one is named',
      code: BROKER,
      files: { 'tasks.py': tasks(add), Procfile: 'a: celery -A app worker -P prefork\nb: celery -A app worker -P solo\n' },
      errors: [{ ...APP_SPAN, message: 'keeps its prefork pool process forever, and once every slot is taken the worker stops consuming tasks. With task_time_limit the worker terminates the pool process of a task that runs longer and starts a new one. The solo pool of the other workers enforces no time limit at all.' }],
    },
    {
      name: 'prefork and gevent workers: a soft limit does not stop the gevent ones',
      code: BROKER + 'task_soft_time_limit = 100\n',
      files: { 'tasks.py': tasks(add), Procfile: 'a: celery -A app worker\nb: celery -A app worker -P gevent\n' },
      errors: [{ ...APP_SPAN, message: 'keeps its worker slot forever, and once every slot is taken the worker stops consuming tasks. With task_time_limit the pool ends a task that runs longer (prefork terminates its process; gevent raises gevent.Timeout when the task yields).' }],
    },
    {
      name: 'an old-style module gets the old name (a new one would mix styles)',
      code: "BROKER_URL = 'redis://redis:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\n",
      celery: '4.4.7',
      files: { 'tasks.py': tasks(add) },
      errors: [{ ...APP_SPAN, message: 'neither task_time_limit nor task_soft_time_limit is set' }],
      unsafe: true,
      output: "BROKER_URL = 'redis://redis:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\nCELERYD_TASK_TIME_LIMIT = 1800\n",
    },
    {
      name: 'Celery 3.1 names the 3.1 setting',
      code: "BROKER_URL = 'redis://redis:6379/0'\n",
      celery: '3.1.25',
      files: { 'tasks.py': tasks(add) },
      errors: [{ ...APP_SPAN, message: 'neither CELERYD_TASK_TIME_LIMIT nor CELERYD_TASK_SOFT_TIME_LIMIT is set' }],
      unsafe: true,
      output: "BROKER_URL = 'redis://redis:6379/0'\nCELERYD_TASK_TIME_LIMIT = 1800\n",
    },
    {
      name: 'configured with conf.update: the fix adds a keyword',
      filename: 'app.py',
      code: "from celery import Celery\n\napp = Celery('proj')\napp.conf.update(\n    broker_url='redis://redis:6379/0',\n    task_acks_late=True,\n)\n",
      files: { 'tasks.py': tasks(add) },
      errors: [{ line: 3, column: 7, endLine: 3, endColumn: 21, message: 'No time limit applies to its task (tasks.add)' }],
      unsafe: true,
      output: "from celery import Celery\n\napp = Celery('proj')\napp.conf.update(\n    broker_url='redis://redis:6379/0',\n    task_acks_late=True, task_time_limit=1800,\n)\n",
    },
  ],
});
