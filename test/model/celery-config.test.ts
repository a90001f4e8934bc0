import { beforeAll, describe, expect, it } from 'vitest';
import { initPython } from '../../src/parse/python.js';
import { celeryConfigSource } from '../../src/sources/python/celery-config.js';
import { appSettings, effectiveSettings } from '../../src/model/effective.js';
import { toPlain } from '../../src/parse/pyvalue.js';
import { contextFor, writeProject } from '../helpers/project.js';
import { buildModel } from '../../src/sources/build.js';
import { deploySources } from '../../src/sources/deploy/index.js';

beforeAll(async () => {
  await initPython();
});

function collect(files: Record<string, string>) {
  const { ctx, problems } = contextFor(files);
  const facts = celeryConfigSource.collect(ctx);
  return { ...facts, problems: [...problems, ...(facts.problems ?? [])], apps: facts.apps ?? [], configModules: facts.configModules ?? [] };
}

describe('Celery apps', () => {
  it('reads Celery() arguments, conf.update, conf attributes and items with exact spans', () => {
    const { apps } = collect({
      'proj/__init__.py': '',
      'proj/celery_app.py': [
        'import os',
        'from celery import Celery',
        "BROKER = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')",
        "app = Celery('proj', broker=BROKER, backend='redis://:pw@h:6379/1', include=['proj.tasks'])",
        "app.conf.update(task_serializer='json', accept_content=['json'])",
        "app.conf.update({'result_expires': 60 * 60})",
        "app.conf.timezone = 'UTC'",
        "app.conf['task_acks_late'] = True",
        '',
      ].join('\n'),
    });
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(app.id).toBe('proj/celery_app.py:app');
    expect(app.module).toBe('proj.celery_app');
    expect(toPlain(app.main!)).toBe('proj');
    expect(app.broker?.value).toMatchObject({ kind: 'env', name: 'CELERY_BROKER_URL', default: { kind: 'str', value: 'redis://localhost:6379/0' } });
    expect(app.include && toPlain(app.include)).toEqual(['proj.tasks']);
    expect(app.directSettings.map((s) => [s.name, s.key, s.origin, toPlain(s.value)])).toEqual([
      ['broker', 'broker_url', 'celery-arg', 'redis://localhost:6379/0'],
      ['backend', 'result_backend', 'celery-arg', 'redis://:pw@h:6379/1'],
      ['include', 'include', 'celery-arg', ['proj.tasks']],
      ['task_serializer', 'task_serializer', 'conf-update', 'json'],
      ['accept_content', 'accept_content', 'conf-update', ['json']],
      ['result_expires', 'result_expires', 'conf-update', 3600],
      ['timezone', 'timezone', 'conf-attr', 'UTC'],
      ['task_acks_late', 'task_acks_late', 'conf-item', true],
    ]);
    const expires = app.directSettings[5]!;
    // the name span of a dict key covers the text inside the quotes
    expect([expires.nameSpan.start.line, expires.nameSpan.start.column, expires.nameSpan.end.column]).toEqual([6, 19, 33]);
    const item = app.directSettings[7]!;
    expect([item.nameSpan.start.line, item.nameSpan.start.column, item.nameSpan.end.column]).toEqual([8, 11, 25]);
    expect([item.span.start.column, item.span.end.column]).toEqual([1, 34]); // end is exclusive
  });

  it('resolves config_from_object to the module file and reads its settings', () => {
    const { apps, configModules } = collect({
      'proj/__init__.py': '',
      'proj/celery.py': "from celery import Celery\napp = Celery('proj')\napp.config_from_object('proj.celeryconfig')\napp.autodiscover_tasks(['proj.a'])\n",
      'proj/celeryconfig.py': "REDIS = 'redis://r:6379'\nbroker_url = REDIS + '/0'\nCELERY_RESULT_SERIALIZER = 'msgpack'\nCELERY_ACCEPT_CONTENT = ['json', 'msgpack']\nworker_concurrency = int('4')\n",
    });
    const app = apps[0]!;
    expect(app.configSources).toHaveLength(1);
    expect(app.configSources[0]).toMatchObject({ kind: 'config_from_object', module: 'proj.celeryconfig', file: 'proj/celeryconfig.py' });
    expect(app.autodiscover.map((a) => a.packages && toPlain(a.packages))).toEqual([['proj.a']]);
    expect(configModules).toHaveLength(1);
    const settings = configModules[0]!.settings;
    expect(settings.map((s) => [s.name, toPlain(s.value)])).toEqual([
      ['REDIS', 'redis://r:6379'],
      ['broker_url', 'redis://r:6379/0'],
      ['CELERY_RESULT_SERIALIZER', 'msgpack'],
      ['CELERY_ACCEPT_CONTENT', ['json', 'msgpack']],
      ['worker_concurrency', undefined],
    ]);
    expect(settings[4]!.value).toMatchObject({ kind: 'unknown', text: "int('4')" });
    expect(settings[2]!.nameSpan).toMatchObject({ file: 'proj/celeryconfig.py', start: { line: 3, column: 1 }, end: { line: 3, column: 25 } });
  });

  it('follows Django split settings and applies the CELERY namespace', () => {
    const { apps, configModules, problems } = collect({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
      'config/__init__.py': '',
      'config/settings/__init__.py': '',
      'config/settings/base.py': "CELERY_BROKER_URL = 'redis://base:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\nTASK_TIME_LIMIT = 600\ncelery_lower = 1\n",
      'config/settings/production.py': "from .base import *  # noqa\nimport environ\nenv = environ.Env()\nCELERY_BROKER_URL = env('CELERY_BROKER_URL', default='redis://redis:6379/0')\n",
      'config/celery_app.py': "import os\nfrom celery import Celery\napp = Celery('config')\napp.config_from_object('django.conf:settings', namespace='CELERY')\napp.autodiscover_tasks()\n",
    });
    expect(problems).toEqual([]);
    const app = apps[0]!;
    expect(app.namespace).toBe('CELERY');
    expect(app.configSources[0]).toMatchObject({ module: 'config.settings.production', file: 'config/settings/production.py', namespace: 'CELERY' });
    expect(configModules[0]!.chain).toEqual(['config/settings/base.py', 'config/settings/production.py']);
    expect(configModules[0]!.isDjango).toBe(true);
    const all = appSettings(app, { configModules });
    expect(all.filter((s) => s.fact.name.startsWith('CELERY') || s.fact.name.startsWith('TASK')).map((s) => [s.fact.name, s.key, s.fact.span.file, s.notRead ?? null])).toEqual([
      ['CELERY_BROKER_URL', 'broker_url', 'config/settings/base.py', null],
      ['CELERY_TASK_SERIALIZER', 'task_serializer', 'config/settings/base.py', null],
      ['TASK_TIME_LIMIT', 'TASK_TIME_LIMIT', 'config/settings/base.py', 'outside the CELERY namespace'],
      ['CELERY_BROKER_URL', 'broker_url', 'config/settings/production.py', null],
    ]);
    // lower-case names are not Django settings at all
    expect(all.some((s) => s.fact.name === 'celery_lower')).toBe(false);
    const eff = effectiveSettings(app, { configModules });
    expect(eff.get('broker_url')?.fact.value).toMatchObject({ kind: 'env', name: 'CELERY_BROKER_URL', default: { kind: 'str', value: 'redis://redis:6379/0' } });
    expect(eff.get('broker_url')?.fact.span.file).toBe('config/settings/production.py');
  });

  it('records conf.update() of a mapping that is not a literal as a config source it cannot read', () => {
    const { apps, problems } = collect({
      'proj/celery.py':
        "from celery import Celery\napp = Celery('proj')\napp.conf.update(flask_app.config)\n" +
        "app.conf.update({'task_acks_late': True}, **{'result_expires': 60})\napp.conf.update(x=1, **EXTRA)\n",
    });
    expect(problems).toEqual([]);
    expect(apps[0]!.configSources.map((r) => [r.kind, r.target.kind === 'unknown' ? r.target.text : r.target.kind, r.span.start.line, r.span.start.column, r.file ?? null])).toEqual([
      ['conf_update', 'flask_app.config', 3, 1, null],
      ['conf_update', 'EXTRA', 5, 1, null],
    ]);
    expect(apps[0]!.directSettings.map((f) => f.name)).toEqual(['task_acks_late', 'result_expires', 'x']);
  });

  it('leaves out apps built in test files: a fixture no worker runs is not the project app', () => {
    // warehouse: tests/unit/test_tasks.py does `task.app = Celery()`; the real app lives elsewhere
    const { apps } = collect({
      'proj/__init__.py': '',
      'proj/worker.py': "from celery import Celery\napp = Celery('proj', broker='redis://r')\n",
      'tests/unit/test_tasks.py': "from celery import Celery\n\ndef test_hook(task):\n    task.app = Celery()\n",
      'proj/conftest.py': "from celery import Celery\ncelery_app = Celery('t', broker='memory://')\n",
    });
    expect(apps.map((a) => [a.id, a.span.start.line, a.span.start.column])).toEqual([['proj/worker.py:app', 2, 7]]);
  });

  it('lists the names a Django settings chain reads back itself (helpers), not attributes or bindings', () => {
    const { configModules } = collect({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
      'proj/__init__.py': '',
      'proj/base.py': "import os\nredis_host = os.getenv('REDIS_HOST', 'localhost')\nbroker_url = 'redis://r'\n",
      'proj/settings.py':
        "from .base import *\nCACHES = {'default': {'LOCATION': f'redis://{redis_host}/0'}}\n" +
        "result_backend = 'redis://r'\nX = dict(broker_url=1)\nY = CACHES.result_backend\n",
      'proj/celery.py': "from celery import Celery\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n",
    });
    expect(configModules.map((m) => [m.file, m.localReads ?? null])).toEqual([['proj/settings.py', ['CACHES', 'redis_host']]]);
  });

  it('takes os.environ["DJANGO_SETTINGS_MODULE"] = ... in the app module over setdefault elsewhere (kpi)', () => {
    const { apps, configModules } = collect({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
      'proj/__init__.py': '',
      'proj/settings.py': "CELERY_BROKER_URL = 'amqp://h//'\n",
      'proj/settings_celery.py': 'from .settings import *\nCELERY_TASK_TIME_LIMIT = 600\n',
      'proj/celery.py':
        "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n" +
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings_celery'\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n",
    });
    expect(apps[0]!.configSources.map((r) => r.file)).toEqual(['proj/settings_celery.py']);
    expect(configModules.map((m) => m.settings.map((f) => f.name))).toEqual([['CELERY_BROKER_URL', 'CELERY_TASK_TIME_LIMIT']]);
  });

  it('evaluates a setting from a name imported from another settings module or star-imported before (PostHog)', () => {
    const { configModules } = collect({
      'proj/__init__.py': '',
      'proj/celery.py': "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n",
      'proj/settings/__init__.py': 'from proj.settings.base import *\nfrom proj.settings.celery import *\n',
      'proj/settings/base.py': "REDIS_HOST = 'cache'\n",
      'proj/settings/data_stores.py': "import os\nREDIS_URL = os.getenv('REDIS_URL', 'redis://localhost/')\n",
      'proj/settings/celery.py': 'from proj.settings.data_stores import REDIS_URL as URL\nfrom .base import *\nCELERY_BROKER_URL = URL\nCELERY_RESULT_BACKEND = f"redis://{REDIS_HOST}/1"\nCELERY_DEFAULT_QUEUE = REDIS_HOST\n',
    });
    const values = Object.fromEntries(configModules[0]!.settings.map((f) => [f.name, toPlain(f.value)]));
    expect([values.CELERY_BROKER_URL, values.CELERY_DEFAULT_QUEUE]).toEqual(['redis://localhost/', 'cache']);
  });

  it('reports a config module it cannot find, and survives star-import loops', () => {
    const { problems, configModules } = collect({
      'a/__init__.py': '',
      'a/app.py': "from celery import Celery\napp = Celery()\napp.config_from_object('a.missing')\nother = Celery()\nother.config_from_object('a.loop1')\n",
      'a/loop1.py': 'from a.loop2 import *\nX = 1\n',
      'a/loop2.py': 'from a.loop1 import *\nY = 2\n',
    });
    expect(problems.map((p) => p.message)).toEqual(['config module a.missing not found in the project; its settings are not analysed']);
    expect(configModules[0]!.chain).toEqual(['a/loop2.py', 'a/loop1.py']);
    expect(configModules[0]!.settings.map((s) => s.name)).toEqual(['Y', 'X']);
  });
});

