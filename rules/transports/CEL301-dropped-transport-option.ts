import { appConfigs } from '../../src/engine/model-index.js';
import { type AppConfig, resolveEnv } from '../../src/engine/app-config.js';
import { compareVersions, knowledge, type Knowledge, type Transport } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix, type RuleContext } from '../../src/engine/types.js';
import type { DictEntry, ProjectModel, SettingFact, Value } from '../../src/model/types.js';
import type { ParsedUrl } from '../../src/model/url.js';
import { knownString } from '../../src/parse/pyvalue.js';
import { editDistance } from '../settings/keys.js';
import { celeryForKombu, kombuVersions, type KombuVersions } from './kombu.js';
import { backendName, literalOffset, urlSpanFor } from './urls.js';

export default createRule({
  meta: {
    code: 'CEL301',
    name: 'dropped-transport-option',
    summary: 'A transport option or broker URL parameter that the broker transport or result backend does not use.',
    why:
      'Celery hands broker_transport_options to the Kombu transport, which reads only the keys it knows; the rest ' +
      'are ignored without a warning. The MongoDB transport passed every option to pymongo.MongoClient in Kombu 3.0 ' +
      'but stopped in Kombu 4.0: socketTimeoutMS, connectTimeoutMS, serverSelectionTimeoutMS there no longer reach ' +
      'pymongo, and without socketTimeoutMS a worker waits forever on a dead MongoDB connection. Only the broker URL ' +
      'query string still reaches pymongo. result_backend_transport_options is read by the Redis/Sentinel result ' +
      'backend (4.2+) and, for global_keyprefix, by key-value backends (5.3+); the Redis result backend takes socket ' +
      'settings from redis_socket_timeout & co. For transports that do not parse their own URL (redis, amqp, sqs, ...) ' +
      'every query parameter of the broker URL becomes a keyword of kombu.Connection, and an unknown one raises ' +
      'TypeError when the connection is created. The MongoDB fix moves the options into a literal broker URL: it ' +
      'changes behaviour (the timeouts start to apply), so it is unsafe.',
    example:
      "broker_url = 'mongodb://db1:27017,db2:27017/jobs'\nbroker_transport_options = {'socketTimeoutMS': 5000, 'ttl': True}",
    useInstead: "broker_url = 'mongodb://db1:27017,db2:27017/jobs?socketTimeoutMS=5000'\nbroker_transport_options = {'ttl': True}",
    fixSafety: 'sometimes',
    versions: { description: 'Every release; the MongoDB pass-through ends with Kombu 4.0 (Celery 4.0).' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-transport-options',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#result-backend-transport-options',
      'https://github.com/celery/kombu/blob/v4.0.0/kombu/transport/mongodb.py',
      'https://github.com/celery/kombu/blob/v5.2.4/kombu/connection.py',
      'https://github.com/celery/celery/blob/v5.3.0/celery/backends/redis.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const kombu = kombuVersions(model, ctx.versions, k);
    for (const { app, config } of appConfigs(model, target, k)) {
      const broker = config.brokerUrl();
      const t = broker.parsed ? k.transport(broker.parsed.transport) : undefined;
      if (t && broker.parsed && broker.url && kombu) {
        // a URL read from the environment may be `sentinel://...` in another deploy: Sentinel's options are not judged then
        const alsoFor = broker.fromEnv && t.name === 'redis' ? k.transport('sentinel') : undefined;
        brokerOptions(ctx, k, config, t, broker.parsed, broker.url, broker.fact, kombu, alsoFor);
        urlQuery(ctx, model, k, t, broker.parsed, broker.url, broker.fact, kombu);
      }
      resultOptions(ctx, k, config, target);
    }
  },
});

function brokerOptions(
  ctx: RuleContext, k: Knowledge, config: AppConfig, t: Transport, url: ParsedUrl, rawUrl: string, urlFact: SettingFact | undefined, kombu: KombuVersions,
  alsoFor?: Transport,
): void {
  const setting = config.get(config.is4() ? 'broker_transport_options' : 'BROKER_TRANSPORT_OPTIONS');
  if (!setting) return;
  const value = resolveEnv(setting.fact.value, config.model);
  if (value.kind !== 'dict') return;
  const dropped: DictEntry[] = [];
  for (const entry of value.entries) {
    const key = knownString(entry.key);
    if (key === undefined || !entry.key.span) continue;
    if (kombu.versions.some((v) => honoured(k, t, key, v) || (alsoFor !== undefined && honoured(k, alsoFor, key, v)))) continue;
    dropped.push(entry);
  }
  if (!dropped.length) return;
  const passedBefore = t.passthrough?.until;
  const movable = t.urlQueryOptions && t.urlOptions ? movableEntries(t, dropped) : [];
  const fix = movable.length ? moveToUrlFix(setting.fact, value, movable, rawUrl, urlFact) : undefined;
  for (const entry of dropped) {
    const key = knownString(entry.key)!;
    const known = k.transportOptions(t.name, kombu.versions.at(-1)!)?.map((o) => o.key) ?? [];
    const near = known.find((o) => o !== key && editDistance(o, key, 2) <= 2);
    const inUrl = movable.includes(entry);
    let message = `broker_transport_options['${key}'] is ignored by the ${t.name} transport of ${kombu.label}`;
    if (passedBefore && compareVersions(kombu.versions[0]!, passedBefore) >= 0) {
      message +=
        `: since Kombu ${passedBefore.replace(/\.0$/, '')} broker_transport_options no longer reach ${t.passthrough!.to.split(' ')[0]}, ` +
        `only the broker URL's query string does` +
        (key === 'socketTimeoutMS' ? '. Without socketTimeoutMS pymongo waits forever on a dead connection (the worker hangs)' : '') +
        (inUrl ? `. Put ${key} in the broker URL's query string (${url.scheme}://...?${key}=...)` : urlOptionHint(t, key));
    } else {
      message += ': it is not an option that transport reads, so it has no effect' + (near ? ` (did you mean '${near}'?)` : '');
    }
    ctx.report({
      message: `${message}.`,
      span: entry.key.span!,
      fix,
      since: ctx.versions.mode === 'migrate' && passedBefore ? celeryForKombu(k, passedBefore) : undefined,
    });
  }
}

function urlOptionHint(t: Transport, key: string): string {
  if (!t.urlQueryOptions) return '';
  return `; ${key} is not a connection-string option pymongo accepts either`;
}

/** A key the transport reads at a Kombu version, or hands as a whole to its client library. */
function honoured(k: Knowledge, t: Transport, key: string, kombuVersion: string): boolean {
  if (k.transportPassthroughAt(t.name, kombuVersion)) return true;
  return (k.transportOptions(t.name, kombuVersion) ?? []).some((o) => o.key === key);
}

/** Dropped entries the client library would read from the URL query, with a literal value to write there. */
function movableEntries(t: Transport, dropped: DictEntry[]): DictEntry[] {
  const allowed = new Set((t.urlQueryOptions?.keys ?? []).map((x) => x.toLowerCase()));
  return dropped.filter((e) => {
    const key = knownString(e.key);
    return key !== undefined && allowed.has(key.toLowerCase()) && queryValue(e.value) !== undefined && !!e.span;
  });
}

function queryValue(v: Value): string | undefined {
  if (v.kind === 'num') return String(v.value);
  if (v.kind === 'bool') return v.value ? 'true' : 'false';
  if (v.kind === 'str') return encodeURIComponent(v.value);
  return undefined;
}

/**
 * Moves entries from a literal broker_transport_options dict into a literal broker URL's query string. Only when
 * both are written as literals here (a URL from the environment is not ours to edit) and the URL is a single host
 * list (no ';' failover).
 */
function moveToUrlFix(
  optionsFact: SettingFact, dict: Value, movable: DictEntry[], rawUrl: string, urlFact: SettingFact | undefined,
): Fix | undefined {
  if (dict.kind !== 'dict' || !dict.span || dict.span.start.offset !== optionsFact.valueSpan.start.offset) return undefined;
  if (!urlFact || urlFact.value.kind !== 'str' || urlFact.value.value !== rawUrl || !urlFact.value.span || rawUrl.includes(';')) return undefined;
  const end = literalOffset(urlFact.value, rawUrl.length);
  if (end === undefined) return undefined;
  const [base = '', query] = splitQuery(rawUrl);
  const present = new Set(Object.keys(parseQuery(query)).map((x) => x.toLowerCase()));
  const pairs = movable
    .filter((e) => !present.has(knownString(e.key)!.toLowerCase()))
    .map((e) => `${knownString(e.key)}=${queryValue(e.value)}`);
  const edits: Edit[] = [];
  if (pairs.length) {
    const afterScheme = base.slice(base.indexOf('://') + 3);
    // pymongo requires a '/' between the host list and the options
    const lead = query === undefined ? (afterScheme.includes('/') ? '?' : '/?') : query === '' || query.endsWith('&') ? '' : '&';
    edits.push({ file: urlFact.value.span.file, start: end, end, content: lead + pairs.join('&') });
  }
  edits.push(...removeEntries(dict, new Set(movable)));
  return {
    applicability: 'unsafe',
    message: `Move ${movable.map((e) => knownString(e.key)).join(', ')} from broker_transport_options into the broker URL query string`,
    edits,
  };
}

function splitQuery(url: string): [string, string | undefined] {
  const i = url.indexOf('?');
  return i < 0 ? [url, undefined] : [url.slice(0, i), url.slice(i + 1)];
}

function parseQuery(q: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (q ?? '').split('&')) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    out[i < 0 ? pair : pair.slice(0, i)] = i < 0 ? '' : pair.slice(i + 1);
  }
  return out;
}

