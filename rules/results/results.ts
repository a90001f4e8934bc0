import { workerPools, type AppConfig } from '../../src/engine/app-config.js';
import { appConfig, sitesOfTask, taskNamed } from '../../src/engine/model-index.js';
import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import type { Edit } from '../../src/engine/types.js';
import { isTestFile } from '../../src/model/module-names.js';
import type { CallKind, CallSite, CeleryApp, ProjectModel, TaskDef, Value } from '../../src/model/types.js';
import { appOfTask } from '../producers/producers.js';

/*
 * Shared by the result rules (CEL501-CEL504): where a task's result is stored, whether it is ignored, whether
 * anything in the project reads it, and the edit that makes a task ignore its result.
 */

export const SENDS: readonly CallKind[] = ['delay', 'apply_async', 'send_task'];
const READS: readonly CallKind[] = ['get', 'join', 'wait', 'ready', 'result_attr'];
// Signals whose handlers see task ids: with them an id can escape to code that later rebuilds AsyncResult(id).
const ID_SIGNALS = new Set(['before_task_publish', 'after_task_publish', 'task_sent', 'task_prerun', 'task_postrun', 'task_success', 'task_failure', 'task_retry', 'task_revoked', 'task_internal_error']);

/** Python call sites outside tests (tests usually run tasks eagerly). */
export function pythonSites(model: ProjectModel, kinds: readonly CallKind[]): CallSite[] {
  return model.callSites.filter((c) => c.language === undefined && kinds.includes(c.kind) && !isTestFile(c.file));
}

export function configFor(model: ProjectModel, app: CeleryApp | undefined, version: string | undefined): AppConfig | undefined {
  return app && version ? appConfig(model, app, version) : undefined;
}

export function configOfTask(model: ProjectModel, task: string | undefined, version: string | undefined): AppConfig | undefined {
  return configFor(model, appOfTask(model, task), version);
}

/** The Redis result backend URL (redis, rediss, sentinel, unix socket), when statically known. */
export function redisBackend(config: AppConfig): string | undefined {
  const { url, parsed } = config.resultBackendUrl();
  if (!url || !parsed) return undefined;
  return ['redis', 'rediss', 'sentinel', 'redis+socket'].includes(parsed.scheme) ? url : undefined;
}

export function boolOf(v: Value | undefined): boolean | 'unknown' | undefined {
  if (!v) return undefined;
  return v.kind === 'bool' ? v.value : 'unknown';
}

/** A setting's value when the app sets it: true/false, 'unknown' when set to something not literal, undefined when unset. */
export function settingBool(config: AppConfig, setting4: string, setting31: string): { value: boolean | 'unknown'; name: string } | undefined {
  const s = config.get(config.is4() ? setting4 : setting31);
  if (!s) return undefined;
  return { value: boolOf(s.fact.value) ?? 'unknown', name: s.fact.name };
}

/** Whether task annotations are configured: they may set ignore_result on any task. */
export function hasAnnotations(config: AppConfig): boolean {
  return config.get(config.is4() ? 'task_annotations' : 'CELERY_ANNOTATIONS') !== undefined;
}

export type Ignoring = { ignores: true; why: string } | { ignores: false } | { ignores: 'unknown' };

/**
 * Whether a task ignores its result: its own ignore_result (decorator option or class attribute), else
 * task_ignore_result (CELERY_IGNORE_RESULT before 4.0). Unknown when a value is not literal, the decorator passes
 * options we cannot see, a custom base class may set it, or task annotations are configured.
 */
export function taskIgnores(def: TaskDef, config: AppConfig): Ignoring {
  const own = boolOf(def.options.ignore_result?.value);
  if (own === true) return { ignores: true, why: 'has ignore_result=True' };
  if (own === false) return { ignores: false };
  if (own === 'unknown' || def.unlistedOptions || def.options.base || def.decorator === 'class' || config.app.taskClass || hasAnnotations(config)) return { ignores: 'unknown' };
  const global = settingBool(config, 'task_ignore_result', 'CELERY_IGNORE_RESULT');
  if (global?.value === true) return { ignores: true, why: `runs with ${global.name} = True` };
  if (global?.value === 'unknown') return { ignores: 'unknown' };
  return { ignores: false };
}

export function taskDef(model: ProjectModel, name: string | undefined): TaskDef | undefined {
  return taskNamed(model, name);
}

