import { appConfigs } from '../../src/engine/model-index.js';
import { type AppConfig } from '../../src/engine/app-config.js';
import { compareVersions, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix, type RuleContext } from '../../src/engine/types.js';
import type { CeleryApp, ProjectModel } from '../../src/model/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { dictGet, knownString } from '../../src/parse/pyvalue.js';
import { addSettingsEdits, short } from '../serializers/content.js';
import { kombuVersions, type KombuVersions } from '../transports/kombu.js';
import { brokerOf, isRedisBackend, isRedisFamily, timeoutsOf, transportOptions, transportOptionsName, urlAnchor, type Broker, type Timeouts } from './broker.js';
import { addEntriesEdit, appendQueryEdit, queryKeys } from './edits.js';

/** Values the fix writes, in seconds: generous enough not to cut a slow but live connection. */
const READ_TIMEOUT = 120;
const CONNECT_TIMEOUT = 30;

// Linux retransmits unacknowledged data for ~15 minutes (tcp_retries2=15) before it fails the socket; data the dead
// peer had already acknowledged leaves the reader waiting for a reply that never comes (no keepalive by default).
const HANG =
  'waits without a time limit on a connection whose peer vanished without closing it (network partition, failover, a ' +
  'host that died): until the kernel gives up retransmitting (about 15 minutes with Linux defaults), or forever when ' +
  'what it sent had already been acknowledged';

export default createRule({
  meta: {
    code: 'CEL401',
    name: 'broker-socket-timeout-missing',
    summary: 'A Redis or MongoDB broker (or Redis result backend) whose client gets no socket timeout.',
    why:
      'Kombu hands the Redis client socket_timeout=None and socket_connect_timeout=None unless broker_transport_options ' +
      'sets them, and pymongo has no socketTimeoutMS unless the broker URL gives one. Without a socket timeout the ' +
      'client blocks on a connection whose peer vanished without closing it (network partition, failover, a dead ' +
      'host) until the kernel gives up retransmitting unacknowledged data (about 15 minutes with Linux defaults), or ' +
      'forever when what it sent had been acknowledged before the peer vanished (no TCP keepalive by default): a ' +
      'worker, a task.delay() call or a control command hangs that long instead of raising an error that lets Celery ' +
      'reconnect. For Redis the options go in ' +
      'broker_transport_options (kombu.Connection rejects them as broker URL parameters); for MongoDB only the broker ' +
      "URL's query string reaches pymongo from Kombu 4.0 (CEL301 reports timeouts left in broker_transport_options). " +
      'The Redis result backend has redis_socket_timeout = 120 s by default from Celery 4.0; in Celery 3.1 only the ' +
      "result backend URL's query string sets it. AMQP is not reported: heartbeats (broker_heartbeat, 120 s by default " +
      'from Celery 4.0) detect a dead connection. The fix adds socket_timeout 120 s and socket_connect_timeout 30 s: ' +
      'the values are a choice, so it is unsafe.',
    example: "broker_url = 'redis://redis:6379/0'",
    useInstead: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'socket_timeout': 120, 'socket_connect_timeout': 30}",
    fixSafety: 'unsafe',
    versions: { description: 'Every release (Redis socket options: Kombu 3.0.35+; MongoDB URL options: every Kombu).' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-transport-options',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#redis-socket-timeout',
      'https://github.com/celery/kombu/blob/v5.6.2/kombu/transport/redis.py',
      'https://github.com/celery/kombu/blob/v5.6.2/kombu/transport/mongodb.py',
      'https://www.mongodb.com/docs/manual/reference/connection-string-options/#mongodb-urioption-urioption.socketTimeoutMS',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const kombu = kombuVersions(model, ctx.versions, k);
    for (const { app, config } of appConfigs(model, target, k)) {
      const broker = brokerOf(config, k);
      const timeouts = broker ? timeoutsOf(k, broker.transport) : undefined;
      if (broker && timeouts && kombu) {
        if (timeouts.read.via === 'options') redisBroker(ctx, app, config, k, broker, timeouts, kombu);
        else mongoBroker(ctx, app, config, k, broker, timeouts, kombu);
      }
      redisBackend(ctx, model, app, config, k, target);
    }
  },
});

function redisBroker(ctx: RuleContext, app: CeleryApp, config: AppConfig, k: Knowledge, b: Broker, t: Timeouts, kombu: KombuVersions): void {
  // a Unix socket has no peer that can vanish silently
  if (!isRedisFamily(b.transport) || b.parsed.scheme.includes('socket')) return;
  const opts = transportOptions(config);
  if (opts.unknown || (opts.dict && dictGet(opts.dict, t.read.key))) return;
  const readsConnect = kombu.versions.every((v) => (k.transportOptions(b.transport.name, v) ?? []).some((o) => o.key === t.connect.key));
  const add: [string, unknown][] = [[t.read.key, READ_TIMEOUT]];
  if (readsConnect && !(opts.dict && dictGet(opts.dict, t.connect.key))) add.push([t.connect.key, CONNECT_TIMEOUT]);
  const name = opts.fact?.name ?? transportOptionsName(config);
  let edits: Edit[] | undefined;
  if (opts.fact && opts.dict) {
    const e = addEntriesEdit(opts.dict, opts.fact, add);
    edits = e ? [e] : undefined;
  } else {
    edits = addSettingsEdits(config.model, app, k, config.version, [{ setting: transportOptionsName(config), value: Object.fromEntries(add) }]);
  }
  ctx.report({
    message:
      `The ${b.transport.name} broker ${maskSecrets(b.url)} has no ${t.read.key} in ${name}: with ${kombu.label} redis-py gets ` +
      `${t.read.key}=None and ${HANG}, so publishing a task, a control command or the worker's connection check hangs that ` +
      `long instead of raising an error that lets Celery reconnect. Set ${t.read.key}${readsConnect ? ` and ${t.connect.key}` : ''} ` +
      `in ${name} (the broker URL cannot carry them: kombu.Connection rejects unknown URL parameters).`,
    span: opts.fact?.nameSpan ?? urlAnchor(config.model, app, b.fact, b.url),
    fix: fixOf(edits, `Add ${add.map(([key, v]) => `${key}=${String(v)}`).join(', ')} to ${name}`),
  });
}

