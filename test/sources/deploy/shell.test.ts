import { describe, expect, it } from 'vitest';
import { shellSource } from '../../../src/sources/deploy/shell.js';
import { at, memoryContext, textOf } from './ctx.js';

const SCRIPT = `#!/bin/bash
set -euo pipefail
export CELERY_BROKER_URL="redis://redis:6379/0" DEBUG=0
export PATH=/app/bin:$PATH

python manage.py migrate --noinput
if [ "$1" = "beat" ]; then
  exec celery -A proj beat -l info --pidfile=
else
  exec celery -A proj worker \\
    -P "\${CELERY_POOL:-gevent}" \\
    -c 8
fi
`;

describe('shell source', () => {
  const files = { 'docker/start.sh': SCRIPT };
  const facts = shellSource.collect(memoryContext(files));

  it('finds every Celery command, in branches and across continuations', () => {
    expect(facts.commands?.map((c) => [c.subcommand, c.pool, c.concurrency, at(c.span)])).toEqual([
      ['beat', undefined, undefined, '8:8-8:46'],
      ['worker', '${CELERY_POOL:-gevent}', 8, '10:8-12:9'],
    ]);
    expect(facts.commands![1]!.options.map((o) => textOf(files, o.span))).toEqual(['-A proj', '-P "${CELERY_POOL:-gevent}"', '-c 8']);
    expect(facts.commands![0]!.options.at(-1)).toMatchObject({ name: '--pidfile', value: '' });
  });

  it('reads exported Celery and broker variables only', () => {
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value, at(e.valueSpan), textOf(files, e.span)])).toEqual([
      ['CELERY_BROKER_URL', 'redis://redis:6379/0', '3:27-3:47', 'CELERY_BROKER_URL="redis://redis:6379/0"'],
    ]);
  });
});
