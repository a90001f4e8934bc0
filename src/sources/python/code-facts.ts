import type { CallSite, ImportFact, SignalHandler, TaskDef } from '../../model/types.js';
import { NodeIndex, type PyFile } from '../../parse/python.js';
import { CALL_TYPES, collectCalls } from './calls.js';
import { collectImports, IMPORT_TYPES } from './imports.js';
import { moduleScope } from './module-scope.js';
import { collectTasks, TASK_TYPES } from './tasks.js';
import { collectSignalHandlers } from './signals.js';

// A file with none of these can define no task, send none, read no result and import nothing of Celery's. A
// signature (`email.s(1)`) of a task imported from a module whose name has none of the words is the one call site
// without a word of its own: any `.s(`/`.si(` call makes the file a candidate (test/model/prefilter.test.ts).
export const MARKERS = /task|Task|delay|apply_async|AsyncResult|signature|ping|celery|kombu|allow_join_result|\.\s*si?\s*\(/;
const NODE_TYPES = [...IMPORT_TYPES, ...TASK_TYPES, ...CALL_TYPES];

/** What one Python file contributes to the python-code source, before call sites are linked across files. */
export interface CodeFileFacts {
  tasks: TaskDef[];
  callSites: CallSite[];
  imports: ImportFact[];
  signalHandlers: SignalHandler[];
}

/**
 * One file's tasks, call sites, imports and signal handlers. A pure function of the file, its module name and the
 * project's top-level packages, so it can run in a worker thread and its result can be cached.
 */
export function codeFileFacts(py: PyFile, module: string, projectRoots: ReadonlySet<string>): CodeFileFacts {
  const index = new NodeIndex(py.tree.rootNode, NODE_TYPES);
  const { bindings, facts } = collectImports(py, module, py.file.endsWith('__init__.py'), index);
  const scope = moduleScope(py);
  const tasks = collectTasks({ py, module, bindings, scope, projectRoots, index });
  const callSites = collectCalls({ py, module, bindings, scope, tasks, index });
  return { tasks, callSites, imports: facts, signalHandlers: collectSignalHandlers(py, bindings) };
}
