import { appConfig } from '../../src/engine/model-index.js';
import { resolveEnv } from '../../src/engine/app-config.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { CeleryApp, ProducerClient, ProjectModel, Value } from '../../src/model/types.js';
import { maskSecrets, parseUrl, type ParsedUrl } from '../../src/model/url.js';
import { appOfTask, producerGets, producerSends } from './producers.js';

const DEFAULT_PORTS: Record<string, number> = { redis: 6379, rediss: 6379, amqp: 5672, amqps: 5671, pyamqp: 5672 };
const FAMILY: Record<string, string> = { redis: 'redis', rediss: 'redis', amqp: 'amqp', amqps: 'amqp', pyamqp: 'amqp', librabbitmq: 'amqp' };
const LOCAL = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export default createRule({
  meta: {
    code: 'CEL704',
    name: 'broker-mismatch',
    summary: 'A Node.js producer and the Python workers point at different brokers (or result backends), both written literally.',
    why:
      'A celery-node or celery-ts client publishes to the broker URL it is given, and the workers consume from theirs. ' +
      'When the two differ in port, Redis database number or RabbitMQ virtual host, the messages land in a queue no ' +
      'worker reads: nothing fails on the Node side, the tasks just never run. The same holds for the result backend ' +
      'a producer waits on: results stored elsewhere are never seen and get() waits until its timeout. Typical after ' +
      'moving the workers to another Redis db or vhost during an upgrade. Only literal URLs (or environment variables ' +
      'whose value the deploy files agree on) are compared; different host names are reported with a condition, ' +
      'because two names may reach the same server. Passwords are masked.',
    example: "broker_url = 'redis://redis:6379/0'\n// Node: createClient('redis://redis:6379/2', ...)",
    useInstead: "broker_url = 'redis://redis:6379/0'\n// Node: createClient('redis://redis:6379/0', ...)",
    fixSafety: 'none',
    versions: { description: 'Every release.' },
    references: ['https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-url', 'https://github.com/actumn/celery.node#client'],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    for (const client of model.producers) {
      const apps = appsOf(model, client);
      if (apps.length === 0) continue;
      const configs = apps.map((app) => appConfig(model, app, target, k));
      const broker = literal(model, client.broker);
      // a templated URL (f"redis://{HOST}/0") has an unknown host: it is never said to differ
      const known = (u: { url?: string; template?: boolean }) => (u.template ? undefined : u.url);
      const workerBrokers = configs.map((c) => known(c.brokerUrl()));
      compare(broker, workerBrokers, 'broker', 'broker_url', (message, span) => ctx.report({ message, span }));
      if (!producerGets(model).some((g) => g.producer?.client === client.id)) continue;
      const backend = literal(model, client.backend);
      const workerBackends = configs.map((c) => known(c.resultBackendUrl()));
      compare(backend, workerBackends, 'result backend', 'result_backend', (message, span) => ctx.report({ message, span }));
    }
  },
});

/** The apps whose tasks the client sends (by task name), else the project's only app. */
function appsOf(model: ProjectModel, client: ProducerClient): CeleryApp[] {
  const sends = producerSends(model).filter((c) => c.producer?.client === client.id);
  if (sends.length === 0) return [];
  const apps = new Set(sends.map((c) => appOfTask(model, c.task)).filter((a): a is CeleryApp => a !== undefined));
  return [...apps];
}

function literal(model: ProjectModel, v: Value | undefined): { url: string; parsed: ParsedUrl; value: Value } | undefined {
  if (!v) return undefined;
  const resolved = resolveEnv(v, model);
  const url = resolved.kind === 'str' ? resolved.value : undefined;
  const parsed = url ? parseUrl(url) : undefined;
  return url && parsed ? { url, parsed, value: v } : undefined;
}

function compare(
  producer: ReturnType<typeof literal>,
  workers: (string | undefined)[],
  what: string,
  setting: string,
  report: (message: string, span: NonNullable<Value['span']>) => void,
): void {
  if (!producer || !producer.value.span) return;
  const known = workers.filter((w): w is string => w !== undefined);
  // every app must have a literal URL: an unknown one may be the producer's
  if (known.length === 0 || known.length !== workers.length) return;
  const diffs = known.map((w) => ({ url: w, diff: difference(producer.parsed, parseUrl(w)) }));
  if (diffs.some((d) => d.diff === undefined)) return;
  const first = diffs[0]!;
  const conditional = diffs.every((d) => d.diff!.hostOnly);
  report(
    `The producer's ${what} ${maskSecrets(producer.url)} differs from the workers' ${setting} ${maskSecrets(first.url)} (${first.diff!.text}): ` +
      (conditional ? 'unless both host names reach the same server, ' : '') +
      (what === 'broker' ? 'its messages go where no worker consumes and the tasks never run.' : 'it waits for results the workers store elsewhere; get() never sees them.'),
    producer.value.span,
  );
}

/** How two URLs differ in where they lead (scheme family, host, port, db, vhost); undefined when they agree. */
function difference(a: ParsedUrl, b: ParsedUrl | undefined): { text: string; hostOnly: boolean } | undefined {
  if (!b) return undefined;
  const fa = FAMILY[a.transport];
  const fb = FAMILY[b.transport];
  if (!fa || !fb) return undefined;
  if (fa !== fb) return { text: `${a.transport} vs ${b.transport}`, hostOnly: false };
  const parts: string[] = [];
  const port = (u: ParsedUrl) => u.port ?? DEFAULT_PORTS[u.transport];
  if (port(a) !== port(b)) parts.push(`port ${port(a)} vs ${port(b)}`);
  if (fa === 'redis' && (a.db ?? 0) !== (b.db ?? 0)) parts.push(`db ${a.db ?? 0} vs ${b.db ?? 0}`);
  const vhost = (u: ParsedUrl) => (!u.path || u.path === '/' ? '/' : u.path);
  if (fa === 'amqp' && vhost(a) !== vhost(b)) parts.push(`vhost '${vhost(a)}' vs '${vhost(b)}'`);
  const host = (u: ParsedUrl) => (u.host ?? 'localhost').toLowerCase();
  const sameHost = host(a) === host(b) || (LOCAL.has(host(a)) && LOCAL.has(host(b)));
  if (!sameHost) parts.unshift(`host ${host(a)} vs ${host(b)}`);
  if (parts.length === 0) return undefined;
  return { text: parts.join(', '), hostOnly: !sameHost && parts.length === 1 };
}
