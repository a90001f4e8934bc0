import { AppConfig } from '../../src/engine/app-config.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import type { ProjectModel, SettingRead } from '../../src/model/types.js';
import { configSources, editDistance, hasCeleryPrefix, isLower, isUpper, pyLiteral, renameEdit, SettingNames, shortVersion, type ConfigKey, type ConfigSource } from './keys.js';

const MAX_DISTANCE = 2;

export default createRule({
  meta: {
    code: 'CEL103',
    name: 'unknown-setting',
    summary: 'A configuration key meant for Celery that Celery does not know at the target version (a typo, or a setting from a later release).',
    why:
      'Celery ignores keys it does not know without a word, so a misspelt setting leaves the real one at its default: ' +
      "CELERY_ACCEPT_CONENT keeps accept_content at ['json'] (from 4.0.1), and a worker then rejects msgpack or pickle " +
      'messages. Only names that look like Celery settings are checked (close to a known name, or with a Celery ' +
      'prefix such as CELERYD_/BROKER_/task_/worker_); helper constants and, in Django settings, Django\'s own names ' +
      'are left alone, and so is a name the project reads itself (settings.CELERY_X, getattr(settings, ...), or in ' +
      'the settings module) unless it is a near miss of a real setting. Names Celery dropped are CEL104\'s, names ' +
      'hidden by the CELERY namespace (or its absence) are CEL106\'s.',
    example: "CELERY_ACCEPT_CONENT = ['json', 'msgpack']",
    useInstead: "CELERY_ACCEPT_CONTENT = ['json', 'msgpack']",
    fixSafety: 'unsafe',
    versions: { description: 'Every version: the known names are those of the target release.' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html',
      'https://github.com/celery/celery/blob/main/celery/app/defaults.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const names = new SettingNames(k, target);
    const pools = candidatePools(names);
    const namespaces = new Set(k.settings.settings.map((s) => s.namespace).filter((n) => n));
    const t = shortVersion(target);
    for (const src of configSources(model)) {
      const config = names.is4 ? new AppConfig(src.app, model, k, target) : undefined;
      const present = new Set(src.keys.map((x) => x.fact.name));
      for (const key of src.keys) {
        const status = names.classify(key);
        const name = key.fact.name;
        if (status.kind === 'not-yet') {
          const message = `${name} is not read by Celery ${t}: ${status.setting} was added in ${shortVersion(status.added)}, so this value is ignored until you upgrade.`;
          ctx.report({ message, span: key.fact.nameSpan });
          continue;
        }
        if (status.kind !== 'unknown') continue;
        const style = styleOf(key, src, names);
        if (!style) continue;
        const pool = style === 'namespaced' ? pools.namespaced(src.namespace ?? 'CELERY') : pools[style];
        const matches = nearest(name, pool);
        const read = projectRead(model, name, src);
        // A name the project reads itself is its own constant, unless it is a near miss of a real setting.
        if (!matches.length && (read || !looksLikeSetting(name, style, src, namespaces))) continue;
        let message = `${name} is not a setting Celery ${t} knows: it is silently ignored.`;
        if (read) message += ` The project reads ${name} itself (${read.file}:${read.span.start.line}), so renaming it means renaming that read too.`;
        let fix: Fix | undefined;
        if (matches.length === 1) {
          const want = matches[0]!;
          message += ` Did you mean ${want}?`;
          const effect = missingEffect(want, style, src, names, config);
          if (effect) message += ` ${effect}`;
          if (!present.has(want) && !read) fix = { applicability: 'unsafe', message: `Rename to ${want}`, edits: [renameEdit(key.fact, want)] };
        } else if (matches.length > 1) {
          message += ` Did you mean ${matches.slice(0, -1).join(', ')} or ${matches[matches.length - 1]}?`;
        }
        ctx.report({ message, span: key.fact.nameSpan, fix });
      }
    }
  },
});

type Style = 'new' | 'old' | 'namespaced' | 'celery31';

/**
 * Where the project's own code reads a config module's key: a bare name read, or, for Django settings, a read through
 * django.conf.settings. Keys set on the app directly (app.conf.update(...)) are never read back this way.
 */
function projectRead(model: ProjectModel, name: string, src: ConfigSource): SettingRead | undefined {
  if (!src.module) return undefined;
  const django = src.module.isDjango;
  return model.settingReads.find((r) => r.name === name && (r.via === 'name' || django));
}

/** Which known names a key is compared with: old names for old-style keys, new for new, namespaced for namespaced. */
function styleOf(key: ConfigKey, src: ConfigSource, names: SettingNames): Style | undefined {
  const name = key.fact.name;
  if (!names.is4) return isUpper(name) && (src.place !== 'django' || hasCeleryPrefix(name)) ? 'celery31' : undefined;
  if (src.place === 'namespaced') {
    if (name.startsWith(`${src.namespace ?? 'CELERY'}_`)) return 'namespaced';
    // lower-case names are read in a namespaced celeryconfig (not in Django, where CEL106 owns them)
    return isLower(name) && !src.module?.isDjango ? 'new' : undefined;
  }
  if (src.place === 'django') return isUpper(name) && hasCeleryPrefix(name) ? 'old' : undefined;
  if (isLower(name)) return 'new';
  return isUpper(name) ? 'old' : undefined;
}

/** Without a near match, only names with an unmistakable Celery prefix are reported (prefer silence to noise). */
function looksLikeSetting(name: string, style: Style, src: ConfigSource, namespaces: Set<string>): boolean {
  const startsWithNamespace = (n: string) => [...namespaces].some((ns) => n.startsWith(`${ns}_`));
  if (style === 'new') return startsWithNamespace(name);
  if (style === 'namespaced') return startsWithNamespace(name.slice((src.namespace ?? 'CELERY').length + 1).toLowerCase());
  return ['CELERYD_', 'CELERYBEAT_', 'CELERYMON_', 'BROKER_'].some((p) => name.startsWith(p));
}

function candidatePools(names: SettingNames) {
  const news = names.newNames();
  return {
    new: news,
    old: names.oldNames(),
    celery31: names.celery31Names(),
    namespaced: (ns: string) => news.map((n) => `${ns}_${n.toUpperCase()}`),
  };
}

/** The known names closest to `name` (edit distance at most 2, and small against the name's length). */
function nearest(name: string, pool: string[]): string[] {
  const limit = Math.min(MAX_DISTANCE, Math.floor(name.length / 5));
  if (limit < 1) return [];
  let best = limit + 1;
  let out: string[] = [];
  for (const candidate of pool) {
    const d = editDistance(name, candidate, limit);
    if (d < best) {
      best = d;
      out = [candidate];
    } else if (d === best && d <= limit && !out.includes(candidate)) {
      out.push(candidate);
    }
  }
  return best <= limit ? out : [];
}

/** What leaving the intended setting unset means: its default at the target, unless it is set elsewhere. */
function missingEffect(want: string, style: Style, src: ConfigSource, names: SettingNames, config: AppConfig | undefined): string | undefined {
  const t = shortVersion(names.version);
  if (style === 'celery31') {
    const d = names.k.defaultAt(want, names.version);
    return d ? `${want} then keeps its Celery ${t} default, ${pyLiteral(d.value)}.` : undefined;
  }
  const setting =
    style === 'namespaced' ? want.slice((src.namespace ?? 'CELERY').length + 1).toLowerCase() : style === 'old' ? names.oldOf(want) : want;
  if (!setting || !config) return undefined;
  const set = config.get(setting);
  if (set) return `${setting} is set elsewhere (${set.fact.name}, ${set.fact.nameSpan.file}:${set.fact.nameSpan.start.line}).`;
  const d = names.k.defaultAt(setting, names.version);
  if (!d) return undefined;
  let text = `${setting} is not set elsewhere, so it keeps its Celery ${t} default, ${pyLiteral(d.value)}.`;
  if (setting === 'accept_content') text += ' Workers reject messages whose serializer is not in that list.';
  return text;
}