/**
 * Deletes dict entries keeping the layout: an entry followed by another goes up to that one's start (its comma,
 * line break and the next entry's indentation); a trailing run goes from the end of the last kept entry. With
 * nothing kept the dict becomes `{}`.
 */
export function removeEntries(dict: Value, remove: ReadonlySet<DictEntry>): Edit[] {
  if (dict.kind !== 'dict' || !dict.span) return [];
  const entries = dict.entries;
  const file = dict.span.file;
  if (entries.every((e) => remove.has(e))) return [{ file, start: dict.span.start.offset, end: dict.span.end.offset, content: '{}' }];
  const lastKept = entries.map((e) => !remove.has(e)).lastIndexOf(true);
  const edits: Edit[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!remove.has(e) || !e.span) continue;
    if (i < lastKept) edits.push({ file, start: e.span.start.offset, end: entries[i + 1]!.span!.start.offset, content: '' });
  }
  const tail = entries.slice(lastKept + 1);
  if (tail.length) edits.push({ file, start: entries[lastKept]!.span!.end.offset, end: tail.at(-1)!.span!.end.offset, content: '' });
  return edits;
}

function urlQuery(
  ctx: RuleContext, model: ProjectModel, k: Knowledge, t: Transport, url: ParsedUrl, rawUrl: string, urlFact: SettingFact | undefined, kombu: KombuVersions,
): void {
  const keys = Object.keys(url.query);
  if (!keys.length || url.scheme.includes('+') || rawUrl.includes(';')) return;
  const q = k.transports.urlQuery;
  const ownParser = (v: string) => q.parsesOwnUrl.some((p) => p.transport === t.name && compareVersions(v, p.since) >= 0);
  if (kombu.versions.some(ownParser)) return;
  for (const key of keys) {
    const takes = (v: string) => {
      const accepted = q.accepted.filter((a) => compareVersions(v, a.since) >= 0).at(-1)?.keys ?? [];
      return accepted.includes(key) || (key.startsWith('ssl_') && compareVersions(v, q.sslPrefixedKeys.since) >= 0);
    };
    if (kombu.versions.some(takes)) continue;
    const span = urlSpanFor(model, urlFact, rawUrl, `${key}=`) ?? urlSpanFor(model, urlFact, rawUrl);
    if (!span) continue;
    const readsIt = (k.transportOptions(t.name, kombu.versions.at(-1)!) ?? []).some((o) => o.key === key);
    ctx.report({
      message:
        `The broker URL parameter '${key}' is not a keyword kombu.Connection takes: with ${kombu.label}, creating the broker ` +
        `connection raises TypeError (_init_params() got an unexpected keyword argument '${key}'), so the worker cannot start ` +
        `and tasks cannot be sent.` +
        (readsIt ? ` The ${t.name} transport reads ${key} from broker_transport_options: move it there.` : ' Remove it from the URL.'),
      span,
      severity: 'error',
    });
  }
}

