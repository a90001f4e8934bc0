import { describe, expect, it } from 'vitest';
import { at, codeModel } from './code-helpers.js';

describe('signal handlers', () => {
  it('finds decorators and connect() calls on celery.signals, however the signal was imported', async () => {
    const m = await codeModel({
      'proj/signals.py': [
        'from celery import signals',
        'from celery.signals import worker_process_init',
        'import celery',
        'from django.db import connections',
        '',
        '@worker_process_init.connect',
        'def close_db(**kwargs):',
        '    for conn in connections.all():',
        '        conn.close()',
        '',
        '@signals.task_prerun.connect(sender=None)',
        'def before(**kwargs):',
        '    pass',
        '',
        'def after(**kwargs):',
        '    pass',
        '',
        'celery.signals.task_postrun.connect(after)',
        '',
      ].join('\n'),
      'proj/django_signals.py': [
        'from django.dispatch import Signal',
        'worker_process_init = Signal()',
        '',
        '@worker_process_init.connect',
        'def not_celery(**kwargs):',
        '    pass',
        '',
      ].join('\n'),
    });
    expect(m.signalHandlers.map((h) => ({ signal: h.signal, function: h.function, at: at(h.span) }))).toEqual([
      { signal: 'worker_process_init', function: 'close_db', at: 'proj/signals.py:6:1-6:29' },
      { signal: 'task_prerun', function: 'before', at: 'proj/signals.py:11:1-11:42' },
      { signal: 'task_postrun', function: 'after', at: 'proj/signals.py:18:1-18:43' },
    ]);
  });
});
