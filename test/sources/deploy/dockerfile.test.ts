import { describe, expect, it } from 'vitest';
import { dockerfileSource } from '../../../src/sources/deploy/dockerfile.js';
import { at, memoryContext, textOf } from './ctx.js';

const DOCKERFILE = `FROM python:3.12-slim AS base
ENV PYTHONUNBUFFERED=1 \\
    CELERY_BROKER_URL="redis://redis:6379/0"
ENV DJANGO_SETTINGS_MODULE proj.settings.production
RUN pip install -r requirements.txt

FROM base AS worker
CMD ["celery", "-A", "proj", \\
     # gevent for I/O-bound tasks
     "worker", "--pool=gevent"]

FROM base AS beat
ENTRYPOINT ["celery"]
CMD ["-A", "proj", "beat"]

FROM base AS legacy
CMD celery worker --app=proj -c 4 2>&1 | tee /var/log/worker.log
`;

describe('dockerfile source', () => {
  const files = { 'docker/Dockerfile': DOCKERFILE };
  const facts = dockerfileSource.collect(memoryContext(files));

  it('reads exec-form, ENTRYPOINT+CMD and shell-form commands per stage', () => {
    expect(facts.commands?.map((c) => [c.processName, c.subcommand, c.app, c.pool, c.concurrency, c.globalOptionsAfterSubcommand, at(c.span)])).toEqual([
      ['worker', 'worker', 'proj', 'gevent', undefined, false, '8:6-10:31'],
      ['beat', 'beat', 'proj', undefined, undefined, false, '13:13-14:26'],
      ['legacy', 'worker', 'proj', undefined, 4, true, '17:5-17:34'],
    ]);
    expect(facts.commands![0]!.options.map((o) => textOf(files, o.span))).toEqual(['"-A", "proj"', '"--pool=gevent"']);
  });

  it('reads ENV in both forms', () => {
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value, at(e.valueSpan), textOf(files, e.span)])).toEqual([
      ['PYTHONUNBUFFERED', '1', '2:22-2:23', 'PYTHONUNBUFFERED=1'],
      ['CELERY_BROKER_URL', 'redis://redis:6379/0', '3:24-3:44', 'CELERY_BROKER_URL="redis://redis:6379/0"'],
      ['DJANGO_SETTINGS_MODULE', 'proj.settings.production', '4:28-4:52', 'DJANGO_SETTINGS_MODULE proj.settings.production'],
    ]);
  });
});
