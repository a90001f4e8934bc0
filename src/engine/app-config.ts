import { appSettings, type AppSetting } from '../model/effective.js';
import type { CeleryApp, ProjectModel, SettingFact, Value } from '../model/types.js';
import { parseUrl, type ParsedUrl } from '../model/url.js';
import { knownString } from '../parse/pyvalue.js';
import { compareVersions, type JsonValue, type Knowledge } from './knowledge.js';

/** How a configuration key is read by Celery at a version. */
export type KeyReading =
  | { kind: 'new'; setting: string }
  /** An old (pre-4.0 style) alias of `setting`. */
  | { kind: 'old'; setting: string }
  /** A Celery 3.1 setting name (the project runs < 4.0). */
  | { kind: 'celery31'; setting: string }
  | { kind: 'unknown' };

export interface ResolvedSetting extends AppSetting {
  reading: KeyReading;
}

/**
 * An app's configuration as Celery at `version` reads it: every key with how it is read (new name, old alias,
 * 3.1 name, unknown), and the effective value of each setting (last assignment wins; direct changes win).
 */
export class AppConfig {
  readonly entries: ResolvedSetting[];
  private readonly effective = new Map<string, ResolvedSetting>();

  constructor(readonly app: CeleryApp, readonly model: ProjectModel, readonly k: Knowledge, readonly version: string) {
    this.entries = appSettings(app, model).map((s) => ({ ...s, ...constructorNotRead(s, k, version), reading: readKey(s, app, k, version) }));
    for (const e of this.entries) {
      if (e.notRead || e.reading.kind === 'unknown') continue;
      this.effective.set(e.reading.setting, e);
    }
  }

  /** The assignment that sets `setting` (a new name, or a 3.1 name before 4.0), if any. */
  /**
   * Whether a file the app's configuration comes from (the app's module, its config modules and their star-import
   * chains) has syntax errors, or part of the configuration cannot be read at all (`conf.update(flask_app.config)`, a
   * config_from_object target not found in the project): settings may be missing, so "X is not set" cannot be claimed.
   */
  incomplete(): boolean {
    // Asked once per task by some rules: the answer depends only on the model's parse problems.
    this.incompleteCache ??= this.findIncomplete();
    return this.incompleteCache;
  }

  private incompleteCache: boolean | undefined;

  private findIncomplete(): boolean {
    if (this.app.configSources.some((r) => r.kind === 'conf_update' || r.kind === 'subclass' || (!r.file && r.target.kind !== 'dict'))) return true;
    const files = new Set([this.app.file]);
    for (const ref of this.app.configSources) {
      const mod = this.model.configModules.find((m) => m.file === ref.file);
      for (const f of mod?.chain ?? (ref.file ? [ref.file] : [])) files.add(f);
    }
    return this.model.problems.some((p) => p.severity === 'error' && files.has(p.file) && p.message.startsWith('syntax error'));
  }

  get(setting: string): ResolvedSetting | undefined {
    return this.effective.get(setting);
  }

  /** The statically known value of a setting: the assignment's (env vars resolved), else the default at the version. */
  value(setting: string): { value: Value | undefined; fromDefault: boolean; default?: JsonValue } {
    const s = this.get(setting);
    if (s) return { value: resolveEnv(s.fact.value, this.model), fromDefault: false };
    const d = this.k.defaultAt(setting, this.version);
    return { value: d ? jsonToValue(d.value) : undefined, fromDefault: true, default: d?.value };
  }

  /** The broker URL as far as it is known statically (the CELERY_BROKER_URL environment variable wins from 4.0). */
  brokerUrl(): { url?: string; parsed?: ParsedUrl; fact?: SettingFact; template?: boolean; fromEnv?: boolean } {
    // Rules ask once per task or call site; the answer depends only on the model and the version.
    return (this.urls.broker ??= this.brokerUrlOf());
  }

  resultBackendUrl(): { url?: string; parsed?: ParsedUrl; fact?: SettingFact; template?: boolean; fromEnv?: boolean } {
    return (this.urls.backend ??= this.resultBackendUrlOf());
  }

  private readonly urls: { broker?: ReturnType<AppConfig['brokerUrl']>; backend?: ReturnType<AppConfig['brokerUrl']> } = {};

  private brokerUrlOf(): ReturnType<AppConfig['brokerUrl']> {
    return this.url(this.is4() ? 'broker_url' : 'BROKER_URL', 'CELERY_BROKER_URL');
  }

  private resultBackendUrlOf(): ReturnType<AppConfig['brokerUrl']> {
    return this.url(this.is4() ? 'result_backend' : 'CELERY_RESULT_BACKEND', compareVersions(this.version, '4.2.0') >= 0 ? 'CELERY_RESULT_BACKEND' : undefined);
  }

  is4(): boolean {
    return compareVersions(this.version, '4.0.0') >= 0;
  }

