import { describe, expect, it } from 'vitest';
import { procfileSource } from '../../../src/sources/deploy/procfile.js';
import { at, memoryContext, textOf } from './ctx.js';

describe('procfile source', () => {
  it('reads each process type, skipping comments and non-Celery processes', () => {
    const files = {
      Procfile: [
        'web: gunicorn proj.wsgi --log-file -',
        'worker: celery worker -A proj -P gevent -c 100 --loglevel=info',
        '# old: celeryd -l info',
        'beat:   celery -A proj beat -l info',
        '',
      ].join('\n'),
    };
    const { commands } = procfileSource.collect(memoryContext(files));
    expect(commands?.map((c) => [c.processName, c.subcommand, c.app, c.pool, c.concurrency, c.globalOptionsAfterSubcommand, at(c.span)])).toEqual([
      ['worker', 'worker', 'proj', 'gevent', 100, true, '2:9-2:63'],
      ['beat', 'beat', 'proj', undefined, undefined, false, '4:9-4:36'],
    ]);
    const worker = commands![0]!;
    expect(worker.source).toBe('procfile');
    expect(worker.raw).toBe('celery worker -A proj -P gevent -c 100 --loglevel=info');
    expect(worker.options.map((o) => textOf(files, o.span))).toEqual(['-A proj', '-P gevent', '-c 100', '--loglevel=info']);
    expect(at(worker.options[1]!.span)).toBe('2:31-2:40');
  });
});
