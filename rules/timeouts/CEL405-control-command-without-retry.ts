import { appConfig } from '../../src/engine/model-index.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { CallSite, ProjectModel } from '../../src/model/types.js';
import { brokerOf, isRedisFamily } from '../connections/broker.js';
import { appFor } from '../serializers/content.js';
import { pythonCalls } from './timeouts.js';

export default createRule({
  meta: {
    code: 'CEL405',
    name: 'control-command-without-retry',
    summary: 'inspect().ping() / control.ping() with no retry around it (typically a health check).',
    why:
      'Remote-control commands do not go through the retry policy that protects sending a task ' +
      '(task_publish_retry). Control.broadcast (celery/app/control.py) takes a pooled broker connection ' +
      '(connection_or_acquire) and calls Kombu\'s Mailbox._broadcast on it; Kombu (kombu/pidbox.py) retries at most ' +
      'the publish of the command, not the declaration of the reply queue nor the collection of the replies ' +
      '(Consumer + connection.drain_events). A pooled connection that went stale while idle therefore raises in the ' +
      "caller: with Redis, once the server's idle `timeout` closed it, the first command fails with " +
      "ConnectionError('Connection closed by server.') and only the next one reconnects. A health check built on " +
      'ping() then reports the workers down although they are up, and retrying at the HTTP level does not help when ' +
      'the retries land on other web replicas whose connections are stale too (seed 000). Retry the call itself, in ' +
      'the same process: a try/except that calls it again once, or a retry decorator (tenacity, backoff). The rule ' +
      'counts a call inside a try block or a function with a retry decorator as handled, and a later ping in the same ' +
      'function as the retry of a ping inside a try block.',
    example: "def health():\n    replies = app.control.inspect(timeout=1).ping()\n    return bool(replies)",
    useInstead:
      'from tenacity import retry, stop_after_attempt\n\n\n@retry(stop=stop_after_attempt(3), reraise=True)\n' +
      'def ping_workers():\n    return app.control.inspect(timeout=1).ping()\n\n\ndef health():\n    return bool(ping_workers())',
    fixSafety: 'none',
    versions: { description: 'Every release: control commands are sent without a retry from Celery 3.1 to 5.6.' },
    references: [
      'https://github.com/celery/celery/blob/v5.6.3/celery/app/control.py',
      'https://github.com/celery/kombu/blob/v5.6.2/kombu/pidbox.py',
      'https://docs.celeryq.dev/en/stable/userguide/workers.html#inspecting-workers',
      'https://tenacity.readthedocs.io/en/latest/',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    const pings = pythonCalls(model, ['inspect_ping', 'control_ping']);
    for (const site of pings) {
      if (site.inRetry !== false || isRetryOf(site, pings)) continue;
      ctx.report({
        message:
          `${site.receiver}.ping() is not retried when the broker connection fails: control commands skip the task publish retry ` +
          `policy and Kombu does not retry collecting their replies, so a pooled connection that went stale while ` +
          `idle raises here${redisClause(model, site, target)}. ` +
          `Retry the call in this function (try/except and call again, or a retry decorator such as tenacity's @retry).`,
        span: site.span,
        fix: { applicability: 'display-only', message: 'Wrap the ping in a function-level retry (try/except or tenacity @retry)', edits: [] },
      });
    }
  },
});

/** The second attempt of a try/except retry: an earlier ping of the same function sits in a try block. */
function isRetryOf(site: CallSite, pings: CallSite[]): boolean {
  return pings.some(
    (p) => p !== site && p.inRetry && p.file === site.file && p.inFunction === site.inFunction && p.span.start.offset < site.span.start.offset,
  );
}

/**
 * With a Redis broker: how a stale connection fails. The server's idle timeout is named only when every redis.conf
 * of the repository closes idle clients (which server the broker uses is not known); Redis's default keeps them.
 */
function redisClause(model: ProjectModel, site: CallSite, target: string | undefined): string {
  const app = appFor(model, site.file);
  if (!app || !target) return '';
  const k = knowledge();
  const broker = brokerOf(appConfig(model, app, target, k), k);
  if (!broker || !isRedisFamily(broker.transport)) return '';
  const confs = model.redisConfs.filter((c) => c.timeout);
  const closing = confs.length > 0 && confs.every((c) => c.timeout!.value > 0);
  const error = "ConnectionError('Connection closed by server.')";
  if (!closing) return ` (with Redis, if the server closes idle clients (redis.conf timeout), the first command after an idle period fails with ${error})`;
  const min = confs.reduce((a, b) => (b.timeout!.value < a.timeout!.value ? b : a));
  return ` (${min.file}:${min.timeout!.span.start.line} makes Redis close clients idle for ${min.timeout!.value} s: the first command after such a pause fails with ${error})`;
}
