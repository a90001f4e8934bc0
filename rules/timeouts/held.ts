import type { AppConfig } from '../../src/engine/app-config.js';
import { appConfigs, appConfig, pythonCallsOf, taskNamed } from '../../src/engine/model-index.js';
import type { Knowledge } from '../../src/engine/knowledge.js';
import type { CeleryApp, ProjectModel, SettingFact, Span, TaskDef, Value } from '../../src/model/types.js';
import { knownNumber } from '../../src/parse/pyvalue.js';
import { brokerOf, type Broker } from '../connections/broker.js';
import { appFor } from '../serializers/content.js';

/*
 * Shared by CEL407 and CEL408: task messages a worker keeps unacknowledged for a statically known time. A
 * countdown (apply_async, send_task, retry, a task's default_retry_delay) is held until it is due; an acks_late
 * task's message until the run ends, at most its hard time limit (rules/knowledge/brokers.yaml: etaHeldUnacked).
 */

export interface HeldMessage {
  seconds: number;
  /** `eta`: held until the countdown is due; `run`: an acks_late task held while it runs. */
  hold: 'eta' | 'run';
  /** For messages: `add.apply_async(countdown=7200)`, `task proj.tasks.export (acks_late, time_limit=7200)`. */
  what: string;
  span: Span;
  app: CeleryApp;
}

/** Each app with its configuration at `version` and its broker, when the broker URL names a known transport. */
export function appBrokers(model: ProjectModel, k: Knowledge, version: string): { app: CeleryApp; config: AppConfig; broker: Broker }[] {
  const out: { app: CeleryApp; config: AppConfig; broker: Broker }[] = [];
  for (const { app, config } of appConfigs(model, version, k)) {
    const broker = brokerOf(config, k);
    if (broker) out.push({ app, config, broker });
  }
  return out;
}

// CEL407 and CEL408 both ask, per model and version.
const heldCache = new WeakMap<ProjectModel, Map<string, { k: Knowledge; held: HeldMessage[] }>>();

export function heldMessages(model: ProjectModel, k: Knowledge, version: string): readonly HeldMessage[] {
  let byVersion = heldCache.get(model);
  if (!byVersion) heldCache.set(model, (byVersion = new Map()));
  const cached = byVersion.get(version);
  if (cached && cached.k === k) return cached.held;
  const held = findHeld(model, k, version);
  byVersion.set(version, { k, held });
  return held;
}

function findHeld(model: ProjectModel, k: Knowledge, version: string): HeldMessage[] {
  const out: HeldMessage[] = [];
  const taskApp = (t: TaskDef | undefined) => (t ? appFor(model, t.file, t.appVariable) : undefined);
  for (const site of pythonCallsOf(model, ['apply_async', 'send_task', 'retry'])) {
    const opt = site.options.countdown;
    const seconds = knownNumber(opt?.value);
    if (!opt || seconds === undefined) continue;
    const app = taskApp(taskNamed(model, site.task)) ?? appFor(model, site.file);
    if (app) out.push({ seconds, hold: 'eta', what: `${site.receiver}.${site.kind}(countdown=${seconds})`, span: opt.value.span ?? opt.span, app });
  }
  const plainRetries = new Set(pythonCallsOf(model, ['retry']).filter((c) => !c.options.countdown && !c.options.eta).map((c) => c.inTask));
  for (const task of model.tasks) {
    const app = taskApp(task);
    if (!app) continue;
    const opt = task.options.default_retry_delay;
    const seconds = knownNumber(opt?.value);
    if (opt && seconds !== undefined && retriesWithDefaultDelay(plainRetries, task)) {
      out.push({ seconds, hold: 'eta', what: `default_retry_delay=${seconds} of task ${task.name}`, span: opt.value.span ?? opt.span, app });
    }
  }
  for (const app of model.apps) out.push(...lateAcked(model, k, version, app, model.tasks.filter((t) => taskApp(t) === app)));
  return out;
}

/** Whether a task retries without its own countdown, so its default_retry_delay is the countdown. */
function retriesWithDefaultDelay(plainRetries: ReadonlySet<string | undefined>, task: TaskDef): boolean {
  const plain = plainRetries.has(task.name);
  const backoff = task.options.retry_backoff?.value;
  // autoretry_for retries with default_retry_delay unless retry_backoff computes the countdown
  const auto = !!task.options.autoretry_for && (!backoff || (backoff.kind === 'bool' && !backoff.value) || (backoff.kind === 'num' && backoff.value === 0));
  return plain || auto;
}

/**
 * acks_late tasks with a hard time limit: the task's own options first, then the app's task_acks_late /
 * task_time_limit. When both come from the configuration the finding is made once, on the time-limit setting.
 */
function lateAcked(model: ProjectModel, k: Knowledge, version: string, app: CeleryApp, tasks: TaskDef[]): HeldMessage[] {
  const config = appConfig(model, app, version, k);
  const acksName = config.is4() ? 'task_acks_late' : 'CELERY_ACKS_LATE';
  const limitName = config.is4() ? 'task_time_limit' : 'CELERYD_TASK_TIME_LIMIT';
  const globalAcks = knownBool(config.value(acksName).value);
  const limitFact = config.get(limitName)?.fact;
  const globalLimit = limitFact ? positive(config.value(limitName).value) : undefined;
  const out: HeldMessage[] = [];
  let globalUsed = false;
  for (const t of tasks) {
    const ownAcks = t.options.acks_late;
    const acks = ownAcks ? knownBool(ownAcks.value) : globalAcks;
    if (acks !== true) continue;
    const ownLimit = t.options.time_limit;
    const seconds = ownLimit ? positive(ownLimit.value) : globalLimit;
    if (seconds === undefined) continue;
    if (ownLimit) out.push(run(t, seconds, 'time_limit', ownLimit.value.span ?? ownLimit.span, app));
    else if (ownAcks) out.push(run(t, seconds, `${limitFact!.name}`, ownAcks.value.span ?? ownAcks.span, app));
    else globalUsed = true;
  }
  if (globalUsed && limitFact && globalLimit !== undefined) {
    out.push({ seconds: globalLimit, hold: 'run', what: `${acksFactName(config, acksName)} with ${limitFact.name} = ${globalLimit}`, span: limitFact.valueSpan, app });
  }
  return out;
}

function run(t: TaskDef, seconds: number, limit: string, span: Span, app: CeleryApp): HeldMessage {
  return { seconds, hold: 'run', what: `task ${t.name} (acks_late, ${limit} ${seconds} s)`, span, app };
}

function acksFactName(config: AppConfig, name: string): string {
  const f: SettingFact | undefined = config.get(name)?.fact;
  return f ? `${f.name} = True` : name;
}

function knownBool(v: Value | undefined): boolean | undefined {
  if (v?.kind === 'bool') return v.value;
  if (v?.kind === 'env' && v.default) return knownBool(v.default);
  return undefined;
}

function positive(v: Value | undefined): number | undefined {
  const n = knownNumber(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** `7200 s` → `7200 s (2 h)`: the unit people configure these in. */
export function duration(seconds: number): string {
  const h = seconds / 3600;
  const m = seconds / 60;
  if (seconds >= 3600 && Number.isInteger(h)) return `${seconds} s (${h} h)`;
  if (seconds >= 60 && Number.isInteger(m)) return `${seconds} s (${m} min)`;
  return `${seconds} s`;
}