describe('config patterns seen in real projects', () => {
  it('follows django-split-settings include() with optional() and globs, relative to the including file (DefectDojo)', () => {
    const { apps, configModules, problems } = collect({
      'dojo/__init__.py': '',
      'dojo/celery.py': "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dojo.settings.settings')\napp = Celery('dojo')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n",
      'dojo/settings/__init__.py': '',
      'dojo/settings/settings.py': "from split_settings.tools import include, optional\n\ninclude(\n    'settings.dist.py',\n    optional('local_settings.py'),\n    'components/*.py',\n    'missing.py',\n)\n",
      'dojo/settings/settings.dist.py': "CELERY_BROKER_URL = 'redis://r:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\n",
      'dojo/settings/components/b.py': 'CELERY_WORKER_CONCURRENCY = 2\n',
      'dojo/settings/components/a.py': 'CELERY_TASK_ACKS_LATE = True\n',
    });
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      ['dojo/settings/settings.py', 'cannot follow include("missing.py"): no such file in the project'],
    ]);
    expect(apps[0]!.configSources[0]).toMatchObject({ module: 'dojo.settings.settings', file: 'dojo/settings/settings.py' });
    expect(configModules[0]!.chain).toEqual([
      'dojo/settings/settings.dist.py',
      'dojo/settings/components/a.py',
      'dojo/settings/components/b.py',
      'dojo/settings/settings.py',
    ]);
    const eff = effectiveSettings(apps[0]!, { configModules });
    expect([...eff.entries()].map(([k, s]) => [k, toPlain(s.fact.value), s.fact.span.file, s.fact.span.start.line])).toEqual([
      ['broker_url', 'redis://r:6379/0', 'dojo/settings/settings.dist.py', 1],
      ['task_serializer', 'json', 'dojo/settings/settings.dist.py', 2],
      ['task_acks_late', true, 'dojo/settings/components/a.py', 1],
      ['worker_concurrency', 2, 'dojo/settings/components/b.py', 1],
    ]);
  });

  it('does not take Django URL include() for split settings', () => {
    const { configModules, problems } = collect({
      'p/__init__.py': '',
      'p/celery.py': "from celery import Celery\napp = Celery('p')\napp.config_from_object('p.conf')\n",
      'p/conf.py': "from django.urls import include\ninclude('x.py')\nbroker_url = 'redis://'\n",
    });
    expect(problems).toEqual([]);
    expect(configModules[0]!.chain).toEqual(['p/conf.py']);
  });

  it('reads settings assigned only under module-level if/else/try, keeping unconditional values (kitsune, DefectDojo)', () => {
    const { apps, configModules } = collect({
      'k/__init__.py': '',
      'k/celery.py': "from celery import Celery\napp = Celery('k')\napp.config_from_object('k.settings', namespace='CELERY')\n",
      'k/settings.py': [
        'import os',
        "CELERY_TASK_ALWAYS_EAGER = False",
        "if os.environ.get('DEBUG'):",
        '    CELERY_TASK_ALWAYS_EAGER = True',
        "if os.environ.get('LIMIT'):",
        '    CELERY_TASK_TIME_LIMIT = 600',
        'try:',
        "    CELERY_BROKER_URL = os.environ['BROKER']",
        'except KeyError:',
        "    CELERY_BROKER_URL = 'redis://fallback'",
        'def helper():',
        '    CELERY_WORKER_CONCURRENCY = 8',
        'for i in range(2):',
        '    CELERY_TASK_ACKS_LATE = True',
        '',
      ].join('\n'),
    });
    expect(configModules[0]!.settings.map((s) => [s.name, toPlain(s.value), s.span.start.line, s.span.start.column])).toEqual([
      ['CELERY_TASK_ALWAYS_EAGER', false, 2, 1],
      ['CELERY_TASK_TIME_LIMIT', 600, 6, 5],
      ['CELERY_BROKER_URL', undefined, 8, 5],
      ['CELERY_BROKER_URL', 'redis://fallback', 10, 5],
    ]);
    const eff = effectiveSettings(apps[0]!, { configModules });
    expect(toPlain(eff.get('task_always_eager')!.fact.value)).toBe(false);
    expect(eff.get('task_time_limit')!.fact.nameSpan).toMatchObject({ start: { line: 6, column: 5 }, end: { line: 6, column: 27 } });
    expect(eff.has('worker_concurrency')).toBe(false);
    expect(eff.has('task_acks_late')).toBe(false);
  });

  it('takes an object from a factory as an app when config_from_object is called on it (Mayan EDMS)', () => {
    const { apps, configModules } = collect({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mayan.settings')\n",
      'mayan/__init__.py': '',
      'mayan/settings.py': "CELERY_TASK_TIME_LIMIT = 60\n",
      'mayan/celery.py': "from .runtime import celery_class\napp = celery_class('mayan')\napp.config_from_object('django.conf:settings', namespace='CELERY')\napp.autodiscover_tasks()\nhelper = make_helper()\n",
      'other/__init__.py': '',
      'other/app.py': "from celery import Celery\nclass MyCelery(Celery):\n    pass\nworker = MyCelery('other', broker='redis://o')\n",
    });
    expect(apps.map((a) => [a.id, toPlain(a.main!), a.namespace ?? null, a.span.start.line, a.span.start.column])).toEqual([
      ['mayan/celery.py:app', 'mayan', 'CELERY', 2, 7],
      ['other/app.py:worker', 'other', null, 4, 10],
    ]);
    expect(apps[0]!.configSources[0]).toMatchObject({ module: 'mayan.settings', file: 'mayan/settings.py' });
    expect(apps[0]!.autodiscover).toHaveLength(1);
    expect(configModules.map((m) => m.file)).toEqual(['mayan/settings.py']);
    expect(apps[1]!.directSettings.map((s) => [s.key, toPlain(s.value)])).toEqual([['broker_url', 'redis://o']]);
  });

  it('takes an app kept under a string key (Pyramid registry, Flask extensions) with its conf.update (warehouse)', () => {
    const { apps } = collect({
      'web/tasks.py': [
        'import celery',
        '',
        'def includeme(config):',
        '    config.registry["celery.app"] = celery.Celery("web", autofinalize=False)',
        '    config.registry["celery.app"].conf.update(broker_url="redis://r", task_acks_late=True)',
        '    config.registry["celery.app"].conf["task_time_limit"] = 60',
        '    config.registry[name] = celery.Celery("other")',
        '',
      ].join('\n'),
    });
    expect(apps.map((a) => [a.id, toPlain(a.main!), a.span.start.line, a.span.start.column])).toEqual([['web/tasks.py:config.registry["celery.app"]', 'web', 4, 37]]);
    expect(apps[0]!.directSettings.map((s) => [s.key, toPlain(s.value), s.origin, s.nameSpan.start.line])).toEqual([
      ['broker_url', 'redis://r', 'conf-update', 5],
      ['task_acks_late', true, 'conf-update', 5],
      ['task_time_limit', 60, 'conf-item', 6],
    ]);
  });

  it('takes an instance of a Celery subclass defined in another module as an app (indico), not any imported class', () => {
    const { apps } = collect({
      'indico/__init__.py': '',
      'indico/core/__init__.py': '',
      'indico/core/celery/__init__.py': "from .core import IndicoCelery\nfrom indico.util import Registry\n\ncelery = IndicoCelery('indico')\ncelery.conf.update(task_acks_late=True)\nregistry = Registry('x')\n",
      'indico/core/celery/core.py': "from celery import Celery\n\nclass IndicoCelery(Celery):\n    pass\n",
      'indico/util.py': 'class Registry:\n    pass\n',
    });
    expect(apps.map((a) => [a.id, toPlain(a.main!), a.span.start.line, a.directSettings.map((d) => d.key), a.configSources.map((r) => r.kind)])).toEqual([
      ['indico/core/celery/__init__.py:celery', 'indico', 4, ['task_acks_late'], []],
    ]);
  });

  it('reads every Celery() keyword that is not a parameter as a setting, and a **splat as configuration it cannot read', () => {
    const { apps } = collect({
      'app.py': "from celery import Celery\n\nopts = {'task_acks_late': True}\napp = Celery('proj', broker='redis://r', task_time_limit=60, namespace='CELERY', autofinalize=False)\nother = Celery('other', **opts)\n",
    });
    expect(apps.map((a) => [a.id, a.directSettings.map((s) => [s.name, s.key, s.origin, toPlain(s.value)]), a.configSources.map((r) => r.kind)])).toEqual([
      ['app.py:app', [['broker', 'broker_url', 'celery-arg', 'redis://r'], ['task_time_limit', 'task_time_limit', 'celery-arg', 60]], []],
      ['app.py:other', [], ['conf_update']],
    ]);
  });

  it('joins configuration given to an app in another module (Superset, Flask factories) to the app', () => {
    const { apps, configModules } = collect({
      'proj/__init__.py': '',
      'proj/extensions.py': 'import celery\n\ncelery_app = celery.Celery()\n',
      'proj/init.py': "from proj.extensions import celery_app\n\n\ndef init():\n    celery_app.config_from_object('proj.celeryconfig')\n    celery_app.conf.update(task_acks_late=True)\n",
      'proj/factory.py': 'from proj import extensions\n\n\ndef create(flask_app):\n    extensions.celery_app.conf.update(flask_app.config)\n',
      'proj/celeryconfig.py': 'task_time_limit = 60\n',
      'proj/other.py': "from celery import current_app\n\ncurrent_app.conf.update(task_acks_late=False)\n",
    });
    expect(apps.map((a) => [a.id, a.configSources.map((r) => [r.kind, r.file ?? null, r.span.file]), a.directSettings.map((d) => [d.key, d.span.file])])).toEqual([
      ['proj/extensions.py:celery_app', [['conf_update', null, 'proj/factory.py'], ['config_from_object', 'proj/celeryconfig.py', 'proj/init.py']], [['task_acks_late', 'proj/init.py']]],
    ]);
    expect(configModules.map((m) => m.file)).toEqual(['proj/celeryconfig.py']);
  });

  it("reads config_from_object('mod:Class') and ('mod.Class') from the class, bases included, not the module", () => {
    const settings = 'import os\nOVERRIDE = os.environ.get("X")\n\n\nclass Base:\n    task_acks_late = True\n\n\nclass CeleryConfig(Base):\n    broker_url = "redis://r"\n    _private = 1\n\n\nplain = {"broker_url": "x"}\n';
    const { apps, configModules } = collect({
      'proj/__init__.py': '',
      'proj/settings.py': settings,
      'proj/celery.py': "from celery import Celery\n\napp = Celery('proj')\napp.config_from_object('proj.settings:CeleryConfig')\n",
      'proj/dotted.py': "from celery import Celery\n\nother = Celery('other')\nother.config_from_object('proj.settings.CeleryConfig')\n",
      'proj/object.py': "from celery import Celery\n\nthird = Celery('third')\nthird.config_from_object('proj.settings:plain')\n",
    });
    expect(apps.map((a) => [a.id, a.configSources.map((r) => [r.module ?? null, r.file ?? null])])).toEqual([
      ['proj/celery.py:app', [['proj.settings:CeleryConfig', 'proj/settings.py']]],
      ['proj/dotted.py:other', [['proj.settings:CeleryConfig', 'proj/settings.py']]],
      ['proj/object.py:third', [[null, null]]],
    ]);
    expect(configModules.map((m) => [m.module, m.settings.map((f) => [f.name, f.span.start.line])])).toEqual([
      ['proj.settings:CeleryConfig', [['task_acks_late', 6], ['broker_url', 10]]],
    ]);
  });

  it('finds an instance of a project Celery subclass in a module that never says "Celery"', () => {
    const { apps } = collect({
      'proj/__init__.py': '',
      'proj/base.py': 'from celery import Celery\n\nclass ProjApp(Celery):\n    pass\n',
      'proj/worker.py': "from proj.base import ProjApp\n\napp = ProjApp('proj')\napp.conf.update(task_acks_late=True)\n",
      'proj/other.py': "from proj.util import Registry\n\nregistry = Registry('x')\n",
    });
    expect(apps.map((a) => [a.id, toPlain(a.main!), a.directSettings.map((d) => d.key)])).toEqual([['proj/worker.py:app', 'proj', ['task_acks_late']]]);
  });

  it('a Celery subclass with methods may configure its apps: their configuration is marked as not all readable', () => {
    const core = "from celery import Celery\n\nclass IndicoCelery(Celery):\n    def init_app(self, app):\n        self.conf['task_time_limit'] = 60\n";
    const { apps } = collect({
      'indico/__init__.py': '',
      'indico/core.py': core,
      'indico/celery.py': "from .core import IndicoCelery\n\ncelery = IndicoCelery('indico')\n",
      'local.py': core + "\napp = IndicoCelery('local')\n",
    });
    expect(apps.map((a) => [a.id, a.configSources.map((r) => [r.kind, r.target.kind === 'unknown' ? r.target.text : undefined, r.span.start.line, r.span.start.column])])).toEqual([
      ['indico/celery.py:celery', [['subclass', 'indico.core.IndicoCelery', 3, 10]]],
      ['local.py:app', [['subclass', 'IndicoCelery', 7, 7]]],
    ]);
  });

  it('reads config_from_object({...}) dict keys as the configuration (flower docs)', () => {
    const { apps, problems } = collect({
      'tasks.py': "from celery import Celery\ncelery = Celery()\ncelery.config_from_object({\n    'BROKER_URL': 'amqp://h',\n    'CELERYD_POOL_RESTARTS': True,\n})\nother = Celery()\nother.config_from_object({'CELERY_TASK_ACKS_LATE': True}, namespace='CELERY')\n",
    });
    expect(problems).toEqual([]);
    expect(apps[0]!.directSettings.map((s) => [s.name, s.key, s.origin, toPlain(s.value), s.nameSpan.start.line, s.nameSpan.start.column, s.nameSpan.end.column])).toEqual([
      ['BROKER_URL', 'BROKER_URL', 'conf-update', 'amqp://h', 4, 6, 16],
      ['CELERYD_POOL_RESTARTS', 'CELERYD_POOL_RESTARTS', 'conf-update', true, 5, 6, 27],
    ]);
    expect(apps[1]!.directSettings.map((s) => [s.name, s.key])).toEqual([['CELERY_TASK_ACKS_LATE', 'task_acks_late']]);
  });

  it('reads class-based settings exported with Cls.load_settings(__name__), bases first (Read the Docs)', () => {
    const { apps, configModules } = collect({
      'rtd/__init__.py': '',
      'rtd/worker.py': "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rtd.settings.docker')\napp = Celery('rtd')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n",
      'rtd/settings/__init__.py': '',
      'rtd/settings/base.py': "class Settings:\n    pass\n\nclass CommunityBase(Settings):\n    CELERY_TASK_TIME_LIMIT = 60 * 60\n    CELERY_TASK_ALWAYS_EAGER = True\n    _private = 1\n    lower = 2\n\n    @property\n    def DATABASES(self):\n        return {}\n",
      'rtd/settings/docker.py': "from .base import CommunityBase as Base\n\nclass DockerSettings(Base):\n    CELERY_TASK_ALWAYS_EAGER = False\n\nDockerSettings.load_settings(__name__)\n",
    });
    expect(configModules[0]!.chain).toEqual(['rtd/settings/base.py', 'rtd/settings/docker.py']);
    expect(configModules[0]!.settings.map((s) => [s.name, toPlain(s.value), s.span.file, s.span.start.line, s.span.start.column])).toEqual([
      ['CELERY_TASK_TIME_LIMIT', 3600, 'rtd/settings/base.py', 5, 5],
      ['CELERY_TASK_ALWAYS_EAGER', true, 'rtd/settings/base.py', 6, 5],
      ['CELERY_TASK_ALWAYS_EAGER', false, 'rtd/settings/docker.py', 4, 5],
    ]);
    const eff = effectiveSettings(apps[0]!, { configModules });
    expect(toPlain(eff.get('task_time_limit')!.fact.value)).toBe(3600);
    expect(eff.get('task_always_eager')!.fact.span.file).toBe('rtd/settings/docker.py');
  });
});