function resultOptions(ctx: RuleContext, k: Knowledge, config: AppConfig, target: string): void {
  const setting = config.get('result_backend_transport_options');
  if (!setting) return;
  const value = resolveEnv(setting.fact.value, config.model);
  if (value.kind !== 'dict') return;
  const { url, fromEnv } = config.resultBackendUrl();
  const backend = url ? backendName(url) : undefined;
  const kb = k.transports.resultBackend;
  const known = kb.transportOptions.backends;
  if (!backend || !known) return;
  const live = (list: { name: string; since: string }[]) => list.filter((b) => compareVersions(target, b.since) >= 0).map((b) => b.name);
  const keyValue = live(known.keyValue);
  if (!keyValue.includes(backend) && !live(known.other).includes(backend)) return;
  // the three aliases of celery.backends.redis (RedisBackend and its SentinelBackend subclass)
  const redisFamily = ['redis', 'rediss', 'sentinel'].includes(backend);
  const applies = (b: string) =>
    b === 'redis' ? redisFamily : b === 'sentinel' ? backend === 'sentinel' || (fromEnv === true && redisFamily) : b.startsWith('key-value') ? keyValue.includes(backend) : b === backend;
  for (const entry of value.entries) {
    const key = knownString(entry.key);
    if (key === undefined || !entry.key.span) continue;
    if (kb.transportOptions.keys.some((x) => x.key === key && compareVersions(target, x.since) >= 0 && applies(x.backend))) continue;
    const instead = redisFamily
      ? kb.redis.settings.find((s) => (s.name === `redis_${key}` || s.name === `redis_backend_${key}`) && compareVersions(target, s.since) >= 0)
      : undefined;
    const reads = kb.transportOptions.keys
      .filter((x) => compareVersions(target, x.since) >= 0 && applies(x.backend))
      .map((x) => x.key);
    ctx.report({
      message:
        `result_backend_transport_options['${key}'] is not read by the ${backend} result backend at Celery ${target.replace(/\.0$/, '')}` +
        (reads.length ? ` (it reads ${reads.join(', ')})` : ' (that backend does not read result_backend_transport_options)') +
        ', so it has no effect' +
        (instead ? `: the Redis result backend takes it from the ${instead.name} setting.` : '.'),
      span: entry.key.span,
    });
  }
}
