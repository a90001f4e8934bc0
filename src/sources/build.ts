import { discover, type DiscoverOptions } from '../discover/walk.js';
import { initPython } from '../parse/python.js';
import type { Facts, Source } from './source.js';
import { allSources } from './index.js';
import { createContext } from './context.js';
import type { FactCache } from '../model/fact-cache.js';
import type { ParallelOptions } from '../model/parallel.js';
import { linkCallSites } from '../model/link.js';
import type { ParseProblem, ProjectModel } from '../model/types.js';
import { envWebServers } from '../model/web-servers.js';

export interface BuildOptions extends DiscoverOptions {
  sources?: Source[];
  /** Edited texts by relative path, read instead of the files on disk (fixes are checked before writing). */
  overlay?: ReadonlyMap<string, string>;
  /** On-disk per-file facts: a warm run analyses only the files that changed (saved after the build). */
  factCache?: FactCache;
  /** False turns the sources' text pre-filters off (the regression test compares findings with and without). */
  prefilter?: boolean;
  /** Worker threads for parsing many files (default: DEFAULT_PARALLEL). */
  parallel?: ParallelOptions;
  /** Told before each source runs (sources done, sources in all, the source's name): a progress indicator. */
  progress?: (done: number, total: number, stage: string) => void;
  /** Told when a stage has ended, by name (CELERY_LINT_TIMING). */
  stage?: (ended: string) => void;
}

/** discover → parse → sources → one ProjectModel. Throws MissingPathError for a path that does not exist. */
export async function buildModel(root: string, paths: string[] = [], opts: BuildOptions = {}): Promise<ProjectModel> {
  // The grammar's files are read and compiled off the main thread while the walk runs.
  const ready = initPython();
  let discovery;
  try {
    discovery = discover(root, paths, opts);
  } finally {
    await ready;
  }
  opts.stage?.('discover');
  const problems: ParseProblem[] = [...discovery.problems];
  const ctx = createContext(discovery, problems, opts.overlay, { factCache: opts.factCache, prefilter: opts.prefilter, parallel: opts.parallel });
  const model: ProjectModel = {
    root: discovery.root,
    files: discovery.files.map((f) => ({ path: f.path, kind: f.kind })),
    apps: [],
    configModules: [],
    tasks: [],
    callSites: [],
    commands: [],
    envVars: [],
    redisConfs: [],
    versions: [],
    imports: [],
    producers: [],
    signalHandlers: [],
    settingReads: [],
    problems,
  };
  try {
    const sources = opts.sources ?? allSources;
    for (const [i, source] of sources.entries()) {
      opts.progress?.(i, sources.length, source.name);
      let facts: Facts;
      try {
        facts = source.collect(ctx, model);
      } catch (e) {
        // One broken source must not take the whole analysis down; say which and go on.
        problems.push({ file: '.', severity: 'error', message: `internal error in source ${source.name}: ${(e as Error).message}` });
        continue;
      }
      merge(model, facts);
      opts.stage?.(source.name);
    }
  } finally {
    // The model holds no tree nodes: free the trees now rather than when the GC gets to the context.
    ctx.dispose?.();
  }
  opts.factCache?.save();
  model.callSites = linkCallSites(model.tasks, model.callSites);
  // GUNICORN_CMD_ARGS may come from any deploy source's environment.
  const fromEnv = envWebServers(model.envVars);
  if (fromEnv.length) (model.webServers ??= []).push(...fromEnv);
  model.problems = dedupeProblems(problems);
  return model;
}

function merge(model: ProjectModel, f: Facts): void {
  if (f.apps) model.apps.push(...f.apps);
  if (f.configModules) model.configModules.push(...f.configModules);
  if (f.tasks) model.tasks.push(...f.tasks);
  if (f.callSites) model.callSites.push(...f.callSites);
  if (f.commands) model.commands.push(...f.commands);
  if (f.envVars) model.envVars.push(...f.envVars);
  if (f.redisConfs) model.redisConfs.push(...f.redisConfs);
  if (f.rabbitmqConfs) (model.rabbitmqConfs ??= []).push(...f.rabbitmqConfs);
  if (f.webServers?.length) (model.webServers ??= []).push(...f.webServers);
  if (f.versions) model.versions.push(...f.versions);
  if (f.imports) model.imports.push(...f.imports);
  if (f.producers) model.producers.push(...f.producers);
  if (f.signalHandlers) model.signalHandlers.push(...f.signalHandlers);
  if (f.settingReads) model.settingReads.push(...f.settingReads);
  if (f.problems) model.problems.push(...f.problems);
}

function dedupeProblems(problems: ParseProblem[]): ParseProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.span?.start.offset ?? -1}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