describe('the settings module a deploy gives', () => {
  const files = (extra: Record<string, string>) => ({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')\n",
    'proj/__init__.py': '',
    'proj/settings/__init__.py': '',
    'proj/settings/dev.py': 'CELERY_TASK_TIME_LIMIT = 60\n',
    'proj/settings/docker.py': "CELERY_BROKER_URL = 'redis://db-redis:6379/1'\n",
    ...extra,
  });
  const celeryPy = (line: string) => `import os\nfrom celery import Celery\n${line}\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n`;
  const modulesOf = async (project: Record<string, string>) => {
    const model = await buildModel(writeProject(project), [], { sources: [...deploySources, celeryConfigSource] });
    return model.configModules.map((m) => m.module);
  };

  it('wins over os.environ.setdefault (SEED: compose sets config.settings.docker)', async () => {
    const compose = 'services:\n  worker:\n    command: celery -A proj worker\n    environment:\n      - DJANGO_SETTINGS_MODULE=proj.settings.docker\n';
    expect(await modulesOf(files({ 'proj/celery.py': celeryPy("os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')"), 'docker-compose.yml': compose }))).toEqual(['proj.settings.docker']);
    // a shell default `${DJANGO_SETTINGS_MODULE:-...}` names the module too
    const script = '#!/bin/sh\nexport DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-proj.settings.docker}"\nexec celery -A proj worker\n';
    expect(await modulesOf(files({ 'proj/celery.py': celeryPy(''), 'start.sh': script }))).toEqual(['proj.settings.docker']);
  });

  it('loses to os.environ[...] = ... in the app module, and to nothing when deploys disagree', async () => {
    const compose = (m: string) => `services:\n  worker:\n    command: celery -A proj worker\n    environment:\n      - DJANGO_SETTINGS_MODULE=${m}\n`;
    expect(await modulesOf(files({ 'proj/celery.py': celeryPy("os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings.dev'"), 'docker-compose.yml': compose('proj.settings.docker') }))).toEqual(['proj.settings.dev']);
    expect(await modulesOf(files({ 'proj/celery.py': celeryPy(''), 'docker-compose.yml': compose('proj.settings.docker'), 'docker-compose.ci.yml': compose('proj.settings.dev') }))).toEqual(['proj.settings.dev']);
  });
});

