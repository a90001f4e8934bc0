import { appConfigs } from '../../src/engine/model-index.js';
import { type AppConfig } from '../../src/engine/app-config.js';
import { compareVersions, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix, type RuleContext } from '../../src/engine/types.js';
import type { CeleryApp, DictEntry, ProjectModel, RedisServerConf, SettingFact, Span, Value } from '../../src/model/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { dictGet, knownNumber } from '../../src/parse/pyvalue.js';
import { addSettingsEdits, short } from '../serializers/content.js';
import { kombuVersions, type KombuVersions } from '../transports/kombu.js';
import { brokerOf, isRedisBackend, isRedisFamily, transportOptions, transportOptionsName, urlAnchor, type Broker } from './broker.js';
import { addEntriesEdit, queryKeys } from './edits.js';

/** The idle timeout of the Redis servers configured in the repository, when they agree that there is one. */
interface IdleTimeout {
  seconds: number;
  conf: RedisServerConf;
  span: Span;
}

const CLOSED =
  "is closed by the server, and the next command on it fails with ConnectionError('Connection closed by server.')";

export default createRule({
  meta: {
    code: 'CEL402',
    name: 'redis-idle-timeout',
    summary: 'The Redis server closes idle clients (redis.conf timeout) sooner than the Celery client checks its connections.',
    why:
      'With `timeout N` (N > 0) Redis closes a client connection that stayed idle for N seconds. A pooled broker or ' +
      'result-backend connection that sat unused that long is dead the next time it is used: the command fails with ' +
      "ConnectionError('Connection closed by server.'), for example on control commands such as inspect().ping(); " +
      'with Celery 3.1 workers were also reported spinning at 100% CPU on the half-closed (CLOSE_WAIT) socket ' +
      "(celery/celery#1845). redis-py's health check avoids it: a connection idle longer than health_check_interval is " +
      'pinged, and reconnected when the ping fails, before it is used. Kombu 4.6.7 checks every 25 s; from Kombu 4.6.8 ' +
      "broker_transport_options['health_check_interval'] sets it (default 25); older Kombu has no check. The Redis " +
      'result backend checks only when redis_backend_health_check_interval is set (Celery 5.1+). The rule compares the ' +
      "interval with the smallest timeout of the repository's redis.conf files (or redis-server --timeout arguments); " +
      'it stays silent when one of them keeps idle clients (timeout 0), since the Redis the broker uses is not known. ' +
      'The fix sets the interval to half the timeout: a chosen value, so it is unsafe.',
    example: "# redis.conf: timeout 20\nbroker_url = 'redis://redis:6379/0'",
    useInstead: "broker_url = 'redis://redis:6379/0'\nbroker_transport_options = {'health_check_interval': 10}",
    fixSafety: 'unsafe',
    versions: { description: 'Every release; the broker health check exists from Kombu 4.6.7, the result backend one from Celery 5.1.' },
    references: [
      'https://redis.io/docs/latest/develop/reference/clients/#client-timeouts',
      'https://github.com/celery/kombu/blob/v5.6.2/kombu/transport/redis.py',
      'https://github.com/celery/celery/blob/v5.1.0/celery/backends/redis.py',
      'https://github.com/celery/celery/issues/1845',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const idle = idleTimeout(model);
    if (!idle) return;
    const k = knowledge();
    const kombu = kombuVersions(model, ctx.versions, k);
    for (const { app, config } of appConfigs(model, target, k)) {
      const broker = brokerOf(config, k);
      if (broker && kombu && isRedisFamily(broker.transport)) brokerCheck(ctx, app, config, k, broker, kombu, idle);
      backendCheck(ctx, model, app, config, k, target, idle);
    }
  },
});

/**
 * The smallest positive `timeout` among the repository's Redis server configurations; none when a configuration
 * keeps idle clients (timeout 0): which server the broker talks to is not known.
 */
function idleTimeout(model: ProjectModel): IdleTimeout | undefined {
  const set = model.redisConfs.filter((c) => c.timeout);
  if (!set.length || set.some((c) => c.timeout!.value <= 0)) return undefined;
  const min = set.reduce((a, b) => (b.timeout!.value < a.timeout!.value ? b : a));
  return { seconds: min.timeout!.value, conf: min, span: min.timeout!.span };
}

/** Half the server's timeout: checks well before the server gives up on the connection. */
function chosenInterval(idle: IdleTimeout): number | undefined {
  const v = Math.floor(idle.seconds / 2);
  return v >= 1 ? v : undefined;
}

function where(idle: IdleTimeout): string {
  return `timeout ${idle.seconds} in ${idle.conf.file}:${idle.span.start.line}`;
}

function brokerCheck(ctx: RuleContext, app: CeleryApp, config: AppConfig, k: Knowledge, b: Broker, kombu: KombuVersions, idle: IdleTimeout): void {
  const opts = transportOptions(config);
  if (opts.unknown) return;
  const name = opts.fact?.name ?? transportOptionsName(config);
  const key = k.healthCheckAt(b.transport.name, kombu.versions.at(-1)!)?.key ?? 'health_check_interval';
  const explicit = opts.dict ? dictGet(opts.dict, key) : undefined;
  const given = explicit ? intervalOf(explicit.value) : undefined;
  if (explicit && given === undefined) return;
  const reasons = new Map<string, string>();
  for (const v of kombu.versions) {
    const h = k.healthCheckAt(b.transport.name, v);
    if (!h) reasons.set(v, `Kombu ${v} has no connection health check`);
    else if (!h.configurable) {
      if (h.interval >= idle.seconds) reasons.set(v, `Kombu ${v} checks connections every ${h.interval} s and does not read ${key}`);
    } else if (explicit) {
      if (given! <= 0) reasons.set(v, `${name}['${key}'] = ${describe(explicit.value)} turns the health check off`);
      else if (given! >= idle.seconds) reasons.set(v, `${name}['${key}'] is ${given} s`);
    } else if (h.interval >= idle.seconds) {
      reasons.set(v, `the redis transport of Kombu ${v} checks idle connections every ${h.interval} s (${key} default)`);
    }
  }
  if (!reasons.size) return;
  const bad = [...reasons.keys()];
  const some = bad.length < kombu.versions.length;
  const reason = reasons.get(bad.at(-1)!)!;
  const configurable = kombu.versions.every((v) => k.healthCheckAt(b.transport.name, v)?.configurable);
  const interval = chosenInterval(idle);
  let edits: Edit[] | undefined;
  if (configurable && interval !== undefined) {
    if (explicit) edits = replaceValue(explicit, interval);
    else if (opts.fact && opts.dict) {
      const e = addEntriesEdit(opts.dict, opts.fact, [[key, interval]]);
      edits = e ? [e] : undefined;
    } else {
      edits = addSettingsEdits(config.model, app, k, config.version, [{ setting: transportOptionsName(config), value: { [key]: interval } }]);
    }
  }
  const since = k.transport(b.transport.name)?.healthCheck?.option.since ?? k.transport('redis')?.healthCheck?.option.since;
  ctx.report({
    message:
      `Redis closes clients idle for ${idle.seconds} s (${where(idle)}) and ` +
      (some ? `if Kombu ${bad.join(' or ')} is installed, which ${kombu.label} allows, ` : '') +
      `${reason}: a broker connection of ${maskSecrets(b.url)} left idle longer than that ${CLOSED} - control commands ` +
      'such as inspect().ping() get it. ' +
      (configurable
        ? `Set ${name}['${key}'] below ${idle.seconds}.`
        : `Use Kombu ${since ? short(since) : 'with health_check_interval'}${since ? ' or later' : ''} and set ${key} below ${idle.seconds}, or set timeout 0 in the Redis configuration.`),
    span: explicit?.value.span ?? opts.fact?.nameSpan ?? urlAnchor(config.model, app, b.fact, b.url),
    fix: fixOf(edits, `Set ${key} to ${interval ?? ''} in ${name}`),
  });
}

function backendCheck(ctx: RuleContext, model: ProjectModel, app: CeleryApp, config: AppConfig, k: Knowledge, target: string, idle: IdleTimeout): void {
  const r = config.resultBackendUrl();
  if (!r.url || !r.parsed || !isRedisBackend(r.url)) return;
  // health_check_interval in the URL query reaches redis-py (connparams.update(query))
  if (queryKeys(r.parsed.query).has('health_check_interval')) return;
  const setting = k.transports.resultBackend.redis.settings.find((s) => s.name === 'redis_backend_health_check_interval');
  if (!setting) return;
  const exists = compareVersions(target, setting.since) >= 0;
  const fact = exists ? config.get(setting.name)?.fact : undefined;
  let reason: string;
  let edits: Edit[] | undefined;
  const interval = chosenInterval(idle);
  if (!exists) {
    reason = `the Redis result backend of Celery ${short(target)} has no health check (${setting.name} came in ${short(setting.since)})`;
  } else if (fact) {
    const given = intervalOf(config.value(setting.name).value);
    if (given === undefined || (given > 0 && given < idle.seconds)) return;
    reason = given <= 0 ? `${fact.name} = ${describe(fact.value)} turns the health check off` : `${fact.name} is ${given} s`;
    if (interval !== undefined) edits = replaceSetting(fact, interval);
  } else {
    reason = `${setting.name} is not set, so the Redis result backend of Celery ${short(target)} never checks its connections`;
    if (interval !== undefined) edits = addSettingsEdits(model, app, k, target, [{ setting: setting.name, value: interval }]);
  }
  ctx.report({
    message:
      `Redis closes clients idle for ${idle.seconds} s (${where(idle)}) and ${reason}: a result backend connection of ` +
      `${maskSecrets(r.url)} left idle longer than that ${CLOSED}, so storing or reading a result can fail. ` +
      (exists ? `Set ${setting.name} below ${idle.seconds}.` : `Use Celery ${short(setting.since)} or later and set ${setting.name} below ${idle.seconds}, or set timeout 0 in the Redis configuration.`),
    span: fact?.valueSpan ?? urlAnchor(model, app, r.fact, r.url),
    fix: fixOf(edits, `Set ${setting.name} to ${interval ?? ''}`),
  });
}

/** A health-check interval value: seconds, 0 for None (off), undefined when not known statically. */
function intervalOf(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'none') return 0;
  return knownNumber(v);
}

function describe(v: Value): string {
  return v.kind === 'none' ? 'None' : v.kind === 'num' ? String(v.value) : 'unknown';
}

/** Replaces a literal number/None dict value in place. */
function replaceValue(entry: DictEntry, interval: number): Edit[] | undefined {
  const span = entry.value.span;
  if (!span || (entry.value.kind !== 'num' && entry.value.kind !== 'none')) return undefined;
  return [{ file: span.file, start: span.start.offset, end: span.end.offset, content: String(interval) }];
}

function replaceSetting(fact: SettingFact, interval: number): Edit[] | undefined {
  if (fact.value.kind !== 'num' && fact.value.kind !== 'none') return undefined;
  const span = fact.valueSpan;
  return [{ file: span.file, start: span.start.offset, end: span.end.offset, content: String(interval) }];
}

function fixOf(edits: Edit[] | undefined, message: string): Fix | undefined {
  return edits?.length ? { applicability: 'unsafe', message, edits } : undefined;
}