  private url(setting: string, envOverride: string | undefined): ReturnType<AppConfig['brokerUrl']> {
    const s = this.get(setting);
    const env = envOverride && this.is4() ? this.model.envVars.find((e) => e.name === envOverride) : undefined;
    const known = knownString(env?.value) ?? (s ? knownString(resolveEnv(s.fact.value, this.model)) : undefined);
    const template = known === undefined && !env && s ? urlTemplate(s.fact.value) : undefined;
    const url = known ?? template;
    // os.environ.get('CELERY_BROKER_URL', 'redis://...'): each deploy may give another URL (open-forms: sentinel://)
    const fromEnv = s?.fact.value.kind === 'env';
    return { url, parsed: url ? parseUrl(url) : undefined, fact: s?.fact, ...(template ? { template: true } : {}), ...(fromEnv ? { fromEnv: true } : {}) };
  }
}

/** Celery(task_time_limit=60) before 5.1: the keyword is accepted and dropped. */
function constructorNotRead(s: AppSetting, k: Knowledge, version: string): { notRead?: string } {
  if (s.fact.origin !== 'celery-arg' || s.notRead || k.constructorKeywordRead(s.key, version)) return {};
  return { notRead: `Celery() before 5.1 drops this keyword argument` };
}

function readKey(s: AppSetting, app: CeleryApp, k: Knowledge, version: string): KeyReading {
  const key = s.key;
  if (compareVersions(version, '4.0.0') < 0) {
    const name = app.namespace && s.from === 'config-module' ? `${app.namespace}_${key.toUpperCase()}` : key;
    if (k.celery31Setting(name)) return { kind: 'celery31', setting: name };
    // Celery(broker=...) stores new-style keys even in 3.1 (BROKER_URL)
    if (s.fact.origin === 'celery-arg') return { kind: 'celery31', setting: key === 'broker_url' ? 'BROKER_URL' : key === 'result_backend' ? 'CELERY_RESULT_BACKEND' : key.toUpperCase() };
    return { kind: 'unknown' };
  }
  const setting = k.setting(key);
  if (setting && k.defaultAt(key, version) !== undefined) return { kind: 'new', setting: key };
  // Inside a namespace old names are never tried (config-loading.yaml: namespace)
  if (app.namespace && s.from === 'config-module') return { kind: 'unknown' };
  const renamed = k.newNameAt(key, version);
  if (renamed) return { kind: 'old', setting: renamed };
  return { kind: 'unknown' };
}

/**
 * f"redis://{HOST}:6379/0": a URL whose scheme, path and query are literal and whose unknown parts all sit in the
 * host and credentials. Its transport and options are known; the host is not (never compared with another URL).
 */
function urlTemplate(v: Value): string | undefined {
  if (v.kind !== 'unknown' || !v.template) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([/?#][^{}]*)?$/i.test(v.template) ? v.template : undefined;
}

/**
 * An env-var value resolved through the project's deploy files when they all agree on it, else its default.
 */
export function resolveEnv(v: Value, model: Pick<ProjectModel, 'envVars'>): Value {
  if (v.kind !== 'env') return v;
  const values = new Set(model.envVars.filter((e) => e.name === v.name).map((e) => knownString(e.value)));
  if (values.size === 1) {
    const only = [...values][0];
    if (only !== undefined) return { kind: 'str', value: only, span: v.span };
  }
  return v.default ?? v;
}

export function jsonToValue(j: JsonValue): Value {
  if (j === null) return { kind: 'none' };
  if (typeof j === 'string') return { kind: 'str', value: j };
  if (typeof j === 'number') return { kind: 'num', value: j };
  if (typeof j === 'boolean') return { kind: 'bool', value: j };
  if (Array.isArray(j)) return { kind: 'list', items: j.map(jsonToValue) };
  return { kind: 'dict', entries: Object.entries(j).map(([key, value]) => ({ key: { kind: 'str', value: key }, value: jsonToValue(value as JsonValue) })) };
}

/** The worker pools the project's deploy commands start (`-P`/`--pool`), `worker_pool` setting, else prefork. */
export function workerPools(model: ProjectModel, config?: AppConfig): { pool: string; where?: SettingFact | ProjectModel['commands'][number] }[] {
  const out: { pool: string; where?: SettingFact | ProjectModel['commands'][number] }[] = [];
  for (const c of model.commands) {
    if (c.subcommand !== 'worker' && c.subcommand !== 'multi') continue;
    out.push({ pool: normalisePool(c.pool ?? (config ? knownString(config.value(config.is4() ? 'worker_pool' : 'CELERYD_POOL').value) : undefined) ?? 'prefork'), where: c });
  }
  if (out.length === 0 && config) {
    const s = config.get(config.is4() ? 'worker_pool' : 'CELERYD_POOL');
    const pool = s ? knownString(resolveEnv(s.fact.value, model)) : undefined;
    if (pool) out.push({ pool: normalisePool(pool), where: s?.fact });
  }
  return out;
}

function normalisePool(p: string): string {
  const v = p.toLowerCase();
  if (v.includes('gevent')) return 'gevent';
  if (v.includes('eventlet')) return 'eventlet';
  if (v === 'processes' || v.includes('prefork')) return 'prefork';
  if (v.includes('thread')) return 'threads';
  return v;
}