describe('an app in a test folder', () => {
  const project = (extra: Record<string, string>) => ({
    'tests/proj/__init__.py': '',
    'tests/proj/celery.py': "from celery import Celery\n\napp = Celery('proj', broker='redis://localhost:6379/1')\n",
    'tests/docker-entrypoint.sh': '#!/bin/sh\ncelery -A proj worker -l info\n',
    ...extra,
  });
  const appsOf = async (files: Record<string, string>) =>
    (await buildModel(writeProject(files), [], { sources: [...deploySources, celeryConfigSource] })).apps.map((a) => a.id);

  it('is the project\'s app when a shipped worker command runs it and no other app answers to -A (openwisp)', async () => {
    expect(await appsOf(project({}))).toEqual(['tests/proj/celery.py:app']);
    // tests/ a package too: run from tests/, the module is proj.celery all the same
    expect(await appsOf(project({ 'tests/__init__.py': '' }))).toEqual(['tests/proj/celery.py:app']);
  });

  it('stays a fixture when the command names an app outside the tests, or no command names it', async () => {
    expect(await appsOf(project({ 'proj/__init__.py': '', 'proj/celery.py': "from celery import Celery\n\napp = Celery('proj')\n" }))).toEqual(['proj/celery.py:app']);
    expect(await appsOf(project({ 'tests/docker-entrypoint.sh': '#!/bin/sh\ncelery -A other worker\n' }))).toEqual([]);
  });
});
