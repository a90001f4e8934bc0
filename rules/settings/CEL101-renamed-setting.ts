import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import { knownString } from '../../src/parse/pyvalue.js';
import { configSources, djangoNamespaceFix, moduleRenameFix, SettingNames, shortVersion, type ConfigSource } from './keys.js';

export default createRule({
  meta: {
    code: 'CEL101',
    name: 'renamed-setting',
    summary: 'An old (pre-4.0) setting name, with the name Celery 4.0+ uses for it.',
    why:
      'Celery 4.0 renamed its settings to lower-case names. The old names still work in 4.x and 5.x, but 5.x workers ' +
      'warn at every start that they are scheduled for removal in 6.0, and a configuration that mixes old and new ' +
      'names for different settings makes Celery raise ImproperlyConfigured (CEL102). Renaming one setting at a time ' +
      'is what breaks a config, so the fix renames every old name of a config source at once, as ' +
      '`celery upgrade settings` does. In Django settings read without namespace the new names are invisible to ' +
      "Django (lower-case), so the fix uses the CELERY_-prefixed names and adds namespace='CELERY'. " +
      'Old names inside a CELERY namespace are not read at all: CEL106 reports those.',
    example: "CELERY_RESULT_SERIALIZER = 'json'\nBROKER_URL = 'redis://localhost:6379/0'",
    useInstead: "result_serializer = 'json'\nbroker_url = 'redis://localhost:6379/0'",
    fixSafety: 'sometimes',
    versions: { description: 'Old names are read by 4.0-5.x (5.x warns), to be removed in 6.0.', introduced: '4.0.0' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#new-lowercase-settings',
      'https://docs.celeryq.dev/en/stable/history/whatsnew-4.0.html#lowercase-setting-names',
      'https://github.com/celery/celery/blob/v5.0.1/celery/apps/worker.py',
      'https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target || compareVersions(target, '4.0.0') < 0) return;
    const k = knowledge();
    const names = new SettingNames(k, target);
    const since = ctx.versions.mode === 'migrate' ? k.configLoading.mixing.since : undefined;
    for (const src of configSources(model)) {
      if (src.place === 'namespaced') continue;
      const old = src.keys.filter((key) => names.classify(key).kind === 'old');
      if (!old.length) continue;
      const fix: Fix | undefined = src.place === 'django' ? djangoNamespaceFix(src, names) : moduleRenameFix(src, names);
      const renamed = src.place === 'django' ? old.filter((key) => key.fact.name !== `CELERY_${names.oldOf(key.fact.name)!.toUpperCase()}`) : old;
      if (!renamed.length && src.ref) {
        // CELERY_RESULT_BACKEND etc. are already the namespaced new names: only the namespace is missing
        const list = old.map((key) => key.fact.name).join(', ');
        const message = `${list} ${old.length === 1 ? 'is' : 'are'} read as pre-4.0 name${old.length === 1 ? '' : 's'} because these Django settings are read without namespace. ${status(src, target, k.configLoading.deprecationWarning)} Add namespace='CELERY' so Celery reads ${old.length === 1 ? 'it' : 'them'} as the new names.`;
        ctx.report({ message, span: src.ref.span, fix, since });
      }
      for (const key of renamed) {
        const setting = names.oldOf(key.fact.name)!;
        const want = src.place === 'django' ? `CELERY_${setting.toUpperCase()}` : setting;
        const message = `${key.fact.name} is the pre-4.0 name of ${setting}; rename it to ${want}. ${status(src, target, k.configLoading.deprecationWarning)} ${advice(src, old.length)}`;
        ctx.report({ message, span: key.fact.nameSpan, fix, since });
      }
    }
  },
});

function status(src: ConfigSource, target: string, warning: { since: string; removal: string; djangoSourceExemptSince: string }): string {
  const removal = shortVersion(warning.removal);
  const t = shortVersion(target);
  if (src.place === 'direct' || compareVersions(target, warning.since) < 0) {
    return `Celery ${t} still reads it; old names are scheduled for removal in ${removal}.`;
  }
  const sourceText = src.ref ? knownString(src.ref.target) : undefined;
  if (sourceText?.toLowerCase() === 'django.conf:settings' && compareVersions(target, warning.djangoSourceExemptSince) >= 0) {
    return `Celery ${t} still reads it (without the start-up warning, which ${shortVersion(warning.djangoSourceExemptSince)}+ skips for 'django.conf:settings'); old names stop working in ${removal}.`;
  }
  return `Celery ${t} still reads it, but the worker warns at every start that it is scheduled for removal in ${removal}.`;
}

function advice(src: ConfigSource, count: number): string {
  if (src.place === 'django') {
    return "Django hides lower-case names, so the new form needs config_from_object('django.conf:settings', namespace='CELERY') and CELERY_-prefixed names.";
  }
  if (src.place === 'direct') return 'Use the new name here too.';
  return `Rename all ${count} old name${count === 1 ? '' : 's'} of this module together: Celery refuses a configuration that mixes old and new names (ImproperlyConfigured).`;
}
