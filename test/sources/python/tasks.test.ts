import { describe, expect, it } from 'vitest';
import { toPlain } from '../../../src/parse/pyvalue.js';
import { at, codeModel, taskSummary } from './code-helpers.js';

const PKG = { 'proj/__init__.py': '', 'proj/celery.py': "from celery import Celery\napp = Celery('proj')\n" };

describe('task definitions', () => {
  it('takes a module-level alias of shared_task or app.task, used here or in another module, as a task decorator (nautobot)', async () => {
    const m = await codeModel({
      ...PKG,
      'proj/decorators.py': "from celery import shared_task\nfrom proj.celery import app\n\nproj_task = shared_task\nbound_task = app.task\n\n\n@proj_task\ndef local():\n    pass\n",
      'proj/tasks.py': "from proj.decorators import proj_task, bound_task\nfrom proj.auth import login_required\n\n\n@proj_task(bind=True)\ndef fetch(self, url):\n    pass\n\n\n@bound_task\ndef ping():\n    pass\n\n\n@login_required\ndef view(request):\n    pass\n",
      'proj/auth.py': 'def login_required(f):\n    return f\n',
      'proj/views.py': "from proj.tasks import fetch\n\n\ndef go():\n    fetch.delay('u')\n",
    });
    expect(m.tasks.map((t) => [t.name, t.decorator, t.options.bind ? toPlain(t.options.bind.value) : null])).toEqual([
      ['proj.decorators.local', 'shared_task', null],
      ['proj.tasks.fetch', 'shared_task', true],
      ['proj.tasks.ping', 'shared_task', null],
    ]);
    expect(m.callSites.map((c) => [c.kind, c.task])).toEqual([['delay', 'proj.tasks.fetch']]);
  });

  it('finds @app.task, @app.task(...), @shared_task and the names Celery gives them', async () => {
    const m = await codeModel({
      ...PKG,
      'proj/tasks.py': [
        'from celery import shared_task',
        'from .celery import app',
        '',
        '@app.task',
        'def add(x, y):',
        '    return x + y',
        '',
        "@app.task(bind=True, name='custom.mul', ignore_result=True, time_limit=30)",
        'def mul(self, x, y):',
        '    return x * y',
        '',
        '@shared_task(serializer="pickle")',
        'def ping():',
        "    return 'pong'",
        '',
      ].join('\n'),
    });
    expect(m.tasks.map(taskSummary)).toEqual([
      { name: 'proj.tasks.add', decorator: 'app.task', function: 'add', bind: false, options: [], at: 'proj/tasks.py:5:1-6:17' },
      { name: 'custom.mul', decorator: 'app.task', function: 'mul', bind: true, options: ['bind', 'name', 'ignore_result', 'time_limit'], at: 'proj/tasks.py:9:1-10:17' },
      { name: 'proj.tasks.ping', decorator: 'shared_task', function: 'ping', bind: false, options: ['serializer'], at: 'proj/tasks.py:13:1-14:18' },
    ]);
    const mul = m.tasks[1]!;
    expect(mul.explicitName).toBe(true);
    expect(mul.appVariable).toBe('app');
    expect(at(mul.decoratorSpan)).toBe('proj/tasks.py:8:1-8:75');
    expect(at(mul.decoratorArgsSpan!)).toBe('proj/tasks.py:8:10-8:75');
    expect(at(mul.options.time_limit!.span)).toBe('proj/tasks.py:8:61-8:74');
    expect(toPlain(mul.options.time_limit!.value)).toBe(30);
    expect(at(mul.bodySpan)).toBe('proj/tasks.py:10:5-10:17');
    expect(m.tasks[0]!.decoratorArgsSpan).toBeUndefined();
  });

  it('finds the legacy @task / @periodic_task from celery.task and celery.decorators', async () => {
    const m = await codeModel({
      'reports/__init__.py': '',
      'reports/tasks.py': [
        'from celery.task import task, periodic_task',
        'from celery.decorators import task as old_task',
        'from celery.schedules import crontab',
        '',
        '@task',
        'def a():',
        '    pass',
        '',
        '@periodic_task(run_every=crontab(hour=3), ignore_result=True)',
        'def b():',
        '    pass',
        '',
        '@old_task()',
        'def c():',
        '    pass',
        '',
      ].join('\n'),
    });
    expect(m.tasks.map((t) => [t.name, t.decorator, Object.keys(t.options)])).toEqual([
      ['reports.tasks.a', 'legacy.task', []],
      ['reports.tasks.b', 'legacy.periodic_task', ['run_every', 'ignore_result']],
      ['reports.tasks.c', 'legacy.task', []],
    ]);
    expect(m.tasks.map((t) => [t.legacyDecorator?.written, t.legacyDecorator?.resolved, at(t.legacyDecorator!.span)])).toEqual([
      ['task', 'celery.task.task', 'reports/tasks.py:5:2-5:6'],
      ['periodic_task', 'celery.task.periodic_task', 'reports/tasks.py:9:2-9:15'],
      ['old_task', 'celery.decorators.task', 'reports/tasks.py:13:2-13:10'],
    ]);
  });

  it('takes `from celery import task` and `import celery` + `@celery.task` (the callable celery.task module of 3.1-4.x) for the legacy decorator', async () => {
    const m = await codeModel({
      'wiki/__init__.py': '',
      'wiki/tasks.py': [
        'import celery',
        'from celery import task',
        '',
        '@task',
        'def render_document(pk):',
        '    pass',
        '',
        '@task()',
        'def build_sitemaps():',
        '    pass',
        '',
        "@task(name='wiki.tasks.purge', rate_limit='10/m')",
        'def purge_documents(pks):',
        '    pass',
        '',
        '@celery.task(ignore_result=True)',
        'def clean_cache():',
        '    pass',
        '',
        '@task.periodic_task(run_every=60)',
        'def tick():',
        '    pass',
        '',
      ].join('\n'),
    });
    expect(m.tasks.map(taskSummary)).toEqual([
      { name: 'wiki.tasks.render_document', decorator: 'legacy.task', function: 'render_document', bind: false, options: [], at: 'wiki/tasks.py:5:1-6:9' },
      { name: 'wiki.tasks.build_sitemaps', decorator: 'legacy.task', function: 'build_sitemaps', bind: false, options: [], at: 'wiki/tasks.py:9:1-10:9' },
      { name: 'wiki.tasks.purge', decorator: 'legacy.task', function: 'purge_documents', bind: false, options: ['name', 'rate_limit'], at: 'wiki/tasks.py:13:1-14:9' },
      { name: 'wiki.tasks.clean_cache', decorator: 'legacy.task', function: 'clean_cache', bind: false, options: ['ignore_result'], at: 'wiki/tasks.py:17:1-18:9' },
      { name: 'wiki.tasks.tick', decorator: 'legacy.periodic_task', function: 'tick', bind: false, options: ['run_every'], at: 'wiki/tasks.py:21:1-22:9' },
    ]);
    expect(m.tasks.map((t) => [t.legacyDecorator?.written, t.legacyDecorator?.resolved, at(t.legacyDecorator!.span), t.appVariable])).toEqual([
      ['task', 'celery.task', 'wiki/tasks.py:4:2-4:6', undefined],
      ['task', 'celery.task', 'wiki/tasks.py:8:2-8:6', undefined],
      ['task', 'celery.task', 'wiki/tasks.py:12:2-12:6', undefined],
      ['celery.task', 'celery.task', 'wiki/tasks.py:16:2-16:13', undefined],
      ['task.periodic_task', 'celery.task.periodic_task', 'wiki/tasks.py:20:2-20:20', undefined],
    ]);
    expect(at(m.tasks[1]!.decoratorSpan)).toBe('wiki/tasks.py:8:1-8:8');
    expect(at(m.tasks[1]!.decoratorArgsSpan!)).toBe('wiki/tasks.py:8:6-8:8');
  });

  it('keeps @celery.task an app task when `celery` is an app variable, not the celery package', async () => {
    const m = await codeModel({
      'svc/__init__.py': '',
      'svc/worker.py': "from celery import Celery\ncelery = Celery('svc')\n\n@celery.task\ndef a():\n    pass\n",
      'svc/other.py': 'from svc.worker import celery\n\n@celery.task()\ndef b():\n    pass\n',
    });
    expect(m.tasks.map((t) => [t.name, t.decorator, t.appVariable, t.legacyDecorator])).toEqual([
      ['svc.other.b', 'app.task', 'celery', undefined],
      ['svc.worker.a', 'app.task', 'celery', undefined],
    ]);
  });

  it('finds class-based tasks with their class attributes, and skips abstract bases and bases without run()', async () => {
    const m = await codeModel({
      ...PKG,
      'proj/jobs.py': [
        'from celery import Task',
        'from proj.celery import app',
        '',
        'class Base(Task):',
        '    abstract = True',
        '    acks_late = True',
        '',
        'class Export(Base):',
        "    name = 'jobs.export'",
        '    ignore_result = True',
        '    def run(self, x):',
        '        return x',
        '',
        'class Other(app.Task):',
        '    def run(self):',
        '        pass',
        '',
        'class NotATask(object):',
        '    def run(self):',
        '        pass',
        '',
      ].join('\n'),
    });
    expect(m.tasks.map(taskSummary)).toEqual([
      { name: 'jobs.export', decorator: 'class', function: 'Export', bind: true, options: ['name', 'ignore_result'], at: 'proj/jobs.py:8:1-12:17' },
      { name: 'proj.jobs.Other', decorator: 'class', function: 'Other', bind: true, options: [], at: 'proj/jobs.py:14:1-16:13' },
    ]);
  });

  it('evaluates a class attribute with the module\'s names and the class\'s earlier ones, as Python does', async () => {
    const m = await codeModel({
      ...PKG,
      'proj/jobs.py': [
        'from celery import Task',
        '',
        'MINUTE = 60',
        '',
        'class Export(Task):',
        '    soft_time_limit = 5 * MINUTE',
        '    time_limit = soft_time_limit + MINUTE',
        '    def run(self):',
        '        pass',
        '',
      ].join('\n'),
    });
    const options = m.tasks[0]!.options;
    expect([options.soft_time_limit?.value, options.time_limit?.value].map((v) => (v?.kind === 'num' ? v.value : v?.kind))).toEqual([300, 360]);
    expect(options.time_limit?.span.start).toEqual({ line: 7, column: 5, offset: 95 });
  });

  it('does not take other libraries\' @x.task (huey) or unrelated decorators for Celery tasks', async () => {
    const m = await codeModel({
      'svc/__init__.py': '',
      'svc/jobs.py': [
        'from huey import RedisHuey',
        'from invoke import task',
        'huey = RedisHuey()',
        '',
        '@huey.task()',
        'def a():',
        '    pass',
        '',
        '@task',
        'def b(c):',
        '    pass',
        '',
      ].join('\n'),
    });
    expect(m.tasks).toEqual([]);
  });

  it('accepts an app built by a project factory and current_app', async () => {
    const m = await codeModel({
      'web/__init__.py': '',
      'web/worker.py': [
        'from celery import current_app',
        'from web.factory import make_celery',
        'celery = make_celery()',
        '',
        '@celery.task',
        'def a():',
        '    pass',
        '',
        '@current_app.task(acks_late=True)',
        'def b():',
        '    pass',
        '',
      ].join('\n'),
      'web/factory.py': 'def make_celery():\n    pass\n',
    });
    expect(m.tasks.map((t) => [t.name, t.appVariable])).toEqual([['web.worker.a', 'celery'], ['web.worker.b', 'current_app']]);
  });
});
