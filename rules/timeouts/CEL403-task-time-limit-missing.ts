import { appConfigs } from '../../src/engine/model-index.js';
import { type AppConfig, resolveEnv, workerPools } from '../../src/engine/app-config.js';
import { compareVersions, inRange, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import type { CeleryApp, ProjectModel, TaskDef, Value } from '../../src/model/types.js';
import { dictGet } from '../../src/parse/pyvalue.js';
import { addSettingsEdits, appAnchor, appFor } from '../serializers/content.js';
import { location } from './timeouts.js';

/** Seconds the fix writes (30 minutes): a choice, below Redis's default visibility_timeout of one hour. */
const FIX_LIMIT = 1800;

/** Pools whose TaskPool ignores the time limits it is given (celery/concurrency/{solo,thread,eventlet}.py on_apply). */
const NOT_ENFORCED = new Set(['solo', 'threads', 'eventlet']);

/** Whether a level sets a limit: yes, no, or not statically known (counted as set: the rule only reports what it can see). */
type Limit = 'set' | 'unset' | 'unknown';

interface Limits {
  hard: Limit;
  soft: Limit;
}

export default createRule({
  meta: {
    code: 'CEL403',
    name: 'task-time-limit-missing',
    summary: 'No time limit applies to the tasks of an app: no task_time_limit, no --time-limit, none on the tasks.',
    why:
      'Without a time limit a task that never returns (an HTTP call without timeout, a lock that is never released, a ' +
      'peer that vanished) keeps its worker slot forever: the prefork process or greenlet is never given back, and ' +
      "after --concurrency such tasks the worker consumes nothing more while it still looks alive. Celery's docs: " +
      '"the best way to defend against this scenario happening is enabling time limits". A limit comes from ' +
      'task_time_limit / task_soft_time_limit (CELERYD_TASK_TIME_LIMIT / CELERYD_TASK_SOFT_TIME_LIMIT before 4.0), ' +
      "the worker's --time-limit / --soft-time-limit, task_annotations, or the task's own time_limit / " +
      'soft_time_limit. The rule reports once per app, counting the tasks no level covers: as information, or as a ' +
      'warning when one of those tasks makes an HTTP call without a timeout (CEL406). What enforces a limit ' +
      'depends on the pool (celery/concurrency/*.py): prefork enforces both (the hard limit terminates the pool ' +
      'process and starts a new one); gevent enforces only the hard limit, with gevent.Timeout, which fires only ' +
      'when the task yields to the event loop; solo, threads and eventlet enforce none, so the rule stays silent ' +
      'when every worker uses one of them. Values it cannot evaluate, a base= task class, an app-wide task class (app.Task = X, Celery(task_cls=)), class-based tasks and ' +
      'keys Celery does not read (CEL103/CEL106 report those) keep it silent. The fix adds task_time_limit = 1800 ' +
      '(30 minutes) where the app is configured: the value is a choice, so it is unsafe.',
    example: "broker_url = 'redis://redis:6379/0'\n# no task_time_limit here, and the tasks are plain @app.task functions",
    useInstead: "broker_url = 'redis://redis:6379/0'\ntask_time_limit = 1800",
    fixSafety: 'unsafe',
    versions: { description: 'Every release (CELERYD_TASK_TIME_LIMIT in 3.1, task_time_limit from 4.0).' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/workers.html#time-limits',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-time-limit',
      'https://github.com/celery/celery/blob/v5.6.3/celery/concurrency/gevent.py',
      'https://github.com/celery/celery/blob/v5.6.3/celery/concurrency/solo.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    for (const { app, config } of appConfigs(model, target, k)) {
      // a config file that does not parse may set the limit after the error
      if (unreadLimitKey(config) || config.incomplete()) continue;
      const pools = workerPools(model, config).map((p) => p.pool);
      const enforcing = (pools.length ? pools : ['prefork']).filter((p) => !NOT_ENFORCED.has(p));
      if (enforcing.length === 0) continue;
      // the gevent pool ignores soft limits: only a hard limit stops a task there
      const softCounts = !enforcing.includes('gevent');
      const names = { hard: nameAt(k, 'task_time_limit', target), soft: nameAt(k, 'task_soft_time_limit', target) };
      const global = globalLimits(model, config, names);
      if (covers(global, softCounts)) continue;
      const annotations = annotationLimits(config, target);
      if (annotations === 'unknown' || (annotations.all && covers(annotations.all, softCounts))) continue;
      const tasks = model.tasks.filter((t) => appFor(model, t.file, t.appVariable)?.id === app.id);
      const open = tasks.filter((t) => !covers(taskLimits(t, annotations.byTask.get(t.name), !!app.taskClass), softCounts));
      if (open.length === 0) continue;
      const example = blockingCall(model, open);
      ctx.report({
        message: message({ app, names, global, open, total: tasks.length, pools: pools.length ? pools : undefined, enforcing, example }),
        span: appAnchor(app),
        fix: fix(model, app, k, target, names.hard),
        // advice Celery gives every project; a warning once a task is seen making a call that can block forever
        ...(example ? {} : { severity: 'info' as const }),
      });
    }
  },
});

/** The name Celery reads a setting by at a version: the 4.0+ name, or the 3.1 name 4.0 renamed to it. */
function nameAt(k: Knowledge, setting: string, version: string): string {
  if (compareVersions(version, '4.0.0') >= 0) return setting;
  return k.settings.celery31.find((s) => s.renamedTo === setting && inRange(version, s.added, s.removed))?.name ?? setting;
}

function limitOf(v: Value | undefined): Limit {
  if (!v) return 'unset';
  if (v.kind === 'none' || (v.kind === 'num' && v.value <= 0)) return 'unset';
  if (v.kind === 'num') return 'set';
  return 'unknown';
}

function covers(l: Limits, softCounts: boolean): boolean {
  return l.hard !== 'unset' || (softCounts && l.soft !== 'unset');
}

/** A time-limit key in the app's configuration that Celery does not read (a namespace mismatch, a typo). */
function unreadLimitKey(config: AppConfig): boolean {
  return config.entries.some((e) => /TIME_?LIMIT/i.test(e.fact.name) && (e.notRead || e.reading.kind === 'unknown'));
}

function globalLimits(model: ProjectModel, config: AppConfig, names: { hard: string; soft: string }): Limits {
  const setting = (name: string) => {
    const s = config.get(name);
    return s ? limitOf(resolveEnv(s.fact.value, model)) : 'unset';
  };
  const worker = model.commands.filter((c) => c.subcommand === 'worker' || c.subcommand === 'multi' || /celeryd$/.test(c.program));
  const cli = (option: string): boolean => worker.some((c) => c.options.some((o) => o.name === option));
  return {
    hard: cli('--time-limit') ? 'set' : setting(names.hard),
    soft: cli('--soft-time-limit') ? 'set' : setting(names.soft),
  };
}

/**
 * Limits task_annotations gives (CELERY_ANNOTATIONS before 4.0): for every task (`'*'`) and per task name.
 * Anything but literal dicts (a class, a function, a name) is unknown.
 */
function annotationLimits(config: AppConfig, target: string): { all?: Limits; byTask: Map<string, Limits> } | 'unknown' {
  const s = config.get(compareVersions(target, '4.0.0') >= 0 ? 'task_annotations' : 'CELERY_ANNOTATIONS');
  const byTask = new Map<string, Limits>();
  if (!s) return { byTask };
  const v = s.fact.value;
  if (v.kind === 'none') return { byTask };
  const dicts = v.kind === 'dict' ? [v] : v.kind === 'list' || v.kind === 'tuple' ? v.items : undefined;
  if (!dicts) return 'unknown';
  let all: Limits | undefined;
  for (const d of dicts) {
    if (d.kind !== 'dict') return 'unknown';
    for (const e of d.entries) {
      if (e.key.kind !== 'str' || e.value.kind !== 'dict') return 'unknown';
      const l = { hard: limitOf(dictGet(e.value, 'time_limit')?.value), soft: limitOf(dictGet(e.value, 'soft_time_limit')?.value) };
      if (e.key.value === '*') all = l;
      else byTask.set(e.key.value, l);
    }
  }
  return { all, byTask };
}

function taskLimits(t: TaskDef, annotated: Limits | undefined, appTaskClass: boolean): Limits {
  // the limits of a custom base class, an app-wide task class or a class-based task's parents are not in the model
  if (t.decorator === 'class' || t.options.base || appTaskClass) return { hard: 'unknown', soft: 'unknown' };
  const hard = limitOf(t.options.time_limit?.value);
  const soft = limitOf(t.options.soft_time_limit?.value);
  return {
    hard: annotated && annotated.hard !== 'unset' ? annotated.hard : hard,
    soft: annotated && annotated.soft !== 'unset' ? annotated.soft : soft,
  };
}

interface Finding {
  app: CeleryApp;
  names: { hard: string; soft: string };
  global: Limits;
  open: TaskDef[];
  total: number;
  /** Pools of the project's worker commands (or worker_pool); absent: Celery's default, prefork. */
  pools?: string[];
  enforcing: string[];
  /** A call without timeout in one of the tasks, if any. */
  example?: string;
}

function message(f: Finding): string {
  const { names } = f;
  const shown = f.open.slice(0, 3).map((t) => t.name).join(', ') + (f.open.length > 3 ? `, and ${f.open.length - 3} more` : '');
  const count = f.open.length === f.total ? (f.total === 1 ? 'its task' : f.total === 2 ? 'either of its 2 tasks' : `any of its ${f.total} tasks`) : `${f.open.length} of its ${f.total} tasks`;
  const gevent = f.enforcing.includes('gevent');
  const settings =
    f.global.soft !== 'unset' && gevent
      ? `${names.soft} is set but the gevent pool does not implement soft time limits, ${names.hard} is not set`
      : `neither ${names.hard} nor ${names.soft} is set`;
  const lead = `No time limit applies to ${count} (${shown}): ${settings}, no worker command passes --time-limit, and the tasks set no time_limit.`;
  const onlyPrefork = f.enforcing.every((p) => p === 'prefork');
  const onlyGevent = f.enforcing.every((p) => p === 'gevent');
  const slot = onlyPrefork
    ? f.pools ? 'its prefork pool process' : "its pool process (prefork: Celery's default pool, as no worker command or worker_pool names one)"
    : onlyGevent ? 'its gevent greenlet' : 'its worker slot';
  const stuck = `A task that never returns${f.example ? ` (${f.example})` : ''} keeps ${slot} forever, and once every slot is taken the worker stops consuming tasks.`;
  const remedy = onlyPrefork
    ? `With ${names.hard} the worker terminates the pool process of a task that runs longer and starts a new one.`
    : onlyGevent
      ? `With ${names.hard} the gevent pool raises gevent.Timeout in a task that runs longer, but only when the task yields to the event loop.`
      : `With ${names.hard} the pool ends a task that runs longer (prefork terminates its process; gevent raises gevent.Timeout when the task yields).`;
  const ignored = [...new Set((f.pools ?? []).filter((p) => NOT_ENFORCED.has(p)))];
  const note = ignored.length ? ` The ${ignored.join(' and ')} pool${ignored.length > 1 ? 's' : ''} of the other workers enforce${ignored.length > 1 ? '' : 's'} no time limit at all.` : '';
  return `${lead} ${stuck} ${remedy}${note}`;
}

/** An HTTP call without timeout in one of the tasks, to make the risk concrete. */
function blockingCall(model: ProjectModel, tasks: TaskDef[]): string | undefined {
  const names = new Set(tasks.map((t) => t.name));
  const call = model.callSites.find(
    (c) => c.kind === 'http' && c.inTask && names.has(c.inTask) && c.hasTimeout === false && !c.target?.startsWith('httpx.') && !c.options.timeout,
  );
  return call ? `${call.inTask} calls ${call.target ?? call.receiver} without a timeout at ${location(call)}` : undefined;
}

function fix(model: ProjectModel, app: CeleryApp, k: Knowledge, target: string, setting: string): Fix | undefined {
  const edits = addSettingsEdits(model, app, k, target, [{ setting, value: FIX_LIMIT }]);
  return edits ? { applicability: 'unsafe', message: `Add a hard time limit of ${FIX_LIMIT} s (30 minutes; choose the longest a task may legitimately run)`, edits } : undefined;
}
