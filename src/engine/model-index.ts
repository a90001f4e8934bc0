import type { CallKind, CallSite, CeleryApp, ProjectModel, TaskDef } from '../model/types.js';
import { AppConfig } from './app-config.js';
import { knowledge, type Knowledge } from './knowledge.js';

/*
 * Lookups the rules make again and again over one model (a task by name, a task's call sites, an app's
 * configuration at a version), each computed once per model. A large project has thousands of tasks and call
 * sites: a rule that scans every call site for every task is quadratic, and was the slowest part of a warm run.
 * The model is not changed once built, so what is derived from it stays true for the run.
 */

interface Index {
  configs: Map<string, AppConfig>;
  tasks?: Map<string, TaskDef>;
  sitesByTask?: Map<string, CallSite[]>;
  byKinds: Map<string, CallSite[]>;
}

const indexes = new WeakMap<ProjectModel, Index>();

function indexOf(model: ProjectModel): Index {
  let index = indexes.get(model);
  if (!index) indexes.set(model, (index = { configs: new Map(), byKinds: new Map() }));
  return index;
}

/** An app's configuration as Celery at `version` reads it (one AppConfig per app, version and knowledge base). */
export function appConfig(model: ProjectModel, app: CeleryApp, version: string, k: Knowledge = knowledge()): AppConfig {
  const configs = indexOf(model).configs;
  const key = `${app.id}\0${version}`;
  let config = configs.get(key);
  if (!config || config.k !== k || config.app !== app) {
    config = new AppConfig(app, model, k, version);
    configs.set(key, config);
  }
  return config;
}

/** Every app of the project with its configuration at `version`. */
export function appConfigs(model: ProjectModel, version: string, k: Knowledge = knowledge()): { app: CeleryApp; config: AppConfig }[] {
  return model.apps.map((app) => ({ app, config: appConfig(model, app, version, k) }));
}

/** The task registered under `name` (the first, as the project's own lookups did). */
export function taskNamed(model: ProjectModel, name: string | undefined): TaskDef | undefined {
  if (name === undefined) return undefined;
  const index = indexOf(model);
  if (!index.tasks) {
    index.tasks = new Map();
    for (const t of model.tasks) if (!index.tasks.has(t.name)) index.tasks.set(t.name, t);
  }
  return index.tasks.get(name);
}

/** Call sites linked to a task: its sends and signatures, and the result reads traced to one of them. */
export function sitesOfTask(model: ProjectModel, name: string): readonly CallSite[] {
  const index = indexOf(model);
  if (!index.sitesByTask) {
    const by = new Map<string, CallSite[]>();
    const add = (task: string, c: CallSite) => {
      const list = by.get(task);
      if (list) list.push(c);
      else by.set(task, [c]);
    };
    for (const c of model.callSites) {
      if (c.task !== undefined) add(c.task, c);
      const of = c.resultOf?.task;
      if (of !== undefined && of !== c.task) add(of, c);
    }
    index.sitesByTask = by;
  }
  return index.sitesByTask.get(name) ?? [];
}

/** Python call sites of the given kinds, in model order. */
export function pythonCallsOf(model: ProjectModel, kinds: readonly CallKind[]): readonly CallSite[] {
  const index = indexOf(model);
  const key = kinds.join(',');
  let sites = index.byKinds.get(key);
  if (!sites) {
    sites = model.callSites.filter((c) => c.language === undefined && kinds.includes(c.kind));
    index.byKinds.set(key, sites);
  }
  return sites;
}

const byStart = new WeakMap<ProjectModel, Map<string, CallSite>>();

/** The call site of a kind that starts at an offset of a file (what a `resultOf` reference names). */
export function siteAt(model: ProjectModel, kind: CallKind, file: string, offset: number): CallSite | undefined {
  let sites = byStart.get(model);
  if (!sites) {
    sites = new Map();
    for (const c of model.callSites) {
      const key = `${c.kind}\0${c.file}\0${c.span.start.offset}`;
      if (!sites.has(key)) sites.set(key, c);
    }
    byStart.set(model, sites);
  }
  return sites.get(`${kind}\0${file}\0${offset}`);
}
