import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import { configSources, djangoNamespaceFix, isLower, mixing, nameInStyle, renameEdit, SettingNames, shortVersion, type ConfigKey, type ConfigSource } from './keys.js';

export default createRule({
  meta: {
    code: 'CEL106',
    name: 'namespace-mismatch',
    summary: "A Celery setting written in a form the app's namespace (or its absence) hides, so Celery never reads it.",
    why:
      "With config_from_object('django.conf:settings', namespace='CELERY') Celery 4.0+ looks a setting up as " +
      'CELERY_<NEW_NAME> only: unprefixed keys (TASK_TIME_LIMIT, BROKER_URL), old forms (CELERYD_CONCURRENCY, ' +
      'CELERY_ALWAYS_EAGER, CELERY_TASK_RESULT_EXPIRES) and lower-case names (which Django does not even keep) are ' +
      'silently not applied. Without a namespace it is the other way round: CELERY_BROKER_URL or ' +
      'CELERY_WORKER_CONCURRENCY are not old names (those are BROKER_URL, CELERYD_CONCURRENCY) and are ignored; ' +
      'CELERY_RESULT_BACKEND or CELERY_TASK_SERIALIZER are old names and work, so they are not reported. ' +
      'Old names outside a namespace are CEL101\'s, misspellings CEL103\'s.',
    example: "# settings.py, read with namespace='CELERY'\nBROKER_URL = 'redis://redis:6379/0'\nCELERYD_TASK_SOFT_TIME_LIMIT = 60",
    useInstead: "CELERY_BROKER_URL = 'redis://redis:6379/0'\nCELERY_TASK_SOFT_TIME_LIMIT = 60",
    fixSafety: 'unsafe',
    versions: { description: 'Celery 4.0 and later (namespaces and new names came with 4.0).', introduced: '4.0.0' },
    references: [
      'https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html',
      'https://github.com/celery/celery/blob/v4.0.0/celery/utils/collections.py',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#new-lowercase-settings',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target || compareVersions(target, '4.0.0') < 0) return;
    const k = knowledge();
    const names = new SettingNames(k, target);
    const t = shortVersion(target);
    const since = ctx.versions.mode === 'migrate' ? k.configLoading.namespace.since : undefined;
    for (const src of configSources(model)) {
      const present = new Set(src.keys.map((x) => x.fact.name));
      // two misplaced keys for one setting: renaming both would assign it twice, so neither gets a fix
      const wants = new Map<string, number>();
      for (const key of src.keys) {
        const st = names.classify(key);
        if (st.kind === 'misplaced' && st.want) wants.set(st.want, (wants.get(st.want) ?? 0) + 1);
      }
      for (const key of src.keys) {
        const status = names.classify(key);
        if (status.kind !== 'misplaced') continue;
        const name = key.fact.name;
        if (src.place === 'namespaced') {
          const want = status.want!;
          const ns = src.namespace ?? 'CELERY';
          const why = isLower(name)
            ? 'Django settings only keep upper-case names, so Celery never sees it'
            : names.oldOf(name)
              ? `it is the pre-4.0 name of ${status.setting}, and inside namespace='${ns}' Celery ${t} only looks up ${want}`
              : `with namespace='${ns}' Celery ${t} only looks up ${want}`;
          const also = present.has(want) ? ` (${want} is set too; this value is the one ignored)` : '';
          const message = `${name} is not applied: ${why}${also}. Rename it to ${want}.`;
          const fix: Fix | undefined = present.has(want) || (wants.get(want) ?? 0) > 1 ? undefined : { applicability: 'unsafe', message: `Rename to ${want}`, edits: [renameEdit(key.fact, want)] };
          ctx.report({ message, span: key.fact.nameSpan, fix, since });
          continue;
        }
        ctx.report({ ...outsideNamespace(key, src, status.setting, names, present, t), span: key.fact.nameSpan, since });
      }
    }
  },
});

/** CELERY_<NEW_NAME> in a configuration read without namespace: only the namespaced lookup would find it. */
function outsideNamespace(
  key: ConfigKey, src: ConfigSource, setting: string, names: SettingNames, present: Set<string>, t: string,
): { message: string; fix?: Fix } {
  const name = key.fact.name;
  const old = names.oldNameFor(setting);
  const base = `${name} is not applied: it is the namespaced form of ${setting}, but this configuration is read without namespace, so Celery ${t} ignores it`;
  if (src.place === 'django') {
    const fix = djangoNamespaceFix(src, names);
    return {
      message: `${base}${old ? ` (without namespace it reads the old name ${old})` : ''}. Add namespace='CELERY' to config_from_object (the fix also renames the old names it would then stop reading).`,
      fix,
    };
  }
  const want = nameInStyle(setting, src, names, src.place === 'module' ? (mixing(src, names)?.winner ?? 'new') : 'new') ?? setting;
  const fix: Fix | undefined = present.has(want) ? undefined : { applicability: 'unsafe', message: `Rename to ${want}`, edits: [renameEdit(key.fact, want)] };
  return { message: `${base}. Rename it to ${want}${present.has(want) ? `, which is set too (remove this one)` : ''}.`, fix };
}
