import { compareVersions, inRange, type Knowledge, type Setting } from '../../src/engine/knowledge.js';
import type { Edit, Fix } from '../../src/engine/types.js';
import type { CeleryApp, ConfigModule, ConfigSourceRef, ProjectModel, SettingFact } from '../../src/model/types.js';
import { configModuleOf } from '../../src/model/effective.js';

/*
 * Shared by the settings rules (CEL101-CEL106): every configuration key of the project, where it is written
 * (which decides how Celery reads it), and one classification of each key at a Celery version, so each case
 * is owned by exactly one rule:
 *   old          → CEL101 (renamed-setting)         mixing        → CEL102 (computed per module, see mixing())
 *   unknown      → CEL103 (unknown-setting)         removed       → CEL104 (removed-or-inert-setting)
 *   misplaced    → CEL106 (namespace-mismatch)      not-yet       → CEL103 (added in a later release)
 */

/**
 * Where a key is written:
 * - `module`: a config module read without namespace (a celeryconfig), every public name is a key;
 * - `django`: Django settings read without namespace: only upper-case names are visible, all of Django's own too;
 * - `namespaced`: a config module read with namespace=NS: NS_X keys, plus lower-case names outside Django;
 * - `direct`: app.conf.update / app.conf.x / app.conf['x'], never namespaced.
 */
export type KeyPlace = 'module' | 'django' | 'namespaced' | 'direct';

export interface ConfigKey {
  fact: SettingFact;
  place: KeyPlace;
  app: CeleryApp;
  module?: ConfigModule;
  namespace?: string;
}

/** One config source of an app: its config module, or its direct changes. */
export interface ConfigSource {
  app: CeleryApp;
  place: KeyPlace;
  module?: ConfigModule;
  ref?: ConfigSourceRef;
  namespace?: string;
  keys: ConfigKey[];
}

/** Every config source of every app; a module read by several apps the same way is listed once. */
export function configSources(model: ProjectModel): ConfigSource[] {
  const out: ConfigSource[] = [];
  const seen = new Set<string>();
  for (const app of model.apps) {
    const mod = configModuleOf(app, model);
    if (mod) {
      const ns = app.namespace;
      const place: KeyPlace = ns ? 'namespaced' : mod.isDjango ? 'django' : 'module';
      const id = `${mod.file}|${place}|${ns ?? ''}`;
      if (!seen.has(id)) {
        seen.add(id);
        const ref = [...app.configSources].reverse().find((r) => r.file === mod.file);
        // Django only holds upper-case names; lower-case ones are kept in a namespace to report them (CEL106),
        // except helper variables the module reads back itself (`redis_host` used to build CACHES and the broker URL).
        const helpers = new Set(mod.localReads ?? []);
        const facts = mod.settings.filter((f) => !mod.isDjango || isUpper(f.name) || (place === 'namespaced' && !helpers.has(f.name)));
        const src: ConfigSource = { app, place, module: mod, ref, namespace: ns, keys: [] };
        src.keys = facts.map((fact) => ({ fact, place, app, module: mod, namespace: ns }));
        out.push(src);
      }
    }
    const direct = app.directSettings.filter((f) => f.origin !== 'celery-arg');
    if (direct.length) out.push({ app, place: 'direct', keys: direct.map((fact) => ({ fact, place: 'direct' as const, app })) });
  }
  return out;
}

export type KeyStatus =
  | { kind: 'new'; setting: string }
  | { kind: 'old'; setting: string }
  | { kind: 'namespaced'; setting: string }
  /** Celery 3.1 name, read by a 3.1 target. */
  | { kind: 'celery31'; name: string }
  /** Gone at the target: `since` is the first release that ignores it. */
  | { kind: 'removed'; since: string; setting?: string; renamedTo?: string }
  /** A setting that only exists in a later release. */
  | { kind: 'not-yet'; setting: string; added: string }
  /** Meant for Celery but written so the namespace in force hides it; `want` is the name that would be read. */
  | { kind: 'misplaced'; setting: string; want?: string }
  | { kind: 'unknown' }
  /** Not Celery's: Django's own settings, helper names. */
  | { kind: 'foreign' };

export function isUpper(name: string): boolean {
  return name === name.toUpperCase() && /[A-Z]/.test(name);
}

export function isLower(name: string): boolean {
  return name === name.toLowerCase() && /[a-z]/.test(name);
}

const OLD_PREFIXES = ['CELERY_', 'CELERYD_', 'CELERYBEAT_', 'CELERYMON_', 'BROKER_'];

