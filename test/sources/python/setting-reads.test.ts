import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../../src/model/types.js';
import { at, codeModel } from './code-helpers.js';

const reads = (m: ProjectModel) => m.settingReads.map((r) => `${r.via} ${r.name} ${at(r.span)}`);

describe('setting reads', () => {
  it('finds settings.X, getattr and hasattr on django.conf.settings, however it was imported', async () => {
    const m = await codeModel({
      'shop/beat.py': [
        'from django.conf import settings',
        'from django.conf import settings as dj',
        'import django.conf',
        '',
        'def schedule():',
        '    if settings.CELERY_BEAT_NAME_BY_TASK:',
        "        return getattr(dj, 'CELERY_TASK_DEFAULT_PRIORITY_HIGH', 9)",
        "    if hasattr(settings, 'BROKER_SHARDS'):",
        '        return django.conf.settings.CELERYD_POOL_SIZE',
        '',
      ].join('\n'),
    });
    expect(reads(m)).toEqual([
      'attribute CELERY_BEAT_NAME_BY_TASK shop/beat.py:6:17-6:41',
      'getattr CELERY_TASK_DEFAULT_PRIORITY_HIGH shop/beat.py:7:29-7:62',
      'hasattr BROKER_SHARDS shop/beat.py:8:27-8:40',
      'attribute CELERYD_POOL_SIZE shop/beat.py:9:37-9:54',
    ]);
  });

  it('finds a file whose only Celery word is the name read (the pre-filter lets it through)', async () => {
    const m = await codeModel({ 'shop/views.py': 'from django.conf import settings\n\nHIGH = settings.CELERY_PRIORITY_HIGH\n' });
    expect(reads(m)).toEqual(['attribute CELERY_PRIORITY_HIGH shop/views.py:3:17-3:37']);
  });

  it('keeps writes, other objects, other names and computed keys out', async () => {
    const m = await codeModel({
      'shop/tests.py': [
        'from django.conf import settings',
        'from myconf import settings as mine',
        '',
        'def test_it(app):',
        '    settings.CELERY_TASK_ALWAYS_EAGER = True',
        '    mine.CELERY_X',
        '    app.conf.CELERY_Y',
        '    settings.DEBUG',
        '    settings.celery_lower',
        "    getattr(settings, 'CELERY_' + 'Z')",
        "    getattr(mine, 'CELERY_W')",
        "    getattr(settings, 'CELERY_%s' % 1)",
        '',
      ].join('\n'),
    });
    expect(reads(m)).toEqual([]);
  });

  it('finds bare reads of names the module binds, not the bindings themselves', async () => {
    const m = await codeModel({
      'proj/settings.py': [
        'import os',
        "CELERY_BEAT_NAME_BY_TASK = os.environ.get('X') == '1'",
        'CELERY_IMPORTS = ()',
        "CELERY_IMPORTS += ('a',)",
        'if os.environ.get("Y"):',
        '    CELERYD_EXTRA = 2',
        'CELERY_BEAT_SCHEDULE = {',
        "    'a' if CELERY_BEAT_NAME_BY_TASK else 'b': {'task': 'a'},",
        '}',
        'TOTAL = CELERYD_EXTRA * 2',
        'def f(CELERY_PARAM=CELERY_IMPORTS):',
        '    CELERY_LOCAL_ONLY = 1',
        '    return CELERY_LOCAL_ONLY',
        'dict(CELERY_KEYWORD=1)',
        '',
      ].join('\n'),
    });
    expect(reads(m)).toEqual([
      'name CELERY_BEAT_NAME_BY_TASK proj/settings.py:8:12-8:36',
      'name CELERYD_EXTRA proj/settings.py:10:9-10:22',
      'name CELERY_IMPORTS proj/settings.py:11:20-11:34',
    ]);
  });

  it('counts names a module may get from a star import or an import (split settings)', async () => {
    const m = await codeModel({
      'proj/settings/base.py': 'CELERY_BEAT_NAME_BY_TASK = True\n',
      'proj/settings/production.py': [
        'from .base import *',
        'CELERY_BEAT_SCHEDULE = {} if CELERY_BEAT_NAME_BY_TASK else {}',
        '',
      ].join('\n'),
      'proj/other.py': 'from proj.settings.base import CELERY_BEAT_NAME_BY_TASK as FLAG, CELERY_BEAT_NAME_BY_TASK\nprint(CELERY_BEAT_NAME_BY_TASK, CELERY_UNBOUND)\n',
    });
    expect(reads(m)).toEqual([
      'name CELERY_BEAT_NAME_BY_TASK proj/other.py:2:7-2:31',
      'name CELERY_BEAT_NAME_BY_TASK proj/settings/production.py:2:30-2:54',
    ]);
  });
});