/** The task a result read refers to: linked directly, or through the send it came from. */
export function readTask(site: CallSite): string | undefined {
  return site.task ?? site.resultOf?.task;
}

/** Whether pools run task bodies with task_join_will_block = False (greenlets), per the knowledge base. */
export function greenPools(): readonly string[] {
  return knowledge().transports.resultBackend.waiting?.getInTask.greenPools ?? [];
}

export function poolsOf(model: ProjectModel, config: AppConfig | undefined): string[] {
  const pools = config ? workerPools(model, config).map((p) => p.pool) : [];
  return [...new Set(pools.length ? pools : ['prefork'])];
}

export interface UnusedResult {
  /** Every send of the task is visible: nothing sends it by a name we cannot read, and no other service sends it. */
  allSendsVisible: boolean;
  sends: CallSite[];
}

interface ProjectSends {
  /** Sends of a task we cannot name (send_task of an unknown name, delay on an unknown receiver). */
  unknownSends: CallSite[];
  /** An AsyncResult(id) whose task is unknown exists. */
  lookups: boolean;
  typescript: boolean;
}

// unusedResult runs once per task: what does not depend on the task is computed once per model.
const projectSends = new WeakMap<ProjectModel, ProjectSends>();
function sendsOfProject(model: ProjectModel): ProjectSends {
  let p = projectSends.get(model);
  if (!p) {
    const all = model.callSites.filter((c) => !isTestFile(c.file));
    p = {
      unknownSends: all.filter((c) => SENDS.includes(c.kind) && !c.task && (c.kind === 'send_task' || !c.target)),
      lookups: all.some((c) => c.kind === 'AsyncResult' && !c.task),
      typescript: all.some((c) => c.language === 'typescript'),
    };
    projectSends.set(model, p);
  }
  return p;
}

/**
 * Whether nothing in the project can read a task's results: it has sends, all discard the AsyncResult (so the
 * task id never leaves the sender) and pass no task_id; it is not part of a canvas; no read or AsyncResult lookup
 * names it; no send of an unknown task keeps its result (it could be this task); and an AsyncResult(id) of an
 * unknown task cannot be about it (its id does not escape through bind=True or signal handlers).
 */
export function unusedResult(model: ProjectModel, def: TaskDef): UnusedResult | undefined {
  const mine = sitesOfTask(model, def.name).filter((c) => !isTestFile(c.file));
  const sends = mine.filter((c) => SENDS.includes(c.kind));
  if (sends.length === 0) return undefined;
  if (sends.some((c) => c.resultUsage !== 'discarded' || c.options.task_id || c.producer)) return undefined;
  if (mine.some((c) => READS.includes(c.kind) || c.kind === 'AsyncResult' || c.kind === 's' || c.kind === 'si' || c.kind === 'signature')) return undefined;
  const { unknownSends, lookups, typescript } = sendsOfProject(model);
  if (unknownSends.some((c) => c.resultUsage !== 'discarded')) return undefined;
  if (lookups && (def.bind || model.signalHandlers.some((h) => ID_SIGNALS.has(h.signal)))) return undefined;
  const allSendsVisible = unknownSends.length === 0 && !def.explicitName && model.producers.length === 0 && !typescript;
  return { allSendsVisible, sends };
}

/**
 * The edit that adds `ignore_result=True` to a task's decorator: `@app.task` gains an argument list, `()` is
 * filled, otherwise it goes after the last keyword (which keeps a trailing comma valid). Class tasks get none.
 */
export function ignoreResultEdit(def: TaskDef): Edit | undefined {
  if (def.decorator === 'class' || def.unlistedOptions || def.options.ignore_result) return undefined;
  const file = def.file;
  const args = def.decoratorArgsSpan;
  if (!args) {
    const end = def.decoratorSpan.end.offset;
    return { file, start: end, end, content: '(ignore_result=True)' };
  }
  const keywords = Object.values(def.options);
  if (keywords.length) {
    const at = Math.max(...keywords.map((o) => o.span.end.offset));
    return { file, start: at, end: at, content: ', ignore_result=True' };
  }
  if (args.end.offset - args.start.offset === 2) return { file, start: args.start.offset + 1, end: args.start.offset + 1, content: 'ignore_result=True' };
  return undefined;
}

export function atLeast(version: string | undefined, since: string): boolean {
  return version !== undefined && compareVersions(version, since) >= 0;
}
