import type { AppConfig } from '../../src/engine/app-config.js';
import { compareVersions, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { dictGet, knownNumber } from '../../src/parse/pyvalue.js';
import { isRedisFamily, transportOptions, transportOptionsName, type Broker } from '../connections/broker.js';
import { kombuVersions, type KombuVersions } from '../transports/kombu.js';
import { appBrokers, duration, heldMessages } from './held.js';

const KEY = 'visibility_timeout';

export default createRule({
  meta: {
    code: 'CEL407',
    name: 'eta-beyond-visibility-timeout',
    summary: 'A countdown, retry delay or acks_late run lasts longer than the Redis/SQS visibility_timeout.',
    why:
      'With a Redis or SQS broker a message taken by a worker but not acknowledged goes back to the queue after ' +
      "broker_transport_options['visibility_timeout'] (Kombu defaults: 3600 s for Redis, 1800 s for SQS). A worker " +
      'takes a countdown/ETA task at once and acknowledges it only when it runs; an acks_late task is acknowledged ' +
      'after it returns. A countdown (apply_async, send_task, retry, a default_retry_delay the task retries with) ' +
      'or an acks_late time limit longer than the visibility timeout therefore lets another worker receive the ' +
      'same message while the first still holds it: the task runs more than once. RabbitMQ has no visibility ' +
      'timeout (see CEL408). The fix is advice only: raising visibility_timeout also delays the redelivery of ' +
      'messages lost with a crashed worker by as much, and the right value depends on the longest delay in the ' +
      'project, so the linter does not choose it.',
    example: "broker_url = 'redis://redis:6379/0'\n\n# tasks.py\nsend_report.apply_async(countdown=2 * 3600)",
    useInstead: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'visibility_timeout': 3 * 3600}",
    fixSafety: 'none',
    versions: { description: 'Every release (visibility_timeout defaults: Redis 3600 s, SQS 1800 s in every Kombu release).' },
    references: [
      'https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout',
      'https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/sqs.html#visibility-timeout',
      'https://github.com/celery/kombu/blob/v5.6.2/kombu/transport/redis.py',
      'https://github.com/celery/kombu/blob/v5.6.2/kombu/transport/SQS.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const kombu = kombuVersions(model, ctx.versions, k);
    const brokers = new Map(appBrokers(model, k, target).map((b) => [b.app.id, b]));
    // Per app, not per message: a project may hold thousands of countdowns.
    const timeouts = new Map<string, ReturnType<typeof visibility>>();
    for (const held of heldMessages(model, k, target)) {
      const b = brokers.get(held.app.id);
      if (!b || !(isRedisFamily(b.broker.transport) || b.broker.transport.name === 'sqs')) continue;
      if (!timeouts.has(b.app.id)) timeouts.set(b.app.id, visibility(b.config, k, b.broker, kombu));
      const vt = timeouts.get(b.app.id);
      if (!vt || held.seconds <= vt.seconds) continue;
      const broker = `${isRedisFamily(b.broker.transport) ? 'Redis' : 'SQS'} broker ${maskSecrets(b.broker.url)}`;
      const consequence =
        held.hold === 'eta'
          ? `keeps the task message unacknowledged in the worker for ${duration(held.seconds)}, longer than ${vt.where} of the ${broker}: ` +
            `after ${vt.seconds} s the broker delivers the message again, to another worker, and the task runs more than once.`
          : `is acknowledged only when the task returns; a run longer than ${vt.where} of the ${broker} makes the broker deliver the ` +
            'message again while the first run still goes on, and the task runs twice.';
      ctx.report({
        message: `${held.what} ${consequence}`,
        span: held.span,
        fix: {
          applicability: 'display-only',
          message: `Raise ${vt.name}['${KEY}'] above ${held.seconds} s, or use a shorter ${held.hold === 'eta' ? 'delay (a periodic task for long waits)' : 'time limit'}`,
          edits: [],
        },
      });
    }
  },
});

/** The visibility timeout the app's broker runs with: set in broker_transport_options, else the transport's default. */
function visibility(config: AppConfig, k: Knowledge, b: Broker, kombu: KombuVersions | undefined): { seconds: number; where: string; name: string } | undefined {
  const opts = transportOptions(config);
  const name = opts.fact?.name ?? transportOptionsName(config);
  if (opts.unknown) return undefined;
  const entry = opts.dict ? dictGet(opts.dict, KEY) : undefined;
  if (entry) {
    const seconds = knownNumber(entry.value);
    return seconds === undefined ? undefined : { seconds, where: `${name}['${KEY}'] = ${seconds}`, name };
  }
  const versions = kombu?.versions ?? [k.releases.kombu.map((r) => r.newest).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b))];
  const defaults = versions.map((v) => k.transportOptions(b.transport.name, v)?.find((o) => o.key === KEY)?.default).filter((d): d is number => typeof d === 'number');
  if (!defaults.length) return undefined;
  // Kombu versions that disagree: judge by the longest, so the finding holds for each
  const seconds = Math.max(...defaults);
  return { seconds, where: `the default ${KEY} of ${duration(seconds)}`, name };
}
