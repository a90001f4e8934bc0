import type { CallSite, ImportFact, SignalHandler, TaskDef } from '../../model/types.js';
import type { Source } from '../source.js';
import { moduleIndex } from './celery-config.js';
import { NodeIndex } from '../../parse/python.js';
import { CALL_TYPES, collectCalls } from './calls.js';
import { collectImports, IMPORT_TYPES } from './imports.js';
import { moduleScope } from './module-scope.js';
import { collectTasks, TASK_TYPES } from './tasks.js';
import { collectSignalHandlers } from './signals.js';

// A file with none of these words can define no task, send none, read no result and import nothing of Celery's.
const MARKERS = /task|Task|delay|apply_async|AsyncResult|signature|ping|celery|kombu|allow_join_result/;
const NODE_TYPES = [...IMPORT_TYPES, ...TASK_TYPES, ...CALL_TYPES];

/** Task definitions, the calls that send tasks or read their results, and imports of Celery modules. */
export const pythonCodeSource: Source = {
  name: 'python-code',
  collect(ctx) {
    const modules = moduleIndex(ctx);
    const projectRoots = new Set([...modules.modules.keys()].map((m) => m.split('.')[0] ?? m));
    const tasks: TaskDef[] = [];
    const callSites: CallSite[] = [];
    const imports: ImportFact[] = [];
    const signalHandlers: SignalHandler[] = [];
    for (const f of ctx.filesOfKind('python')) {
      const text = ctx.text(f);
      if (text === undefined || !MARKERS.test(text)) continue;
      const py = ctx.python(f);
      if (!py) continue;
      const module = modules.moduleOf.get(f.path) ?? '';
      const index = new NodeIndex(py.tree.rootNode, NODE_TYPES);
      const { bindings, facts } = collectImports(py, module, f.path.endsWith('__init__.py'), index);
      const scope = moduleScope(py);
      const fileTasks = collectTasks({ py, module, bindings, scope, projectRoots, index });
      tasks.push(...fileTasks);
      callSites.push(...collectCalls({ py, module, bindings, scope, tasks: fileTasks, index }));
      imports.push(...facts);
      signalHandlers.push(...collectSignalHandlers(py, bindings));
    }
    return { tasks, callSites, imports, signalHandlers };
  },
};
