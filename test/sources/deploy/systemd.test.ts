import { describe, expect, it } from 'vitest';
import { systemdSource } from '../../../src/sources/deploy/systemd.js';
import { at, memoryContext, textOf } from './ctx.js';

const UNIT = `[Unit]
Description=Celery Service
After=network.target

[Service]
Type=forking
User=celery
EnvironmentFile=-/etc/conf.d/celery
Environment="CELERY_APP=proj" PYTHONUNBUFFERED=1
WorkingDirectory=/opt/celery
ExecStart=/opt/venv/bin/celery worker -A proj \\
    # the pool is set below
    --pool=gevent \\
    --concurrency=200
ExecStop=/bin/sh -c '\${CELERY_BIN} multi stopwait $CELERYD_NODES --pidfile=\${CELERYD_PID_FILE}'

[Install]
WantedBy=multi-user.target
`;

describe('systemd source', () => {
  const files = { 'deploy/celery-worker.service': UNIT };
  const facts = systemdSource.collect(memoryContext(files));

  it('reads ExecStart across continuation lines and ExecStop through sh -c', () => {
    expect(facts.commands?.map((c) => [c.processName, c.subcommand, c.app, c.pool, c.concurrency, c.globalOptionsAfterSubcommand, at(c.span)])).toEqual([
      ['celery-worker', 'worker', 'proj', 'gevent', 200, true, '11:11-14:22'],
      ['celery-worker', 'multi', undefined, undefined, undefined, false, '15:22-15:95'],
    ]);
    expect(facts.commands![0]!.options.map((o) => textOf(files, o.span))).toEqual(['-A proj', '--pool=gevent', '--concurrency=200']);
    expect(at(facts.commands![0]!.options[1]!.span)).toBe('13:5-13:18');
  });

  it('reads Environment= and notes EnvironmentFile= as unread', () => {
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value, at(e.valueSpan), textOf(files, e.span), e.source])).toEqual([
      ['CELERY_APP', 'proj', '9:25-9:29', '"CELERY_APP=proj"', 'systemd'],
      ['PYTHONUNBUFFERED', '1', '9:48-9:49', 'PYTHONUNBUFFERED=1', 'systemd'],
    ]);
    expect(facts.problems?.map((p) => [p.message, at(p.span!)])).toEqual([
      ['EnvironmentFile /etc/conf.d/celery is not read: its variables are not checked', '8:17-8:36'],
    ]);
  });
});
