import { AppConfig, resolveEnv, type ResolvedSetting } from '../../src/engine/app-config.js';
import { compareVersions, inRange, type JsonValue, type Knowledge } from '../../src/engine/knowledge.js';
import type { Edit, Fix, VersionContext } from '../../src/engine/types.js';
import type { CeleryApp, ProjectModel, Span, Value } from '../../src/model/types.js';
import { configSources, mixing, nameInStyle, pyLiteral, settingInsertion, SettingNames, type ConfigSource } from '../settings/keys.js';

/*
 * Shared by the serializer rules (CEL201-CEL203): the serializer settings of an app at a Celery version, with
 * explicit values and the defaults of serializers.yaml, and content types compared as Kombu compares them.
 */

export type SerializerSetting = 'task_serializer' | 'result_serializer' | 'accept_content' | 'result_accept_content';

/** One serializer setting of an app at a version: the assignment Celery reads, else the release's default. */
export interface SettingState {
  setting: SerializerSetting;
  /** The name Celery reads at the version (`CELERY_ACCEPT_CONTENT` before 4.0). */
  name: string;
  fact?: ResolvedSetting;
  /** The value in force (env vars resolved), or the default as a Value. */
  value: Value | undefined;
  fromDefault: boolean;
}

/** The name of a setting at a Celery version: the 4.0+ name, or the 3.1 name that 4.0 renamed to it. */
export function settingNameAt(k: Knowledge, setting: SerializerSetting, version: string): string | undefined {
  if (compareVersions(version, '4.0.0') >= 0) return k.setting(setting) && k.defaultAt(setting, version) !== undefined ? setting : undefined;
  return k.settings.celery31.find((s) => s.renamedTo === setting && inRange(version, s.added, s.removed))?.name;
}

/** The setting as the project writes it (`CELERY_TASK_SERIALIZER`), else its name at the version. */
export function written(state: SettingState): string {
  return state.fact?.fact.name ?? state.name;
}

export function settingState(config: AppConfig, k: Knowledge, setting: SerializerSetting): SettingState | undefined {
  const name = settingNameAt(k, setting, config.version);
  if (!name) return undefined;
  const fact = config.get(name);
  if (fact) return { setting, name, fact, value: resolveEnv(fact.fact.value, config.model), fromDefault: false };
  const defaults = k.serializerDefaultsAt(config.version);
  const d = defaults?.[setting];
  return { setting, name, value: d === undefined ? undefined : jsonValue(d ?? null), fromDefault: true };
}

function jsonValue(j: JsonValue): Value {
  if (Array.isArray(j)) return { kind: 'list', items: j.map((x) => jsonValue(x as JsonValue)) };
  if (typeof j === 'string') return { kind: 'str', value: j };
  return { kind: 'none' };
}

/** The content type Kombu compares (`json` → `application/json`; a MIME type stays as it is). */
export function contentType(k: Knowledge, nameOrType: string): string | undefined {
  if (nameOrType.includes('/')) return nameOrType;
  return k.serializers.serializers.find((s) => s.name === nameOrType)?.contentType;
}

/** The serializer name of a content type, for messages (`application/x-msgpack` → `msgpack`). */
export function serializerName(k: Knowledge, nameOrType: string): string {
  if (!nameOrType.includes('/')) return nameOrType;
  return k.serializers.serializers.find((s) => s.contentType === nameOrType)?.name ?? nameOrType;
}

/** What an accept list admits: `any` (None: Kombu checks nothing), the entries, or unknown (not static). */
export type Accept =
  | { kind: 'any' }
  | { kind: 'list'; entries: { text: string; type?: string; span?: Span }[]; value: Value }
  | { kind: 'unknown' };

export function acceptOf(k: Knowledge, v: Value | undefined): Accept {
  if (!v) return { kind: 'unknown' };
  if (v.kind === 'none') return { kind: 'any' };
  if (v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'set') return { kind: 'unknown' };
  const entries: { text: string; type?: string; span?: Span }[] = [];
  for (const item of v.items) {
    if (item.kind !== 'str') return { kind: 'unknown' };
    entries.push({ text: item.value, type: contentType(k, item.value), span: item.span });
  }
  return { kind: 'list', entries, value: v };
}

/**
 * Whether an accept list admits a serializer; undefined when that cannot be told (a custom serializer). With `byName`
 * the serializer is a Kombu serializer name (task_serializer, serializer=): Kombu looks those up by name only, so a
 * name with a slash ('eve/json') is a project's registered serializer whose content type is not in the code.
 */
export function admits(k: Knowledge, accept: Accept, serializer: string, byName = false): boolean | undefined {
  if (accept.kind === 'any') return true;
  if (accept.kind === 'unknown') return undefined;
  const type = byName ? k.serializers.serializers.find((s) => s.name === serializer)?.contentType : contentType(k, serializer);
  if (accept.entries.some((e) => e.text === serializer || (type !== undefined && e.type === type))) return true;
  // a serializer Kombu does not register by default may be registered by the project under a type we do not know
  return type === undefined ? undefined : false;
}

