import { describe, expect, it } from 'vitest';
import { toPlain } from '../../../src/parse/pyvalue.js';
import { at, callSummary, codeModel } from './code-helpers.js';

const TASKS = {
  'proj/__init__.py': '',
  'proj/celery.py': "from celery import Celery\napp = Celery('proj')\n",
  'proj/tasks.py': [
    'from proj.celery import app',
    '',
    '@app.task',
    'def add(x, y):',
    '    return x + y',
    '',
    "@app.task(name='reports.render')",
    'def render(x):',
    '    return x',
    '',
  ].join('\n'),
};

describe('call sites', () => {
  it('links delay/apply_async through imports and says how each result is used', async () => {
    const m = await codeModel({
      ...TASKS,
      'proj/views.py': [
        'from proj import tasks',
        'from proj.tasks import add, render as r',
        '',
        'def view(request):',
        '    add.delay(1, 2)',
        '    res = tasks.add.apply_async((1, 2), countdown=10, serializer="json")',
        '    unused = r.delay(3)',
        '    pending.append(add.delay(4, 5))',
        '    return res.id',
        '',
        'def other():',
        '    return r.apply_async(args=[1], kwargs={})',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map(callSummary)).toEqual([
      { kind: 'delay', receiver: 'add', at: 'proj/views.py:5:5-5:20', task: 'proj.tasks.add', resultUsage: 'discarded', inFunction: 'view' },
      { kind: 'apply_async', receiver: 'tasks.add', at: 'proj/views.py:6:11-6:73', task: 'proj.tasks.add', resultUsage: 'assigned', boundTo: 'res', inFunction: 'view', options: ['countdown', 'serializer'] },
      { kind: 'delay', receiver: 'r', at: 'proj/views.py:7:14-7:24', task: 'reports.render', resultUsage: 'discarded', boundTo: 'unused', inFunction: 'view' },
      { kind: 'delay', receiver: 'add', at: 'proj/views.py:8:20-8:35', task: 'proj.tasks.add', resultUsage: 'argument', inFunction: 'view' },
      { kind: 'apply_async', receiver: 'r', at: 'proj/views.py:12:12-12:46', task: 'reports.render', resultUsage: 'returned', inFunction: 'other', options: ['args', 'kwargs'] },
    ]);
    expect(toPlain(m.callSites[1]!.options.countdown!.value)).toBe(10);
  });

  it('traces result reads (get/join/ready/.result/.state) to the send they came from, with timeouts', async () => {
    const m = await codeModel({
      ...TASKS,
      'proj/api.py': [
        'from celery.result import AsyncResult',
        'from proj.tasks import add',
        '',
        'def a():',
        '    res = add.delay(1, 2)',
        '    if res.ready():',
        '        return res.get(timeout=5)',
        '    return res.get()',
        '',
        'def b(task_id):',
        '    r = AsyncResult(task_id)',
        '    return {"state": r.state, "value": r.result, "x": r.get(None)}',
        '',
        'def c(data):',
        '    return data.get("x"), add.delay(1, 1).get(3)',
        '',
        'def d(res):',
        '    return res.get()',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map(callSummary)).toEqual([
      { kind: 'delay', receiver: 'add', at: 'proj/api.py:5:11-5:26', task: 'proj.tasks.add', resultUsage: 'assigned', boundTo: 'res', inFunction: 'a' },
      { kind: 'ready', receiver: 'res', at: 'proj/api.py:6:8-6:19', task: 'proj.tasks.add', inFunction: 'a', resultOf: 'delay@5:proj.tasks.add' },
      { kind: 'get', receiver: 'res', at: 'proj/api.py:7:16-7:34', task: 'proj.tasks.add', inFunction: 'a', hasTimeout: true, options: ['timeout'], resultOf: 'delay@5:proj.tasks.add' },
      { kind: 'get', receiver: 'res', at: 'proj/api.py:8:12-8:21', task: 'proj.tasks.add', inFunction: 'a', hasTimeout: false, resultOf: 'delay@5:proj.tasks.add' },
      { kind: 'AsyncResult', receiver: 'AsyncResult', at: 'proj/api.py:11:9-11:29', resultUsage: 'assigned', boundTo: 'r', inFunction: 'b' },
      { kind: 'result_attr', receiver: 'r', at: 'proj/api.py:12:22-12:29', inFunction: 'b', resultOf: 'AsyncResult@11' },
      { kind: 'result_attr', receiver: 'r', at: 'proj/api.py:12:40-12:48', inFunction: 'b', resultOf: 'AsyncResult@11' },
      { kind: 'get', receiver: 'r', at: 'proj/api.py:12:55-12:66', inFunction: 'b', hasTimeout: false, resultOf: 'AsyncResult@11' },
      { kind: 'delay', receiver: 'add', at: 'proj/api.py:15:27-15:42', task: 'proj.tasks.add', resultUsage: 'chained', inFunction: 'c' },
      { kind: 'get', receiver: 'add.delay(1, 1)', at: 'proj/api.py:15:27-15:49', task: 'proj.tasks.add', inFunction: 'c', hasTimeout: true, resultOf: 'delay@15:proj.tasks.add' },
    ]);
  });

  it('marks calls inside task bodies, self.retry in bound tasks, and allow_join_result', async () => {
    const m = await codeModel({
      'proj/__init__.py': '',
      'proj/celery.py': "from celery import Celery\napp = Celery('proj')\n",
      'proj/tasks.py': [
        'from celery.result import allow_join_result',
        'from proj.celery import app',
        '',
        '@app.task(bind=True, max_retries=3)',
        'def fetch(self, url):',
        '    try:',
        '        return download(url)',
        '    except IOError as exc:',
        '        raise self.retry(exc=exc, countdown=60)',
        '',
        '@app.task',
        'def total(ids):',
        '    with allow_join_result():',
        '        return sum(fetch.delay(i).get() for i in ids)',
        '',
        'def helper(session):',
        '    session.retry()',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map(callSummary)).toEqual([
      { kind: 'retry', receiver: 'self', at: 'proj/tasks.py:9:15-9:48', task: 'proj.tasks.fetch', inTask: 'proj.tasks.fetch', inFunction: 'fetch', options: ['exc', 'countdown'] },
      { kind: 'allow_join_result', receiver: 'allow_join_result', at: 'proj/tasks.py:13:10-13:29', inTask: 'proj.tasks.total', inFunction: 'total' },
      { kind: 'delay', receiver: 'fetch', at: 'proj/tasks.py:14:20-14:34', task: 'proj.tasks.fetch', resultUsage: 'chained', inTask: 'proj.tasks.total', inFunction: 'total' },
      { kind: 'get', receiver: 'fetch.delay(i)', at: 'proj/tasks.py:14:20-14:40', task: 'proj.tasks.fetch', inTask: 'proj.tasks.total', inFunction: 'total', hasTimeout: false, resultOf: 'delay@14:proj.tasks.fetch' },
    ]);
  });

  it('records send_task of a name it cannot read as a send of an unknown task, with its options and result use', async () => {
    const m = await codeModel({
      ...TASKS,
      'proj/dispatch.py': [
        'from proj.celery import app',
        '',
        'def dispatch(kind, payload):',
        "    app.send_task(f'jobs.{kind}', args=[payload], countdown=30)",
        '    result = app.send_task(name=kind)',
        '    return result.get(timeout=5)',
        '',
        'def nothing(app):',
        '    app.send_task()',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map(callSummary)).toEqual([
      { kind: 'send_task', receiver: 'app', at: 'proj/dispatch.py:4:5-4:64', resultUsage: 'discarded', inFunction: 'dispatch', options: ['args', 'countdown'] },
      { kind: 'send_task', receiver: 'app', at: 'proj/dispatch.py:5:14-5:38', resultUsage: 'assigned', boundTo: 'result', inFunction: 'dispatch', options: ['name'] },
      { kind: 'get', receiver: 'result', at: 'proj/dispatch.py:6:12-6:33', inFunction: 'dispatch', hasTimeout: true, resultOf: 'send_task@5', options: ['timeout'] },
    ]);
  });

  it('finds send_task and literal signatures by name, signatures in canvas primitives, and drops .s() on non-tasks', async () => {
    const m = await codeModel({
      ...TASKS,
      'proj/flows.py': [
        'from celery import chain, chord, group, signature',
        'from proj.celery import app',
        'from proj.tasks import add, render',
        '',
        'def flows(re):',
        "    app.send_task('billing.charge', args=[1], queue='billing')",
        '    chain(add.s(1, 2), render.si(3)).apply_async()',
        '    chord([add.s(i, i) for i in range(3)])(render.s())',
        '    group(add.s(1, 1)).delay()',
        "    signature('reports.render', args=(1,))",
        '    add.apply_async((1, 1), link=render.s())',
        '    (add.s(1, 1) | render.s())()',
        '    re.s()',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map(callSummary)).toEqual([
      { kind: 'send_task', receiver: 'app', at: 'proj/flows.py:6:5-6:63', task: 'billing.charge', resultUsage: 'discarded', inFunction: 'flows', options: ['args', 'queue'] },
      { kind: 'apply_async', receiver: 'chain(add.s(1, 2), render.si(3))', at: 'proj/flows.py:7:5-7:51', resultUsage: 'discarded', inFunction: 'flows' },
      { kind: 's', receiver: 'add', at: 'proj/flows.py:7:11-7:22', task: 'proj.tasks.add', inFunction: 'flows', canvas: 'chain' },
      { kind: 'si', receiver: 'render', at: 'proj/flows.py:7:24-7:36', task: 'reports.render', inFunction: 'flows', canvas: 'chain' },
      { kind: 's', receiver: 'add', at: 'proj/flows.py:8:12-8:23', task: 'proj.tasks.add', inFunction: 'flows', canvas: 'chord-header' },
      { kind: 's', receiver: 'render', at: 'proj/flows.py:8:44-8:54', task: 'reports.render', inFunction: 'flows', canvas: 'chord-body' },
      { kind: 'delay', receiver: 'group(add.s(1, 1))', at: 'proj/flows.py:9:5-9:31', resultUsage: 'discarded', inFunction: 'flows' },
      { kind: 's', receiver: 'add', at: 'proj/flows.py:9:11-9:22', task: 'proj.tasks.add', inFunction: 'flows', canvas: 'group' },
      { kind: 'signature', receiver: 'signature', at: 'proj/flows.py:10:5-10:43', task: 'reports.render', inFunction: 'flows', options: ['args'] },
      { kind: 'apply_async', receiver: 'add', at: 'proj/flows.py:11:5-11:45', task: 'proj.tasks.add', resultUsage: 'discarded', inFunction: 'flows', options: ['link'] },
      { kind: 's', receiver: 'render', at: 'proj/flows.py:11:34-11:44', task: 'reports.render', inFunction: 'flows', canvas: 'link' },
      { kind: 's', receiver: 'add', at: 'proj/flows.py:12:6-12:17', task: 'proj.tasks.add', inFunction: 'flows', canvas: 'chain' },
      { kind: 's', receiver: 'render', at: 'proj/flows.py:12:20-12:30', task: 'reports.render', inFunction: 'flows', canvas: 'chain' },
    ]);
  });

  it('finds control pings, directly and through a bound inspect(), with retry context', async () => {
    const m = await codeModel({
      'web/__init__.py': '',
      'web/health.py': [
        'import tenacity',
        'from proj.celery import app',
        '',
        'def health():',
        '    return app.control.inspect(timeout=1).ping()',
        '',
        'def health2():',
        '    i = app.control.inspect()',
        '    try:',
        '        return i.ping()',
        '    except OSError:',
        '        return None',
        '',
        '@tenacity.retry(stop=tenacity.stop_after_attempt(3))',
        'def health3():',
        '    return app.control.ping(timeout=0.5)',
        '',
        'def unrelated(sock):',
        '    return sock.ping()',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map(callSummary)).toEqual([
      { kind: 'inspect_ping', receiver: 'app.control.inspect(timeout=1)', at: 'web/health.py:5:12-5:49', inFunction: 'health', inRetry: false, options: ['timeout'] },
      { kind: 'inspect_ping', receiver: 'i', at: 'web/health.py:10:16-10:24', inFunction: 'health2', inRetry: true },
      { kind: 'control_ping', receiver: 'app.control', at: 'web/health.py:16:12-16:41', inFunction: 'health3', inRetry: true, options: ['timeout'] },
    ]);
  });

  it('keeps discarded results of on_commit lambdas as discarded', async () => {
    const m = await codeModel({
      ...TASKS,
      'proj/hooks.py': 'from django.db import transaction\nfrom proj.tasks import add\n\ndef save(o):\n    transaction.on_commit(lambda: add.delay(o.pk, 1))\n    return [lambda: add.delay(1, 1)]\n',
    });
    expect(m.callSites.map((c) => c.resultUsage)).toEqual(['discarded', 'returned']);
  });

  it('finds HTTP requests (requests, sessions, httpx, urlopen) with their timeouts, and whole-body reads of their responses', async () => {
    const m = await codeModel({
      'p/__init__.py': '',
      'p/tasks.py': [
        'import requests, httpx',
        'from urllib.request import urlopen',
        'from celery import shared_task',
        '',
        '@shared_task',
        'def a(url):',
        '    with requests.Session() as s:',
        '        r = s.get(url, stream=True)',
        '        return r.json()',
        '',
        '@shared_task',
        'def b(url):',
        '    s = requests.Session()',
        '    s.post(url, timeout=None)',
        '    urlopen(url, None, 10)',
        '    httpx.get(url)',
        '    resp = requests.get(url, timeout=(3, 30))',
        '    return resp.text, resp.status_code',
        '',
      ].join('\n'),
    });
    expect(m.callSites.map((c) => ({ ...callSummary(c), ...(c.target ? { target: c.target } : {}) }))).toEqual([
      { kind: 'http', receiver: 's.get', target: 'requests.Session.get', at: 'p/tasks.py:8:13-8:36', resultUsage: 'assigned', boundTo: 'r', inTask: 'p.tasks.a', inFunction: 'a', hasTimeout: false, options: ['stream'] },
      { kind: 'http_body', receiver: 'r', at: 'p/tasks.py:9:16-9:24', inTask: 'p.tasks.a', inFunction: 'a', resultOf: 'http@8' },
      { kind: 'http', receiver: 's.post', target: 'requests.Session.post', at: 'p/tasks.py:14:5-14:30', resultUsage: 'discarded', inTask: 'p.tasks.b', inFunction: 'b', hasTimeout: false, options: ['timeout'] },
      { kind: 'http', receiver: 'urlopen', target: 'urllib.request.urlopen', at: 'p/tasks.py:15:5-15:27', resultUsage: 'discarded', inTask: 'p.tasks.b', inFunction: 'b', hasTimeout: true },
      { kind: 'http', receiver: 'httpx.get', target: 'httpx.get', at: 'p/tasks.py:16:5-16:19', resultUsage: 'discarded', inTask: 'p.tasks.b', inFunction: 'b', hasTimeout: false },
      { kind: 'http', receiver: 'requests.get', target: 'requests.get', at: 'p/tasks.py:17:12-17:46', resultUsage: 'assigned', boundTo: 'resp', inTask: 'p.tasks.b', inFunction: 'b', hasTimeout: true, options: ['timeout'] },
      { kind: 'http_body', receiver: 'resp', at: 'p/tasks.py:18:12-18:21', inTask: 'p.tasks.b', inFunction: 'b', resultOf: 'http@17' },
    ]);
  });

  it('normalises the task arguments of delay() and s() to the args/kwargs apply_async would take', async () => {
    const m = await codeModel({
      ...TASKS,
      'proj/send.py': 'from proj.tasks import add\n\ndef f(xs):\n    add.delay({1, 2}, b"raw", y=3)\n    add.s(1)\n    add.delay(*xs)\n',
    });
    const [first, second, third] = m.callSites;
    expect(toPlain(first!.options.args!.value)).toEqual([[1, 2], undefined]);
    expect(first!.options.args!.value.kind === 'tuple' && first!.options.args!.value.items.map((i) => i.kind)).toEqual(['set', 'unknown']);
    // bytes stay unevaluated; their token (b"raw") is what the serializer rules look at
    expect(first!.options.args!.value.kind === 'tuple' && first!.options.args!.value.items[1]).toMatchObject({ kind: 'unknown', text: 'b"raw"' });
    expect(toPlain(first!.options.kwargs!.value)).toEqual({ y: 3 });
    expect(at(first!.options.args!.span)).toBe('proj/send.py:4:14-4:35');
    expect(toPlain(second!.options.args!.value)).toEqual([1]);
    expect(third!.options).toEqual({});
  });
});