/** Upper-case names whose prefix says they are Celery's (in a Django settings module, the rest are Django's). */
export function hasCeleryPrefix(name: string): boolean {
  return OLD_PREFIXES.some((p) => name.startsWith(p));
}

/** A version-aware view of the settings knowledge, at one Celery release. */
export class SettingNames {
  constructor(readonly k: Knowledge, readonly version: string) {}

  get is4(): boolean {
    return compareVersions(this.version, '4.0.0') >= 0;
  }

  /** A new-style setting that exists at the version (including those read by code rather than defaults.py). */
  isNew(name: string): boolean {
    const s = this.k.setting(name);
    return !!s && inRange(this.version, s.added, s.removed);
  }

  /** The setting an old name is an alias of, at the version. */
  oldOf(name: string): string | undefined {
    return this.is4 ? this.k.newNameAt(name, this.version) : undefined;
  }

  /** The old name Celery converts `setting` to when the old style wins (first alias valid at the version). */
  oldNameFor(setting: string): string | undefined {
    const s = this.k.setting(setting);
    for (const o of s?.old ?? []) {
      const name = typeof o === 'string' ? o : o.name;
      if (this.k.newNameAt(name, this.version) === setting) return name;
    }
    return undefined;
  }

  /** Settings Celery's mixing check counts as new names (SETTING_KEYS: defaults.py only). */
  isCountedNew(name: string): boolean {
    const s = this.k.setting(name);
    return !!s && s.definedIn === 'defaults' && inRange(this.version, s.added, s.removed);
  }

  newNames(): string[] {
    return this.k.settings.settings.filter((s) => inRange(this.version, s.added, s.removed)).map((s) => s.name);
  }

  oldNames(): string[] {
    const out: string[] = [];
    for (const s of this.k.settings.settings) {
      for (const o of s.old) {
        const name = typeof o === 'string' ? o : o.name;
        if (this.k.newNameAt(name, this.version) === s.name) out.push(name);
      }
    }
    return out;
  }

  celery31Names(): string[] {
    return this.k.settings.celery31.filter((s) => inRange(this.version, s.added, s.removed)).map((s) => s.name);
  }

  /** A setting (by new name or any old alias) in the knowledge base at any version. */
  anySetting(name: string): Setting | undefined {
    const direct = this.k.setting(name);
    if (direct) return direct;
    for (const m of this.k.settingByName(name)) if (m.kind === 'old') return m.setting;
    return undefined;
  }

  /** Why a name Celery no longer reads is gone: a removed setting, or a 3.1 name 4.0 dropped. */
  removal(name: string): { since: string; setting?: string; renamedTo?: string } | undefined {
    const s = this.anySetting(name);
    if (s?.removed && compareVersions(this.version, s.removed) >= 0) return { since: s.removed, setting: s.name };
    const s31 = this.k.celery31Setting(name);
    if (!s31) return undefined;
    if (s31.removed && compareVersions(this.version, s31.removed) >= 0) return { since: s31.removed };
    if (!this.is4) return undefined;
    if (s31.renamedTo === null) return { since: '4.0.0' };
    // e.g. CELERY_SEND_EVENTS: the alias only exists from renamedToSince
    if (!this.k.newNameAt(name, this.version) && !this.isNew(name)) return { since: '4.0.0', renamedTo: s31.renamedTo };
    return undefined;
  }

  notYet(name: string): { setting: string; added: string } | undefined {
    const s = this.anySetting(name);
    if (s && compareVersions(this.version, s.added) < 0) return { setting: s.name, added: s.added };
    return undefined;
  }

  /** How Celery at the version reads a key written at `place` (see KeyStatus). */
  classify(key: Pick<ConfigKey, 'place' | 'namespace' | 'module'> & { fact: Pick<SettingFact, 'name'> }): KeyStatus {
    const name = key.fact.name;
    if (!this.is4) return this.classify31(name, key.place);
    if (key.place === 'namespaced') return this.classifyNamespaced(name, key.namespace ?? 'CELERY', !!key.module?.isDjango, key.module?.localReads);
    if (this.isNew(name)) return { kind: 'new', setting: name };
    const old = this.oldOf(name);
    if (old) return { kind: 'old', setting: old };
    const celeryish = key.place !== 'django' || hasCeleryPrefix(name);
    // before the namespace check: CELERY_ENABLE_UTC is a dropped 3.1 name first (CEL104), not a misplaced enable_utc
    const removed = this.removal(name);
    if (removed && celeryish) return { kind: 'removed', ...removed };
    if (isUpper(name) && name.startsWith('CELERY_') && this.isNew(name.slice(7).toLowerCase())) {
      return { kind: 'misplaced', setting: name.slice(7).toLowerCase() };
    }
    const later = this.notYet(name);
    if (later && celeryish) return { kind: 'not-yet', ...later };
    return celeryish ? { kind: 'unknown' } : { kind: 'foreign' };
  }