/** The accept list used for results: result_accept_content when set (4.3+), else accept_content. */
export function resultAcceptState(config: AppConfig, k: Knowledge): SettingState | undefined {
  const own = settingState(config, k, 'result_accept_content');
  if (own && !(own.value?.kind === 'none')) return own;
  return settingState(config, k, 'accept_content');
}

export function describeList(accept: Accept): string {
  return accept.kind === 'list' ? `[${accept.entries.map((e) => `'${e.text}'`).join(', ')}]` : accept.kind === 'any' ? 'None' : 'unknown';
}

/** `4.0.1` → `4.0.1`, `4.0.0` → `4.0`. */
export function short(v: string): string {
  return v.replace(/\.0$/, '');
}

/** Where to point at an app whose setting is unset: its config_from_object call, else the Celery() call. */
export function appAnchor(app: CeleryApp): Span {
  return [...app.configSources].reverse().find((r) => r.file)?.span ?? app.configSources.at(-1)?.span ?? app.span;
}

/** The config source of an app that new settings go to: its config module, else its conf.update calls. */
export function primarySource(model: ProjectModel, app: CeleryApp): ConfigSource | undefined {
  const mine = configSources(model).filter((s) => s.app.id === app.id);
  return mine.find((s) => s.place !== 'direct') ?? mine.find((s) => s.place === 'direct');
}

/**
 * Edits that add settings where the app is configured: lines after the last setting of its config module, in the
 * naming style Celery reads that module with at `version` (old names when the module is old-style: a new name
 * there would make 4.0+ raise ImproperlyConfigured for mixing), or keywords of its last conf.update(...) call.
 */
export function addSettingsEdits(
  model: ProjectModel,
  app: CeleryApp,
  k: Knowledge,
  version: string,
  settings: { setting: string; value: unknown }[],
): Edit[] | undefined {
  const src = primarySource(model, app);
  if (!src || settings.length === 0) return undefined;
  const names = new SettingNames(k, version);
  if (src.place === 'direct') {
    const last = [...src.keys].reverse().find((x) => x.fact.origin === 'conf-update')?.fact;
    if (!last) return undefined;
    const text = settings
      .map((s) => (last.nameStyle === 'string' ? `, '${s.setting}': ${pyLiteral(s.value)}` : `, ${s.setting}=${pyLiteral(s.value)}`))
      .join('');
    return [{ file: last.span.file, start: last.span.end.offset, end: last.span.end.offset, content: text }];
  }
  if (src.place === 'django' && !src.namespace) return undefined;
  const style = mixing(src, names)?.winner ?? 'new';
  const lines: string[] = [];
  for (const s of settings) {
    const name = nameInStyle(s.setting, src, names, style);
    if (!name) return undefined;
    lines.push(`${name} = ${pyLiteral(s.value)}`);
  }
  const spot = settingInsertion(src);
  if (!spot) return undefined;
  const at = spot.fact.span.end.offset;
  return [{ file: spot.fact.span.file, start: at, end: at, content: lines.map((l) => `\n${spot.indent}${l}`).join('') }];
}

/** Adds an entry to a literal accept list (after its last item, or inside `[]`), quoted with single quotes. */
export function addToListEdit(list: Value, entry: string): Edit | undefined {
  if ((list.kind !== 'list' && list.kind !== 'tuple' && list.kind !== 'set') || !list.span) return undefined;
  const last = list.items.at(-1);
  if (last?.span) return { file: last.span.file, start: last.span.end.offset, end: last.span.end.offset, content: `, '${entry}'` };
  if (list.items.length === 0 && list.kind === 'list') {
    const at = list.span.start.offset + 1;
    return { file: list.span.file, start: at, end: at, content: `'${entry}'` };
  }
  return undefined;
}

export function fixOf(applicability: Fix['applicability'], message: string, edits: Edit[] | undefined): Fix | undefined {
  return edits && edits.length ? { applicability, message, edits } : undefined;
}

/** The single app a task or call belongs to: the only app, or the app defined in the same file. */
export function appFor(model: ProjectModel, file: string, appVariable?: string): CeleryApp | undefined {
  if (model.apps.length === 1) return model.apps[0];
  const same = model.apps.filter((a) => a.file === file && (!appVariable || a.variable === appVariable));
  return same.length === 1 ? same[0] : undefined;
}

/** In a migration, the release where the default accept list stopped admitting the serializer (for `since`). */
export function acceptNarrowedSince(versions: VersionContext, k: Knowledge, state: SettingState, serializer: string): string | undefined {
  if (versions.mode !== 'migrate' || !state.fromDefault || !versions.current) return undefined;
  const type = contentType(k, serializer);
  for (const d of k.serializers.defaults) {
    if (compareVersions(d.since, versions.current) <= 0) continue;
    if (!d.accept_content.some((a) => contentType(k, a) === type)) return d.since;
  }
  return undefined;
}
