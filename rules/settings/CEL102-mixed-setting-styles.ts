import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import { configSources, mixing, SettingNames, shortVersion } from './keys.js';

export default createRule({
  meta: {
    code: 'CEL102',
    name: 'mixed-setting-styles',
    summary: 'A configuration read without namespace mixes old (pre-4.0) and new setting names.',
    why:
      'Celery 4.0+ counts the old and the new names in a configuration read without namespace. The majority style ' +
      'wins (a tie goes to the new style) and every minority name makes Celery raise ImproperlyConfigured ' +
      '("Cannot mix new and old setting keys") the first time it reads the configuration, so the worker exits at ' +
      'start. A minority name whose counterpart in the winning style is also set does not raise: it is silently ' +
      'ignored, which this rule reports too. The rename fix is CEL101\'s (all old names of the module at once); ' +
      'namespaced configurations never raise and are CEL106\'s.',
    example: "broker_url = 'redis://localhost:6379/0'\nresult_backend = 'redis://localhost:6379/1'\nCELERYD_CONCURRENCY = 8",
    useInstead: "broker_url = 'redis://localhost:6379/0'\nresult_backend = 'redis://localhost:6379/1'\nworker_concurrency = 8",
    fixSafety: 'none',
    versions: { description: 'Celery 4.0 and later (the mixing check is in celery/app/utils.py detect_settings).', introduced: '4.0.0' },
    references: [
      'https://github.com/celery/celery/blob/v4.0.0/celery/app/utils.py',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#new-lowercase-settings',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target || compareVersions(target, '4.0.0') < 0) return;
    const k = knowledge();
    const names = new SettingNames(k, target);
    const rules = k.configLoading.mixing;
    const since = ctx.versions.mode === 'migrate' ? rules.since : undefined;
    const t = shortVersion(target);
    for (const src of configSources(model)) {
      const m = mixing(src, names);
      if (!m) continue;
      const counts = `${m.newKeys.length} new-style and ${m.oldKeys.length} old-style name${m.oldKeys.length === 1 ? '' : 's'}`;
      if (m.raising.length) {
        const header = m.winner === 'new' ? rules.errorWhenNewWins : rules.errorWhenOldWins;
        const renames = m.raising
          .map((r) => `${r.key.fact.name} -> ${r.rename}`)
          .sort()
          .join(', ');
        for (const r of m.raising) {
          const style = m.winner === 'new' ? 'an old-style name among mostly new-style ones' : 'a new-style name among mostly old-style ones';
          const message =
            `${r.key.fact.name} is ${style} (${counts}): Celery ${t} raises ImproperlyConfigured when it first reads this ` +
            `configuration, so the worker exits at start ("${header} ${renames}"). ` +
            (m.winner === 'new'
              ? `Rename it to ${r.rename}.`
              : 'Rename the old names to the new style instead (CEL101 fixes all of them at once): old names are removed in ' +
                `${shortVersion(k.configLoading.deprecationWarning.removal)}.`);
          ctx.report({ message, span: r.key.fact.nameSpan, since });
        }
      }
      for (const s of m.shadowed) {
        const message =
          `${s.key.fact.name} and ${s.winner.fact.name} set the same setting; Celery ${t} uses ${s.winner.fact.name} ` +
          `(the ${m.winner}-style majority: ${counts}) and silently ignores ${s.key.fact.name}. Remove one of them.`;
        ctx.report({ message, span: s.key.fact.nameSpan, since, severity: 'warning' });
      }
    }
  },
});