  private classify31(name: string, place: KeyPlace): KeyStatus {
    const s31 = this.k.celery31Setting(name);
    if (s31 && inRange(this.version, s31.added, s31.removed)) return { kind: 'celery31', name };
    const removed = this.removal(name);
    if (removed) return { kind: 'removed', ...removed };
    // 3.1 only knows upper-case names; Django's own settings share the module
    if (place === 'django' && !hasCeleryPrefix(name)) return { kind: 'foreign' };
    if (s31) return { kind: 'not-yet', setting: name, added: s31.added };
    return { kind: 'unknown' };
  }

  private classifyNamespaced(name: string, ns: string, django: boolean, helpers: readonly string[] = []): KeyStatus {
    const prefix = `${ns}_`;
    if (name.startsWith(prefix)) {
      const stripped = name.slice(prefix.length).toLowerCase();
      if (this.isNew(stripped)) return { kind: 'namespaced', setting: stripped };
      const old = this.oldOf(name);
      if (old) return { kind: 'misplaced', setting: old, want: prefix + old.toUpperCase() };
      const removed = this.removal(name) ?? this.removal(stripped);
      if (removed) return { kind: 'removed', ...removed };
      const later = this.notYet(stripped);
      if (later) return { kind: 'not-yet', ...later };
      return { kind: 'unknown' };
    }
    if (isLower(name)) {
      if (this.isNew(name)) return django ? { kind: 'misplaced', setting: name, want: prefix + name.toUpperCase() } : { kind: 'new', setting: name };
      return django ? { kind: 'foreign' } : { kind: 'unknown' };
    }
    if (!isUpper(name)) return { kind: 'foreign' };
    const old = this.oldOf(name);
    if (old) return { kind: 'misplaced', setting: old, want: prefix + old.toUpperCase() };
    // TASK_TIME_LIMIT: the new name upper-cased, without the prefix (single words such as TIMEZONE are too generic);
    // one the settings read back themselves (REDIS_MAX_CONNECTIONS feeding CACHES) is the project's own variable
    const lower = name.toLowerCase();
    if (lower.includes('_') && this.isNew(lower) && !helpers.includes(name)) return { kind: 'misplaced', setting: lower, want: prefix + name };
    return { kind: 'foreign' };
  }
}

/** Counts of each naming style in a config source, as Celery's mixing check counts them. */
export interface Mixing {
  newKeys: ConfigKey[];
  oldKeys: ConfigKey[];
  /** The style Celery uses for the module: the majority, a tie goes to new (config-loading.yaml mixing). */
  winner: 'new' | 'old';
  /** Minority keys without their counterpart: each makes Celery raise ImproperlyConfigured. */
  raising: { key: ConfigKey; rename: string }[];
  /** Minority keys whose counterpart in the winning style is also present: silently ignored. */
  shadowed: { key: ConfigKey; winner: ConfigKey }[];
}

/** Celery's detect_settings over the keys of a config module read without namespace (celery/app/utils.py). */
export function mixing(src: ConfigSource, names: SettingNames): Mixing | undefined {
  if (src.place !== 'module' && src.place !== 'django') return undefined;
  const last = new Map<string, ConfigKey>();
  for (const key of src.keys) last.set(key.fact.name, key);
  const keys = [...last.values()];
  const newKeys = keys.filter((x) => names.isCountedNew(x.fact.name));
  const oldKeys = keys.filter((x) => !names.isCountedNew(x.fact.name) && names.oldOf(x.fact.name));
  const tie = names.k.configLoading.mixing.tieGoesTo;
  const winner: 'new' | 'old' =
    oldKeys.length > newKeys.length ? 'old' : newKeys.length > oldKeys.length ? 'new' : newKeys.length === 0 ? 'new' : tie;
  const left = winner === 'new' ? oldKeys : newKeys;
  const raising: Mixing['raising'] = [];
  const shadowed: Mixing['shadowed'] = [];
  for (const key of left) {
    const rename = winner === 'new' ? names.oldOf(key.fact.name) : names.oldNameFor(key.fact.name);
    if (!rename) continue;
    const counterpart = last.get(rename);
    if (counterpart) shadowed.push({ key, winner: counterpart });
    else raising.push({ key, rename });
  }
  return { newKeys, oldKeys, winner, raising, shadowed };
}

