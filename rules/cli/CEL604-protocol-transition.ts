import { appConfig } from '../../src/engine/model-index.js';
import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { Span } from '../../src/model/types.js';
import { knownNumber } from '../../src/parse/pyvalue.js';

export default createRule({
  meta: {
    code: 'CEL604',
    name: 'protocol-transition',
    summary: 'An upgrade from Celery 3.1 older than 3.1.24 to 4.x+ while the 4.x clients send task protocol 2.',
    why:
      'Celery 4.0 sends task messages in protocol 2 by default (task_protocol = 2). A Celery 3.1 worker before 3.1.24 ' +
      "reads the task name from the message body only; a protocol 2 body is a list, so the worker logs \"Received and " +
      'deleted unknown message" and the task is lost (celery/worker/consumer.py at v3.1.23). 3.1.24 added support for ' +
      "protocol 2. During a rolling upgrade web processes and workers run different releases for a while, so Celery's " +
      '4.0 upgrade guide has the workers upgraded to 3.1.25 in a first deployment, or task_protocol = 1 kept until ' +
      'every worker runs 4.x. The rule only looks at the protocol the project configures; custom serializers that ' +
      'parse the protocol 1 body shape are not checked.',
    example: '# requirements.txt: celery==3.1.23, then `celery-lint migrate-check --to 5.5`\nCELERY_TASK_SERIALIZER = "json"',
    useInstead: '# first deploy celery==3.1.25 to the workers, or during the rolling upgrade:\ntask_protocol = 1',
    fixSafety: 'none',
    versions: { description: 'Upgrades from Celery 3.1.0-3.1.23 to 4.0 or later (migrate-check only).', introduced: '4.0.0' },
    references: [
      'https://github.com/celery/celery/blob/v4.0.0/docs/whatsnew-4.0.rst#step-1-upgrade-to-celery-3125',
      'https://github.com/celery/celery/blob/v3.1.25/Changelog',
      'https://github.com/celery/celery/blob/v3.1.23/celery/worker/consumer.py',
      'https://docs.celeryq.dev/en/stable/internals/protocol.html',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const { mode, current, target, currentSource } = ctx.versions;
    if (mode !== 'migrate' || !current || !target || currentSource === 'unknown') return;
    if (compareVersions(current, '4.0.0') >= 0 || compareVersions(target, '4.0.0') < 0) return;
    const k = knowledge();
    const reads2 = k.producers.workerProtocols.find((w) => w.reads.includes(2))?.since;
    const guide = k.producers.rollingUpgrade?.intermediate;
    if (!reads2) return;
    // `3.1` (no patch) says nothing about 3.1.24: the finding then depends on what the workers run.
    const patchKnown = current.split('.').length >= 3;
    if (patchKnown && compareVersions(current, reads2) >= 0) return;
    const protocols = model.apps.map((app) => appConfig(model, app, target, k).value('task_protocol'));
    // Only an app known to send protocol 2 counts: task_protocol = 1 is the way through, an unknown value is not guessed at.
    if (!protocols.some((p) => knownNumber(p.value) === 2)) return;
    const span: Span | undefined = model.versions.find((p) => p.package === 'celery')?.span ?? model.apps[0]?.span;
    if (!span) return;
    const who = patchKnown ? `workers still on ${current} log` : `if the workers run a 3.1 release before ${reads2}, they log`;
    const first = `${guide ?? reads2} or later`;
    ctx.report({
      message:
        `Celery 4.0+ clients send task protocol 2 (task_protocol defaults to 2), which Celery 3.1 workers before ${reads2} ` +
        `cannot read: ${who} "Received and deleted unknown message" and drop the task. During the rolling upgrade, first ` +
        `deploy the workers on ${first} (${reads2} added protocol 2 support), or set task_protocol = 1 until every worker ` +
        'runs 4.0 or later.',
      span,
      since: '4.0.0',
      fix: { applicability: 'display-only', message: `Upgrade the workers to ${first} first, or set task_protocol = 1 during the upgrade`, edits: [] },
    });
  },
});