function mongoBroker(ctx: RuleContext, app: CeleryApp, config: AppConfig, k: Knowledge, b: Broker, t: Timeouts, kombu: KombuVersions): void {
  const inUrl = queryKeys(b.parsed.query);
  if (inUrl.has(t.read.key.toLowerCase())) return;
  const opts = transportOptions(config);
  const passthrough = kombu.versions.some((v) => k.transportPassthroughAt(b.transport.name, v));
  if (opts.unknown && passthrough) return;
  // given there but dropped (Kombu 4.0+): CEL301 reports it and moves it into the URL
  const inOptions = (key: string) => !!opts.dict?.entries.some((e) => knownString(e.key)?.toLowerCase() === key.toLowerCase());
  if (inOptions(t.read.key)) return;
  const ms = (s: number) => (t.read.unit === 'ms' ? s * 1000 : s);
  const pairs: [string, number][] = [[t.read.key, ms(READ_TIMEOUT)]];
  // Kombu 3.0 derives connectTimeoutMS from BROKER_CONNECTION_TIMEOUT; from 4.0 only the connect_timeout option does
  const connectOption = kombu.versions.every((v) => (k.transportOptions(b.transport.name, v) ?? []).some((o) => o.key === 'connect_timeout'));
  if (connectOption && !inUrl.has(t.connect.key.toLowerCase()) && !inOptions('connect_timeout') && !inOptions(t.connect.key)) {
    pairs.push([t.connect.key, ms(CONNECT_TIMEOUT)]);
  }
  const until = b.transport.passthrough?.until;
  const dropped = !!until && kombu.versions.every((v) => compareVersions(v, until) >= 0);
  const edit = appendQueryEdit(b.fact, b.url, pairs, true);
  ctx.report({
    message:
      `The ${b.transport.name} broker URL ${maskSecrets(b.url)} sets no ${t.read.key}: pymongo's default is no socket timeout, ` +
      'so a worker blocked on a MongoDB connection whose peer vanished without closing it (network partition, primary ' +
      `unreachable) waits forever and ` +
      `only recovers when the network comes back. ${kombu.label} hands pymongo the options of the broker URL's query string` +
      (dropped ? ` (broker_transport_options no longer reach pymongo since Kombu ${short(until)})` : '') +
      `: add ${t.read.key} there.`,
    span: urlAnchor(config.model, app, b.fact, b.url),
    fix: fixOf(edit ? [edit] : undefined, `Add ${pairs.map(([key, v]) => `${key}=${v}`).join('&')} to the broker URL`),
  });
}

function redisBackend(ctx: RuleContext, model: ProjectModel, app: CeleryApp, config: AppConfig, k: Knowledge, target: string): void {
  const r = config.resultBackendUrl();
  if (!r.url || !r.parsed || !isRedisBackend(r.url) || r.parsed.scheme.includes('socket')) return;
  const rb = k.transports.resultBackend.redis;
  const inUrl = queryKeys(r.parsed.query);
  if (!rb.urlQuery || compareVersions(target, rb.urlQuery.since) < 0 || inUrl.has('socket_timeout')) return;
  const setting = rb.settings.find((s) => s.name === 'redis_socket_timeout' && compareVersions(target, s.since) >= 0);
  if (setting) {
    const { value, fromDefault } = config.value(setting.name);
    const off = value?.kind === 'none' || (value?.kind === 'num' && value.value === 0);
    const fact = config.get(setting.name)?.fact;
    if (fromDefault || !off || !fact) return;
    ctx.report({
      message:
        `${fact.name} = ${value?.kind === 'none' ? 'None' : '0'} turns off the socket timeout Celery ${short(target)} gives the Redis ` +
        `result backend (default ${String(setting.default)} s): redis-py then ${HANG}, so storing or fetching a result hangs that long.`,
      span: fact.valueSpan,
      fix: fixOf(
        [{ file: fact.valueSpan.file, start: fact.valueSpan.start.offset, end: fact.valueSpan.end.offset, content: String(READ_TIMEOUT) }],
        `Set ${fact.name} to ${READ_TIMEOUT}`,
      ),
    });
    return;
  }
  const pairs: [string, number][] = [['socket_timeout', READ_TIMEOUT]];
  if (!inUrl.has('socket_connect_timeout')) pairs.push(['socket_connect_timeout', CONNECT_TIMEOUT]);
  const edit = appendQueryEdit(r.fact, r.url, pairs, false);
  ctx.report({
    message:
      `The Redis result backend ${maskSecrets(r.url)} has no socket_timeout: Celery ${short(target)} takes it only from the ` +
      `URL's query string, and without it redis-py ${HANG}, so storing or fetching a result hangs that long.`,
    span: urlAnchor(model, app, r.fact, r.url),
    fix: fixOf(edit ? [edit] : undefined, `Add ${pairs.map(([key, v]) => `${key}=${v}`).join('&')} to the result backend URL`),
  });
}

function fixOf(edits: Edit[] | undefined, message: string): Fix | undefined {
  return edits?.length ? { applicability: 'unsafe', message, edits } : undefined;
}
