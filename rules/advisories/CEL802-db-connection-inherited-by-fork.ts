import { appConfig } from '../../src/engine/model-index.js';
import { type AppConfig, workerPools } from '../../src/engine/app-config.js';
import { compareVersions, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { ConfigModule, DictEntry, ProjectModel, SettingFact } from '../../src/model/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { knownNumber, knownString, knownStringList } from '../../src/parse/pyvalue.js';
import { short } from '../serializers/content.js';
import { backendName } from '../transports/urls.js';

/** Result backends that store results through the Django ORM (django-celery-results; django-celery's `database`). */
const DJANGO_DB_BACKENDS = new Set(['django-db', 'database']);

export default createRule({
  meta: {
    code: 'CEL802',
    name: 'db-connection-inherited-by-fork',
    summary: 'Prefork pool processes can inherit a persistent Django DB connection that nothing closes in the child.',
    why:
      'With CONN_MAX_AGE != 0 Django keeps DB connections open between uses. If the worker\'s parent process opens one ' +
      'before it forks pool processes (django-celery\'s loader and database result backend at start-up; the parent ' +
      'storing the failure of a task whose process died through a database result backend), each child inherits the same ' +
      'socket: their queries interleave on one session and one child\'s exit breaks the others ("MySQL server has gone ' +
      'away", seed 003). Celery\'s Django fix-up closes inherited connections at worker_process_init with conn.close() ' +
      'in 3.1, 4.0-4.1 and from 4.4.0 on, so the rule stays silent there. Celery 4.2.0-4.3.x call ' +
      'close_if_unusable_or_obsolete() instead (celery#4292, reverted by #5515 in 4.4.0), which keeps a connection younger ' +
      'than CONN_MAX_AGE; with django-celery\'s loader (Celery 3.1) Celery\'s fix-up is not installed and djcelery\'s ' +
      'own loader falls back to close_old_connections(), which keeps it too. The rule reports those cases when the ' +
      'project has no worker_process_init handler of its own. Gevent/eventlet/solo/threads pools do not fork and are ' +
      'not reported. Facts: rules/knowledge/advisories.yaml (djangoForkedConnections).',
    example:
      "# settings.py (Celery 3.1 + django-celery, prefork)\nINSTALLED_APPS = ['djcelery']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'CONN_MAX_AGE': 60}}",
    useInstead:
      'from celery.signals import worker_process_init\nfrom django.db import connections\n\n@worker_process_init.connect\n' +
      'def close_inherited_connections(**kwargs):\n    for conn in connections.all():\n        conn.close()',
    fixSafety: 'none',
    versions: { description: 'Celery 3.1 with django-celery\'s loader, and Celery 4.2.0-4.3.x.' },
    references: [
      'https://github.com/celery/celery/blob/v4.2.0/celery/fixups/django.py',
      'https://github.com/celery/celery/pull/5515',
      'https://github.com/celery/django-celery/blob/v3.1.16/djcelery/loaders.py',
      'https://github.com/celery/django-celery/issues/359',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    if (model.signalHandlers.some((h) => h.signal === 'worker_process_init')) return;
    const k = knowledge();
    for (const cm of model.configModules) {
      if (!cm.isDjango) continue;
      const persistent = persistentConnection(cm);
      if (!persistent) continue;
      const app = model.apps.find((a) => a.configSources.some((s) => s.module === cm.module));
      if (!app) continue;
      const config = appConfig(model, app, target, k);
      const pools = workerPools(model, config);
      if (pools.length && !pools.some((p) => p.pool === 'prefork')) continue;
      const djcelery = usesDjcelery(model, cm) && compareVersions(target, '4.0.0') < 0;
      const opener = parentOpens(model, config, djcelery);
      if (!opener) continue;
      const closer = closerAt(k, target, djcelery);
      if (closer.closes) continue;
      ctx.report({
        message:
          `${persistent.name} = ${persistent.text} keeps Django DB connections open, the prefork pool forks its processes ` +
          `from a parent that can open one first (${opener}), and ${closer.who} does not close persistent connections in ` +
          `the new process (${closer.how}): pool processes share the parent's socket, their queries interleave on one ` +
          'session and one process exiting breaks the others ("MySQL server has gone away"). Close them in a ' +
          'worker_process_init handler (for conn in django.db.connections.all(): conn.close()), or ' +
          `${closer.upgrade}.`,
        span: persistent.span,
      });
      return;
    }
  },
});

/** The first DATABASES alias whose CONN_MAX_AGE is known and not 0 (None: never closed). */
function persistentConnection(cm: ConfigModule): { name: string; text: string; span: SettingFact['valueSpan'] } | undefined {
  const fact = [...cm.settings].reverse().find((s) => s.name === 'DATABASES');
  if (!fact || fact.value.kind !== 'dict') return undefined;
  for (const alias of fact.value.entries) {
    const name = knownString(alias.key);
    if (name === undefined || alias.value.kind !== 'dict') continue;
    const entry = alias.value.entries.find((e: DictEntry) => knownString(e.key) === 'CONN_MAX_AGE');
    if (!entry) continue;
    const n = entry.value.kind === 'none' ? null : knownNumber(entry.value);
    if (n === undefined || n === 0) continue;
    const span = entry.value.span ?? entry.span ?? fact.valueSpan;
    return { name: `DATABASES['${name}']['CONN_MAX_AGE']`, text: n === null ? 'None' : String(n), span };
  }
  return undefined;
}

function usesDjcelery(model: ProjectModel, cm: ConfigModule): boolean {
  if (model.imports.some((i) => i.module === 'djcelery' || i.module.startsWith('djcelery.'))) return true;
  const apps = [...cm.settings].reverse().find((s) => s.name === 'INSTALLED_APPS');
  return !!apps && (knownStringList(apps.value) ?? []).includes('djcelery');
}

/** What can open a DB connection in the worker's parent process before (or between) forks; undefined: nothing seen. */
function parentOpens(model: ProjectModel, config: AppConfig, djcelery: boolean): string | undefined {
  const reasons: string[] = [];
  const imp = model.imports.find((i) => i.module === 'djcelery' || i.module.startsWith('djcelery.'));
  if (djcelery) reasons.push(`django-celery's loader runs in the parent at start-up${imp ? ` (djcelery imported at ${imp.file}:${imp.span.start.line})` : ''}`);
  const url = config.resultBackendUrl().url ?? (djcelery ? 'database' : undefined);
  if (url && DJANGO_DB_BACKENDS.has(backendName(url))) {
    reasons.push(`the parent stores the failure of a task whose pool process died through the ${maskSecrets(url)} result backend`);
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

function closerAt(k: Knowledge, target: string, djcelery: boolean): { closes: boolean; who: string; how: string; upgrade: string } {
  const rows = k.advisories.djangoForkedConnections;
  const fixed = rows.celery.find((r) => r.closesPersistent && compareVersions(r.since, '4.0.0') >= 0 && compareVersions(r.since, target) > 0)
    ?? rows.celery.filter((r) => r.closesPersistent).at(-1);
  const upgrade = `upgrade to Celery ${short(fixed?.since ?? '4.4.0')} or later${djcelery ? ' without django-celery' : ''}, whose Django fix-up closes them`;
  if (djcelery) return { closes: rows.djcelery.closesPersistent, who: "django-celery's loader (it replaces Celery's Django fix-up)", how: rows.djcelery.how, upgrade };
  const row = k.djangoForkCloseAt(target);
  return { closes: row?.closesPersistent ?? true, who: `Celery ${target}'s Django fix-up`, how: row?.how ?? '', upgrade };
}
