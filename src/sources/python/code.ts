import type { CallSite, ImportFact, TaskDef } from '../../model/types.js';
import type { Source } from '../source.js';
import { moduleIndex } from './celery-config.js';
import { collectCalls } from './calls.js';
import { collectImports } from './imports.js';
import { moduleScope } from './module-scope.js';
import { collectTasks } from './tasks.js';

// A file with none of these words can define no task, send none, read no result and import nothing of Celery's.
const MARKERS = ['task', 'Task', 'delay', 'apply_async', 'AsyncResult', 'signature', 'ping', 'celery', 'kombu', 'djcelery', 'allow_join_result'];

/** Task definitions, the calls that send tasks or read their results, and imports of Celery modules. */
export const pythonCodeSource: Source = {
  name: 'python-code',
  collect(ctx) {
    const index = moduleIndex(ctx);
    const projectRoots = new Set([...index.modules.keys()].map((m) => m.split('.')[0] ?? m));
    const tasks: TaskDef[] = [];
    const callSites: CallSite[] = [];
    const imports: ImportFact[] = [];
    for (const f of ctx.filesOfKind('python')) {
      const text = ctx.text(f);
      if (text === undefined || !MARKERS.some((m) => text.includes(m))) continue;
      const py = ctx.python(f);
      if (!py) continue;
      const module = index.moduleOf.get(f.path) ?? '';
      const { bindings, facts } = collectImports(py, module, f.path.endsWith('__init__.py'));
      const scope = moduleScope(py);
      const fileTasks = collectTasks({ py, module, bindings, scope, projectRoots });
      tasks.push(...fileTasks);
      callSites.push(...collectCalls({ py, module, bindings, scope, tasks: fileTasks }));
      imports.push(...facts);
    }
    return { tasks, callSites, imports };
  },
};
