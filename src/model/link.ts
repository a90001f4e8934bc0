import type { CallSite, TaskDef } from './types.js';

/**
 * Resolves each call site's task reference (a dotted import target like `proj.tasks.add`, or a literal task
 * name) to a task's registered name: exact name, then `module.function`, then a unique function name.
 */
export function linkCallSites(tasks: readonly TaskDef[], callSites: readonly CallSite[]): CallSite[] {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const byQualified = new Map(tasks.map((t) => [`${t.module}.${t.function}`, t]));
  const byFunction = new Map<string, TaskDef[]>();
  for (const t of tasks) byFunction.set(t.function, [...(byFunction.get(t.function) ?? []), t]);
  return callSites.map((c) => {
    if (!c.task) return c;
    const ref = c.task;
    const found = byName.get(ref) ?? byQualified.get(ref) ?? unique(byFunction.get(ref.split('.').pop() ?? ''));
    return { ...c, task: found?.name };
  });
}

function unique(list: TaskDef[] | undefined): TaskDef | undefined {
  return list && list.length === 1 ? list[0] : undefined;
}
