import { workerPools, type AppConfig } from '../../src/engine/app-config.js';
import { compareVersions, inRange, knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import type { CallSite, ProjectModel, WebServerPool } from '../../src/model/types.js';
import { isGreenWebPool, webProcesses, type WebProcess } from '../../src/model/web-servers.js';
import { maskSecrets } from '../../src/model/url.js';
import { keywordEdit } from '../timeouts/timeouts.js';
import { atLeast, boolOf, configOfTask, greenPools, ignoreResultEdit, pythonSites, redisBackend, SENDS, settingBool, taskDef, taskIgnores, unusedResult } from './results.js';

export default createRule({
  meta: {
    code: 'CEL501',
    name: 'result-backend-subscribe-risk',
    summary: 'A task that stores its result is sent, with the Redis result backend, from code running under gevent/eventlet.',
    why:
      'From Celery 4.0, with the Redis result backend, every send of a task that does not ignore its result makes the ' +
      'sending process SUBSCRIBE to celery-task-meta-<task id> (RedisBackend.on_task_call) and, from 4.2, UNSUBSCRIBE ' +
      'when the AsyncResult is dropped. Worker processes of the prefork, solo and threads pools skip this ' +
      '(task_join_will_block), gevent and eventlet pools do not, and neither does a web app or script that sends. ' +
      'Under greenlets it goes wrong in one of two ways. Where one result backend serves the whole process (4.0 to ' +
      '5.0.2, and 5.3+ with result_backend_thread_safe = True) all greenlets share one redis-py PubSub connection, ' +
      'which is not greenlet-safe: the upgrade to 4.2 in seed 004 (celery#4670) failed with errors on closed or not ' +
      'yet opened sockets, all raised while subscribing. Where app.backend is per thread (5.0.3+ by default), gevent and ' +
      'eventlet make it per greenlet: every greenlet that sends opens its own backend, connection pool and PubSub ' +
      'connection. ignore_result=True (4.2+) on tasks whose results are never read, or task_ignore_result, removes ' +
      'the subscription. Sends inside task bodies are reported when a worker runs a gevent/eventlet pool. Other sends ' +
      '(views, scripts) are reported as certain when the web server runs greenlets (gunicorn -k gevent/eventlet or a ' +
      'gevent-based worker class, uWSGI --gevent with gevent-monkey-patch, from the command, GUNICORN_CMD_ARGS or the ' +
      'config file); as a condition when only a gevent/eventlet requirement or an unknown worker class suggests it; and ' +
      'not at all when every web server runs sync, gthread, tornado or asyncio workers (a gevent worker pool runs task ' +
      'bodies, reported as such; a helper a task calls is not visible, and guessing it would flag every view). Sends in Django management commands ' +
      'run in their own process: only a gevent/eventlet requirement makes them a condition.',
    example: '# Procfile: worker: celery -A shop worker -P gevent\n@app.task\ndef fan_out(ids):\n    for i in ids:\n        send_receipt.delay(i)',
    useInstead: '@app.task(ignore_result=True)\ndef send_receipt(order_id):\n    ...',
    fixSafety: 'sometimes',
    versions: { description: 'Celery 4.0+ with the Redis result backend (ignore_result stops the subscription from 4.2.0).', introduced: '4.0.0' },
    references: [
      'https://github.com/celery/celery/issues/4670',
      'https://github.com/celery/celery/blob/v4.2.0/celery/backends/redis.py',
      'https://github.com/celery/celery/pull/4709',
      'https://github.com/celery/celery/pull/6416',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    const sub = knowledge().transports.resultBackend.redis.subscribe;
    if (!target || !sub || !atLeast(target, sub.since)) return;
    const web = webProcesses(model);
    for (const site of pythonSites(model, SENDS)) {
      if (!ctx.wants(site.file)) continue;
      const config = configOfTask(model, site.task, target);
      if (!config) continue;
      const url = redisBackend(config);
      if (!url) continue;
      const eager = settingBool(config, 'task_always_eager', 'CELERY_ALWAYS_EAGER');
      if (eager && eager.value !== false) continue;
      const ignoringMatters = atLeast(target, sub.ignoreResultSkipsSince);
      if (ignoringMatters && !storesResult(model, site, config)) continue;
      const where = runsUnderGreenlets(model, site, config, web);
      if (!where) continue;
      const what = site.task ? `${site.task} stores its result` : 'The task stores its result';
      ctx.report({
        message:
          `${what} and is sent ${where.text}: with the Redis result backend (${maskSecrets(url)}) Celery ${target} subscribes the ` +
          `sender to its result channel on every send${ignoringMatters ? '' : ' (before 4.2 even ignore_result=True does not stop this)'}, and ${consequence(config, target)}` +
          (ignoringMatters ? ' Set ignore_result=True on tasks whose results are never read.' : ' Upgrade to 4.2+ and set ignore_result=True on tasks whose results are never read.'),
        span: site.span,
        severity: where.certain ? 'warning' : 'info',
        since: sub.since,
        fix: fixFor(model, site, ignoringMatters),
      });
    }
  },
});

/** Whether a send (at 4.2+) subscribes: its own ignore_result, else (not for send_task) the task's. Unknown: no. */
function storesResult(model: ProjectModel, site: CallSite, config: AppConfig): boolean {
  const own = boolOf(site.options.ignore_result?.value);
  if (own !== undefined) return own === false;
  // send_task reads only its own option (default False)
  if (site.kind === 'send_task') return true;
  const def = taskDef(model, site.task);
  return def !== undefined && taskIgnores(def, config).ignores === false;
}

const QUIET: readonly WebServerPool[] = ['sync', 'gthread', 'tornado', 'asyncio'];
const MANAGEMENT_COMMAND = /(^|\/)management\/commands\/[^/]+\.py$/;

/**
 * Where the send runs under greenlets. In a task body: a gevent/eventlet worker pool. Elsewhere (views, scripts):
 * a web server running greenlets is certain; a uWSGI gevent loop without monkey-patching, a gevent/eventlet pin or
 * a worker class we cannot read is a condition; when every web server runs without greenlets, nothing is reported.
 */
function runsUnderGreenlets(model: ProjectModel, site: CallSite, config: AppConfig, web: WebProcess[]): { text: string; certain: boolean } | undefined {
  const green = greenPools();
  const worker = workerPools(model, config).find((p) => green.includes(p.pool));
  const workerLoc = worker?.where ? ` (${worker.where.span.file}:${worker.where.span.start.line})` : '';
  if (site.inTask) {
    if (!worker) return undefined;
    return { text: `from the body of ${site.inTask}, which the ${worker.pool} worker pool runs${workerLoc}`, certain: true };
  }
  const pin = model.versions.find((v) => v.package === 'gevent' || v.package === 'eventlet');
  const required = pin ? `the project requires ${pin.package}${pin.spec ? ` ${pin.spec}` : ''}, ${pin.file}:${pin.span.start.line}` : '';
  // A Django management command runs in its own `manage.py` process: the web server's worker class says nothing of it.
  if (MANAGEMENT_COMMAND.test(site.file)) {
    return pin ? { text: `outside any task, in a management command; if its process uses ${pin.package} (${required})`, certain: false } : undefined;
  }
  const greenWeb = web.find((p) => isGreenWebPool(p.pool) && p.monkeyPatch);
  if (greenWeb) return { text: `outside any task, in a project whose web server runs under ${describeWeb(greenWeb)}`, certain: true };
  const unpatched = web.find((p) => isGreenWebPool(p.pool));
  if (unpatched) {
    return { text: `outside any task; if the application monkey-patches with gevent (${describeWeb(unpatched)} runs without gevent-monkey-patch)`, certain: false };
  }
  // Sync, gthread or asyncio web workers run this code without greenlets. A green worker pool runs task bodies (reported
  // above); that a task calls into this code through a helper is not visible, and guessing it would flag every view.
  if (web.length && web.every((p) => QUIET.includes(p.pool))) return undefined;
  if (!pin) return undefined;
  const unread = web.find((p) => !QUIET.includes(p.pool));
  const cls = unread?.decidedBy.workerClass;
  const why = !unread
    ? "a web server's worker class is not visible here"
    : cls !== undefined
      ? `whether ${unread.server}'s worker class ${cls} (${locOf(unread)}) uses greenlets is not known`
      : `${unread.server} (${locOf(unread)}) loads a config file that is not read, so its worker class is not known`;
  return {
    text: `outside any task; if the process running this code uses ${pin.package} (${required}; ${why})`,
    certain: false,
  };
}

/** `gunicorn's gevent workers (Procfile:1)`, `uWSGI's gevent loop (uwsgi.ini:4)`, `gunicorn's default sync workers (Procfile:1)`. */
function describeWeb(p: WebProcess): string {
  const cls = p.decidedBy.workerClass;
  const named = cls !== undefined && cls !== p.pool ? `${cls}, ` : '';
  const where = `(${named}${locOf(p)})`;
  if (p.server === 'uwsgi') return p.pool === 'gevent' ? `uWSGI's gevent loop ${where}` : `uWSGI without gevent ${where}`;
  const byDefault = p.decidedBy.origin === 'command' && p.decidedBy.pool === undefined;
  return `gunicorn's ${byDefault ? 'default ' : ''}${p.pool} workers ${where}`;
}

function locOf(p: WebProcess): string {
  return `${p.decidedBy.span.file}:${p.decidedBy.span.start.line}`;
}

/** What the subscriptions do under greenlets at the version: one shared PubSub, or a backend per greenlet. */
function consequence(config: AppConfig, target: string): string {
  const sub = knowledge().transports.resultBackend.redis.subscribe!;
  const scope = sub.backendScope.find((s) => inRange(target, s.since, s.until));
  const shared =
    scope?.scope === 'process' || (scope?.sharedWhen !== undefined && boolOf(config.get(scope.sharedWhen)?.fact.value) === true);
  if (shared) {
    return (
      'all greenlets of that process share the one redis-py PubSub connection of the result backend, which is not greenlet-safe: ' +
      'concurrent SUBSCRIBE/UNSUBSCRIBE calls interleave on it (seed 004, celery#4670: errors on closed or not yet opened sockets).'
    );
  }
  const since = scope?.since ?? '5.0.3';
  const keeps = compareVersions(target, '5.3.0') >= 0 ? `Celery ${since}+ keeps app.backend per thread (unless result_backend_thread_safe = True)` : `Celery ${since}-5.2 keeps app.backend per thread`;
  return (
    `${keeps} and gevent/eventlet make that per greenlet: every greenlet that sends it creates its own result backend ` +
    'with its own Redis connection pool and PubSub connection, so Redis connections grow with the number of concurrent greenlets.'
  );
}

function fixFor(model: ProjectModel, site: CallSite, ignoringMatters: boolean): Fix {
  const advice: Fix = {
    applicability: 'display-only',
    message: ignoringMatters ? 'Set ignore_result=True on tasks whose results are never read (or task_ignore_result = True)' : 'Upgrade to Celery 4.2+, then set ignore_result=True on tasks whose results are never read',
    edits: [],
  };
  if (!ignoringMatters) return advice;
  if (site.kind === 'send_task') {
    // a discarded send_task result: nothing can look this run's result up, so not waiting for it changes nothing
    const edit = site.resultUsage === 'discarded' && !site.options.task_id ? keywordEdit(site, 'ignore_result', 'True') : undefined;
    return edit ? { applicability: 'safe', message: 'Pass ignore_result=True to send_task', edits: [edit] } : advice;
  }
  const def = taskDef(model, site.task);
  const unused = def ? unusedResult(model, def) : undefined;
  const edit = def && unused ? ignoreResultEdit(def) : undefined;
  if (!def || !unused || !edit) return advice;
  return { applicability: unused.allSendsVisible ? 'safe' : 'unsafe', message: `Add ignore_result=True to ${def.name} (nothing reads its results)`, edits: [edit] };
}
