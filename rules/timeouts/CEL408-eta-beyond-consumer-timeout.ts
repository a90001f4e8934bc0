import type { AppConfig } from '../../src/engine/app-config.js';
import { compareVersions, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { ProjectModel } from '../../src/model/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { knownString } from '../../src/parse/pyvalue.js';
import { short } from '../serializers/content.js';
import { appBrokers, duration, heldMessages } from './held.js';

const RABBITMQ = ['amqp', 'librabbitmq'];

export default createRule({
  meta: {
    code: 'CEL408',
    name: 'eta-beyond-consumer-timeout',
    summary: "A countdown, retry delay or acks_late run lasts longer than RabbitMQ's consumer_timeout.",
    why:
      'A worker takes a countdown/ETA task from RabbitMQ at once and acknowledges it only when it runs (an acks_late ' +
      'task: after it returns). RabbitMQ 3.8.15 and later limit how long a delivery may stay unacknowledged ' +
      '(consumer_timeout: 15 minutes in 3.8.15-3.8.16, 30 minutes from 3.8.17); up to RabbitMQ 4.2 it then closes ' +
      "the consumer's channel with PRECONDITION_FAILED and requeues the channel's unacknowledged messages. Celery " +
      "treats that channel error as unrecoverable and the worker stops ('Unrecoverable error: PreconditionFailed'); " +
      'from Celery 5.3 broker_channel_error_retry = True makes it reconnect instead, after which it receives the ' +
      'requeued countdown tasks again and the channel is closed again. RabbitMQ 4.3 enforces the timeout only on ' +
      'quorum queues, returning the message to the queue and cancelling the consumer. From Celery 5.5 a quorum queue ' +
      'on a topic or fanout exchange gets native delayed delivery (RabbitMQ holds the countdown, not the worker), so ' +
      "countdowns are then not reported. The rule compares with the repository's rabbitmq.conf consumer_timeout " +
      "when there is one, else RabbitMQ's default; a timeout set elsewhere (advanced.config, a policy, the " +
      'x-consumer-timeout argument) is not seen. The fix is advice only: the server setting is outside the project.',
    example: "broker_url = 'amqp://rabbit//'\n\n# tasks.py\nsend_report.apply_async(countdown=2 * 3600)",
    useInstead: '# rabbitmq.conf\nconsumer_timeout = 10800000',
    fixSafety: 'none',
    versions: { description: 'Every Celery release with RabbitMQ 3.8.15 or later; native delayed delivery for quorum queues from Celery 5.5.' },
    references: [
      'https://www.rabbitmq.com/docs/consumers#acknowledgement-timeout',
      'https://docs.celeryq.dev/en/stable/userguide/calling.html#eta-and-countdown',
      'https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/rabbitmq.html#native-delayed-delivery',
      'https://github.com/rabbitmq/rabbitmq-server/pull/3033',
      'https://github.com/celery/celery/blob/v5.3.0/celery/worker/consumer/consumer.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const limit = consumerTimeout(model, k);
    const brokers = new Map(appBrokers(model, k, target).map((b) => [b.app.id, b]));
    for (const held of heldMessages(model, k, target)) {
      const b = brokers.get(held.app.id);
      if (!b || !RABBITMQ.includes(b.broker.transport.name) || held.seconds <= limit.seconds) continue;
      const delayed = held.hold === 'eta' ? nativeDelay(b.config, k) : 'no';
      if (delayed === 'yes') continue;
      const hold =
        held.hold === 'eta'
          ? `keeps the task message unacknowledged in the worker for ${duration(held.seconds)}`
          : 'is acknowledged only when the task returns, and a run may last that long';
      ctx.report({
        message:
          `${held.what} ${hold}, longer than ${limit.where} (broker ${maskSecrets(b.broker.url)}): RabbitMQ 3.8.15 to 4.2 then closes ` +
          `the worker's channel with PRECONDITION_FAILED and requeues its unacknowledged messages, and ${workerEffect(b.config, k, target)}` +
          (delayed === 'unknown' ? ` - unless the task's queue is a quorum queue on a topic or fanout exchange (Celery ${short(k.brokers.celery.nativeDelayedDelivery.since)}+ then delays it in RabbitMQ)` : '') +
          '. RabbitMQ 4.3 enforces consumer_timeout only on quorum queues.',
        span: held.span,
        fix: {
          applicability: 'display-only',
          message: `Set consumer_timeout in rabbitmq.conf above ${held.seconds * 1000} ms, or use a shorter ${held.hold === 'eta' ? 'delay (a periodic task for long waits)' : 'time limit'}`,
          edits: [],
        },
      });
    }
  },
});

/** The longest consumer_timeout of the repository's rabbitmq.conf files, else RabbitMQ's current default. */
function consumerTimeout(model: ProjectModel, k: Knowledge): { seconds: number; where: string } {
  const set = (model.rabbitmqConfs ?? []).filter((c) => c.consumerTimeout);
  if (set.length) {
    const max = set.reduce((a, b) => (b.consumerTimeout!.value > a.consumerTimeout!.value ? b : a));
    const t = max.consumerTimeout!;
    return { seconds: t.value / 1000, where: `consumer_timeout = ${t.value} ms in ${t.span.file}:${t.span.start.line}` };
  }
  const defaults = k.brokers.rabbitmq.consumerTimeout.defaults;
  const first = defaults[0]!;
  const last = defaults.at(-1)!;
  return {
    seconds: last.value / 1000,
    where:
      `RabbitMQ's default consumer_timeout of ${duration(last.value / 1000)} (from RabbitMQ ${last.since}; ` +
      `${duration(first.value / 1000)} from ${first.since}; no rabbitmq.conf in the repository sets it)`,
  };
}

/**
 * Whether Celery delays a countdown in RabbitMQ instead of the worker (native delayed delivery): only from 5.5, for
 * quorum queues on a topic or fanout exchange. `unknown` when task_queues or the queue settings are not literal.
 */
function nativeDelay(config: AppConfig, k: Knowledge): 'yes' | 'no' | 'unknown' {
  const n = k.brokers.celery.nativeDelayedDelivery;
  if (compareVersions(config.version, n.since) < 0) return 'no';
  if (config.get('task_queues')) return 'unknown';
  const type = knownString(config.value('task_default_queue_type').value);
  if (type === undefined) return 'unknown';
  if (type !== 'quorum') return 'no';
  const exchange = knownString(config.value('task_default_exchange_type').value);
  if (exchange === undefined) return 'unknown';
  return n.exchangeTypes.includes(exchange) ? 'yes' : 'no';
}

function workerEffect(config: AppConfig, k: Knowledge, target: string): string {
  const retry = k.brokers.celery.channelErrors.retry;
  const stops = "the worker stops ('Unrecoverable error: PreconditionFailed')";
  if (compareVersions(target, retry.since) < 0) return `Celery ${short(target)} ${stops.replace('the worker stops', 'stops the worker')}`;
  const v = config.value(retry.setting).value;
  if (v?.kind === 'bool' && !v.value) return `${stops} since ${retry.setting} is off`;
  if (v?.kind === 'bool') return `with ${retry.setting} the worker reconnects, receives the requeued messages again and the channel is closed again`;
  return `${stops}, or with ${retry.setting} reconnects and fails again`;
}

