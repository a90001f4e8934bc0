import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import type { Value } from '../../src/model/types.js';
import { configSources, mixing, pyLiteral, renameEdit, SettingNames, shortVersion, type ConfigKey, type ConfigSource } from './keys.js';

export default createRule({
  meta: {
    code: 'CEL104',
    name: 'removed-or-inert-setting',
    summary: 'A setting that no longer exists, or has no effect, at the target version.',
    why:
      'Celery ignores settings it no longer knows without a word. 4.0 dropped a set of 3.1 settings (error e-mails, ' +
      'log files, autoreloader, CELERY_CHORD_PROPAGATES, ...), 5.0 and 5.0.2 dropped riak_backend_settings and ' +
      'task_queue_ha_policy. CELERY_ENABLE_UTC is the trap: 4.0+ knows enable_utc under the old name ENABLE_UTC, so ' +
      'outside a namespace CELERY_ENABLE_UTC = False is ignored and timestamps silently become UTC. In migrate ' +
      'mode the finding is placed on the step where the setting stops working. Misspelt names are CEL103\'s; names ' +
      'hidden by a namespace are CEL106\'s. Celery() keyword arguments other than broker, backend and include are ' +
      'dropped before 5.1 (broker_use_ssl and redis_backend_use_ssl are kept from 4.3): Celery(task_time_limit=60) on 5.0 ' +
      'leaves the limit unset.',
    example: 'CELERY_ENABLE_UTC = False\nCELERY_SEND_TASK_ERROR_EMAILS = True',
    useInstead: 'enable_utc = False\n# task failure e-mails: use a task_failure signal handler or error monitoring',
    fixSafety: 'sometimes',
    versions: { description: 'Settings dropped in 4.0, 5.0 and 5.0.2 (and the few dropped inside 3.1); Celery() keyword settings before 5.1.' },
    references: [
      'https://docs.celeryq.dev/en/stable/history/whatsnew-4.0.html#removed-settings',
      'https://docs.celeryq.dev/en/stable/history/whatsnew-5.0.html',
      'https://github.com/celery/celery/blob/v4.0.0/celery/app/defaults.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const names = new SettingNames(k, target);
    const t = shortVersion(target);
    const current = ctx.versions.current;
    for (const src of configSources(model)) {
      const style = mixing(src, names)?.winner ?? 'new';
      for (const key of src.keys) {
        const status = names.classify(key);
        if (status.kind !== 'removed') continue;
        const name = key.fact.name;
        const since = status.since;
        const utc = names.is4 && name === 'CELERY_ENABLE_UTC' ? enableUtc(key, src, style, names, current) : undefined;
        let message: string;
        if (utc) {
          message =
            `Celery ${t} ignores CELERY_ENABLE_UTC: from 4.0 the old name of enable_utc is ENABLE_UTC, so enable_utc keeps ` +
            `its default, ${pyLiteral(names.k.defaultAt('enable_utc', target)?.value)}${utc.differs ? ' and this False has no effect (timestamps are UTC)' : ''}. Use ${utc.want}.`;
        } else if (status.renamedTo) {
          message = `Celery ${t} does not read ${name}: its alias of ${status.renamedTo} only exists in later releases, so the value is ignored.`;
        } else if (status.setting) {
          message = `${name} (${status.setting}) was removed in Celery ${shortVersion(since)}: ${t} ignores it. Remove it.`;
        } else {
          message = `${name} is a Celery 3.1 setting that ${shortVersion(since)} removed: Celery ${t} ignores it. Remove it.`;
        }
        ctx.report({ message, span: key.fact.nameSpan, fix: utc?.fix, since: ctx.versions.mode === 'migrate' ? since : undefined });
      }
    }
    for (const app of model.apps) {
      for (const fact of app.directSettings) {
        if (fact.origin !== 'celery-arg' || k.constructorKeywordRead(fact.key, target)) continue;
        ctx.report({
          message:
            `Celery ${t} drops the keyword argument ${fact.name}= of Celery(): before 5.1 Celery() turns only broker, backend ` +
            `and include (from 4.3 also broker_use_ssl and redis_backend_use_ssl) into settings, so ${fact.name} keeps its default. ` +
            `Set it with app.conf.update(${fact.name}=...) or in the config module; from 5.1 every keyword of Celery() is a setting.`,
          span: fact.nameSpan,
        });
      }
    }
  },
});

/** The name that keeps CELERY_ENABLE_UTC's 3.1 meaning in this config source, and how safe renaming is. */
function enableUtc(
  key: ConfigKey, src: ConfigSource, style: 'new' | 'old', names: SettingNames, current: string | undefined,
): { want: string; differs: boolean; fix?: Fix } {
  const want = src.place === 'django' || (src.place === 'module' && style === 'old') ? 'ENABLE_UTC' : 'enable_utc';
  const dflt = names.k.defaultAt('enable_utc', names.version)?.value;
  const value = boolOf(key.fact.value);
  const differs = value !== undefined && value !== dflt;
  const taken = src.keys.some((x) => x.fact.name === want || x.fact.name === (want === 'enable_utc' ? 'ENABLE_UTC' : 'enable_utc'));
  if (taken) return { want, differs };
  // Renaming only keeps today's behaviour when the value is the default, or when the project still runs 3.1 (migrating)
  const keeps31 = !!current && compareVersions(current, '4.0.0') < 0;
  const safe = value !== undefined && (value === dflt || keeps31);
  return { want, differs, fix: { applicability: safe ? 'safe' : 'unsafe', message: `Rename to ${want}`, edits: [renameEdit(key.fact, want)] } };
}

function boolOf(v: Value): boolean | undefined {
  return v.kind === 'bool' ? v.value : undefined;
}