/** Celery's names for a setting in the style of a config source. */
export function nameInStyle(setting: string, src: ConfigSource, names: SettingNames, style: 'new' | 'old'): string | undefined {
  if (src.place === 'namespaced') return `${src.namespace ?? 'CELERY'}_${setting.toUpperCase()}`;
  if (src.place === 'django') return names.oldNameFor(setting);
  return style === 'old' ? names.oldNameFor(setting) : setting;
}

/** Replaces the name token of a setting (quotes of a string key are outside the span, so they stay). */
export function renameEdit(fact: SettingFact, to: string): Edit {
  return { file: fact.nameSpan.file, start: fact.nameSpan.start.offset, end: fact.nameSpan.end.offset, content: to };
}

/**
 * The fix for Django settings read without namespace: every old name becomes its CELERY_-prefixed new name and
 * config_from_object gets namespace='CELERY' (what `celery upgrade settings --django` plus the Django docs ask).
 * Unsafe: with the namespace, every other CELERY_ key of the settings is read too.
 */
export function djangoNamespaceFix(src: ConfigSource, names: SettingNames): Fix | undefined {
  if (src.place !== 'django' || !src.ref) return undefined;
  const target = src.ref.target;
  if (target.kind !== 'str' || !target.span || src.ref.kind !== 'config_from_object') return undefined;
  const present = new Set(src.keys.map((k) => k.fact.name));
  const edits: Edit[] = [];
  const wanted = new Set<string>();
  for (const key of src.keys) {
    const setting = names.oldOf(key.fact.name);
    if (!setting) continue;
    const want = `CELERY_${setting.toUpperCase()}`;
    if (want === key.fact.name) continue;
    // both forms present (or two old aliases): renaming would leave two assignments of one setting
    if (present.has(want) || wanted.has(want)) return undefined;
    wanted.add(want);
    edits.push(renameEdit(key.fact, want));
  }
  const end = target.span.end.offset;
  edits.push({ file: target.span.file, start: end, end, content: ", namespace='CELERY'" });
  return {
    applicability: 'unsafe',
    message: "Rename the old names to CELERY_-prefixed new names and read the settings with namespace='CELERY'",
    edits,
  };
}

/** The whole-module rename of old names to new ones (`celery upgrade settings`); none when a setting is given twice. */
export function moduleRenameFix(src: ConfigSource, names: SettingNames): Fix | undefined {
  if (src.place !== 'module' && src.place !== 'direct') return undefined;
  const present = new Set(src.keys.map((k) => k.fact.name));
  const edits: Edit[] = [];
  const wanted = new Set<string>();
  for (const key of src.keys) {
    const setting = names.oldOf(key.fact.name);
    if (!setting) continue;
    if (src.place === 'direct' && key.fact.origin === 'celery-arg') continue;
    if (present.has(setting) || wanted.has(setting)) return undefined;
    wanted.add(setting);
    edits.push(renameEdit(key.fact, setting));
  }
  if (!edits.length) return undefined;
  return {
    applicability: 'safe',
    message: src.place === 'module' ? 'Rename every old setting name of this module to its new name' : 'Rename the old setting names to their new names',
    edits,
  };
}

/** Edit distance (Levenshtein), bounded: stops early once every path exceeds `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Python literal text for a knowledge-base value (`['json']`, `True`, `None`). */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('timedelta_seconds' in o) return `timedelta(seconds=${String(o.timedelta_seconds)})`;
    return `{${Object.entries(o).map(([k, x]) => `${pyLiteral(k)}: ${pyLiteral(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** `5.2.7` → `5.2.7`, `4.0.0` → `4.0` (releases as people say them). */
export function shortVersion(v: string): string {
  return v.replace(/\.0$/, '');
}

/**
 * Where a new setting goes in a config module: after the last of its Celery settings at the outermost level, with
 * that indentation (inside the class of a class-based configuration). A setting under `if`/`else` is passed over: the
 * new one would hold in that branch only (pretalx's eager `else:`); when every setting is in a branch there is no spot.
 */
export function settingInsertion(src: ConfigSource): { fact: SettingFact; indent: string } | undefined {
  const own = src.keys.filter((x) => src.place !== 'namespaced' || x.fact.name.startsWith(`${src.namespace}_`));
  const facts = (own.length ? own : src.keys).filter((x) => x.fact.origin === 'module').map((x) => x.fact);
  if (!facts.length) return undefined;
  const outer = Math.min(...facts.map((f) => f.span.start.column));
  if (outer > 1 && !src.module?.module.includes(':')) return undefined;
  const fact = facts.filter((f) => f.span.start.column === outer).at(-1)!;
  return { fact, indent: ' '.repeat(outer - 1) };
}
