import { AppConfig, resolveEnv } from '../../src/engine/app-config.js';
import type { Knowledge, Transport, TransportsDoc } from '../../src/engine/knowledge.js';
import type { CeleryApp, ProjectModel, SettingFact, Span, Value } from '../../src/model/types.js';
import type { ParsedUrl } from '../../src/model/url.js';
import { knownString } from '../../src/parse/pyvalue.js';
import { appAnchor } from '../serializers/content.js';
import { backendName, urlSpanFor } from '../transports/urls.js';

/** The three result backend aliases served by celery.backends.redis (RedisBackend and its Sentinel subclass). */
export const REDIS_BACKENDS = ['redis', 'rediss', 'sentinel'];

export type Timeouts = NonNullable<TransportsDoc['transports'][number]['timeouts']>;

/** The broker of an app with its transport, when the URL is statically known and names a transport we know. */
export interface Broker {
  url: string;
  parsed: ParsedUrl;
  fact?: SettingFact;
  transport: Transport;
}

export function brokerOf(config: AppConfig, k: Knowledge): Broker | undefined {
  const b = config.brokerUrl();
  if (!b.url || !b.parsed) return undefined;
  const transport = k.transport(b.parsed.scheme) ?? k.transport(b.parsed.transport);
  return transport ? { url: b.url, parsed: b.parsed, fact: b.fact, transport } : undefined;
}

/** A transport's socket timeouts, inherited from its base (sentinel → redis). */
export function timeoutsOf(k: Knowledge, t: Transport): Timeouts | undefined {
  return t.timeouts ?? (t.inherits ? k.transport(t.inherits)?.timeouts : undefined);
}

export function isRedisFamily(t: Transport): boolean {
  return t.name === 'redis' || t.inherits === 'redis';
}

export function isRedisBackend(url: string): boolean {
  return REDIS_BACKENDS.includes(backendName(url));
}

/** broker_transport_options as Celery reads it at the version (`BROKER_TRANSPORT_OPTIONS` before 4.0). */
export function transportOptionsName(config: AppConfig): string {
  return config.is4() ? 'broker_transport_options' : 'BROKER_TRANSPORT_OPTIONS';
}

/**
 * The app's broker_transport_options: absent, a dict whose keys are all known strings, or `unknown` (an env var,
 * a computed value, a `**spread`, a non-literal key) — then nothing can be said about which keys it holds.
 */
export function transportOptions(config: AppConfig): { fact?: SettingFact; dict?: Value & { kind: 'dict' }; unknown: boolean } {
  const s = config.get(transportOptionsName(config));
  if (!s) return { unknown: false };
  const v = resolveEnv(s.fact.value, config.model);
  if (v.kind !== 'dict' || v.entries.some((e) => knownString(e.key) === undefined)) return { fact: s.fact, unknown: true };
  return { fact: s.fact, dict: v, unknown: false };
}

/** Where to point at a connection URL: its literal or deploy-file value, else the app's configuration call. */
export function urlAnchor(model: ProjectModel, app: CeleryApp, fact: SettingFact | undefined, url: string): Span {
  return urlSpanFor(model, fact, url) ?? appAnchor(app);
}
