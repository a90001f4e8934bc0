import { describe, expect, it } from 'vitest';
import { at, codeModel } from './code-helpers.js';

describe('imports', () => {
  it('keeps Celery, Kombu and djcelery imports with names, aliases and spans; resolves relative imports', async () => {
    const m = await codeModel({
      'proj/__init__.py': '',
      'proj/sub/__init__.py': '',
      'proj/sub/tasks.py': [
        'import os',
        'import djcelery',
        'import kombu.serialization as ser',
        'from celery.task import task, periodic_task as pt',
        'from ..celery import app',
        'from . import helpers',
        '',
        'def f():',
        '    from celery.decorators import task as t2',
        '',
      ].join('\n'),
    });
    expect(m.imports.map((i) => ({ module: i.module, style: i.style, names: i.names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)), at: at(i.span) }))).toEqual([
      { module: 'djcelery', style: 'import', names: [], at: 'proj/sub/tasks.py:2:1-2:16' },
      { module: 'kombu.serialization', style: 'import', names: [], at: 'proj/sub/tasks.py:3:1-3:34' },
      { module: 'celery.task', style: 'from', names: ['task', 'periodic_task as pt'], at: 'proj/sub/tasks.py:4:1-4:50' },
      { module: 'celery.decorators', style: 'from', names: ['task as t2'], at: 'proj/sub/tasks.py:9:5-9:45' },
    ]);
    expect(at(m.imports[2]!.names[1]!.span)).toBe('proj/sub/tasks.py:4:31-4:50');
  });

  it('resolves tasks imported relatively (from .tasks import x) for linking', async () => {
    const m = await codeModel({
      'proj/__init__.py': '',
      'proj/celery.py': "from celery import Celery\napp = Celery('proj')\n",
      'proj/tasks.py': 'from .celery import app\n\n@app.task\ndef add(x, y):\n    return x + y\n',
      'proj/views.py': 'from .tasks import add as plus\n\ndef v():\n    plus.delay(1, 2)\n',
    });
    expect(m.tasks.map((t) => t.name)).toEqual(['proj.tasks.add']);
    expect(m.callSites.map((c) => [c.kind, c.task, c.receiver])).toEqual([['delay', 'proj.tasks.add', 'plus']]);
  });
});
