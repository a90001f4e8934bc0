import type { CallSite, ImportFact, SettingRead, SignalHandler, TaskDef } from '../../model/types.js';
import { NodeIndex, type PyFile } from '../../parse/python.js';
import { CALL_TYPES, collectCalls } from './calls.js';
import { collectImports, IMPORT_TYPES } from './imports.js';
import { moduleScope } from './module-scope.js';
import { collectTasks, TASK_TYPES, taskAliases, type AliasCandidate } from './tasks.js';
import { collectSignalHandlers } from './signals.js';
import { collectSettingReads, SETTING_READ_TYPES, SETTING_WORDS } from './setting-reads.js';

// A file with none of these can define no task, send none, read no result and import nothing of Celery's. A
// signature (`email.s(1)`) of a task imported from a module whose name has none of the words is the one call site
// without a word of its own: any `.s(`/`.si(` call makes the file a candidate (test/model/prefilter.test.ts).
export const MARKERS = /task|Task|delay|apply_async|AsyncResult|signature|ping|celery|kombu|allow_join_result|\.\s*si?\s*\(/;
const NODE_TYPES = [...IMPORT_TYPES, ...TASK_TYPES, ...CALL_TYPES];
// Identifiers are many: walked only in the few files that mention a Celery-prefixed name.
const WITH_SETTING_READS = [...NODE_TYPES, ...SETTING_READ_TYPES];

/** The pre-filter: a file that passes neither test contributes no fact (test/model/prefilter.test.ts). */
export function mayContribute(text: string): boolean {
  return MARKERS.test(text) || SETTING_WORDS.test(text);
}

/** What one Python file contributes to the python-code source, before call sites are linked across files. */
export interface CodeFileFacts {
  tasks: TaskDef[];
  callSites: CallSite[];
  imports: ImportFact[];
  signalHandlers: SignalHandler[];
  settingReads: SettingRead[];
  /** Module-level aliases of shared_task/app.task defined here, and functions decorated with a possible alias. */
  taskAliases?: string[];
  aliasCandidates?: AliasCandidate[];
}

/**
 * One file's tasks, call sites, imports, signal handlers and reads of setting names. A pure function of the file, its
 * module name and the project's top-level packages, so it can run in a worker thread and its result can be cached.
 */
export function codeFileFacts(py: PyFile, module: string, projectRoots: ReadonlySet<string>): CodeFileFacts {
  const index = new NodeIndex(py.tree.rootNode, SETTING_WORDS.test(py.text) ? WITH_SETTING_READS : NODE_TYPES);
  const { bindings, facts } = collectImports(py, module, py.file.endsWith('__init__.py'), index);
  const scope = moduleScope(py);
  const taskContext = { py, module, bindings, scope, projectRoots, index };
  const aliasCandidates: AliasCandidate[] = [];
  const tasks = collectTasks(taskContext, aliasCandidates);
  const aliases = taskAliases(taskContext);
  const callSites = collectCalls({ py, module, bindings, scope, tasks, index });
  const settingReads = collectSettingReads({ py, bindings, scope, index });
  return {
    tasks,
    callSites,
    imports: facts,
    signalHandlers: collectSignalHandlers(py, bindings),
    settingReads,
    ...(aliases.length ? { taskAliases: aliases } : {}),
    ...(aliasCandidates.length ? { aliasCandidates } : {}),
  };
}
