import { describe, expect, it } from 'vitest';
import { supervisorSource } from '../../../src/sources/deploy/supervisor.js';
import { at, memoryContext, textOf } from './ctx.js';

const CONF = `[program:celeryworker]
command=/srv/venv/bin/celery worker -A proj --loglevel=INFO
    --concurrency=4 ; four processes
directory=/srv/app
environment=CELERY_BROKER_URL="redis://localhost:6379/0",DJANGO_SETTINGS_MODULE='proj.settings',
    PATH=/srv/venv/bin

[program:celerybeat]
command = python manage.py celerybeat --schedule=/var/lib/celery/beat.db

[program:web]
command=gunicorn proj.wsgi
`;

describe('supervisor source', () => {
  const files = { 'deploy/celery.conf': CONF, 'deploy/nginx.conf': 'server {\n  listen 80;\n}\n' };
  const facts = supervisorSource.collect(memoryContext(files));

  it('reads each program\'s command, continuation lines included, with exact spans', () => {
    expect(facts.commands?.map((c) => [c.processName, c.program, c.subcommand, c.app, c.concurrency, c.globalOptionsAfterSubcommand, at(c.span)])).toEqual([
      ['celeryworker', 'celery', 'worker', 'proj', 4, true, '2:9-3:20'],
      ['celerybeat', 'manage.py celerybeat', 'beat', undefined, undefined, false, '9:11-9:73'],
    ]);
    expect(facts.commands![0]!.options.map((o) => [o.name, o.value, textOf(files, o.span)])).toEqual([
      ['-A', 'proj', '-A proj'],
      ['--loglevel', 'INFO', '--loglevel=INFO'],
      ['--concurrency', '4', '--concurrency=4'],
    ]);
    expect(facts.commands![0]!.source).toBe('supervisor');
  });

  it('reads environment= pairs with value spans inside the quotes', () => {
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value, textOf(files, e.span), at(e.valueSpan)])).toEqual([
      ['CELERY_BROKER_URL', 'redis://localhost:6379/0', 'CELERY_BROKER_URL="redis://localhost:6379/0"', '5:32-5:56'],
      ['DJANGO_SETTINGS_MODULE', 'proj.settings', "DJANGO_SETTINGS_MODULE='proj.settings'", '5:82-5:95'],
      ['PATH', '/srv/venv/bin', 'PATH=/srv/venv/bin', '6:10-6:23'],
    ]);
  });
});
