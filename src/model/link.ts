import type { CallKind, CallSite, TaskDef } from './types.js';

// Calls on arbitrary objects that are only Celery's when the receiver is a known task (`x.s()`, `obj.retry()`).
const NEEDS_TASK = new Set<CallKind>(['s', 'si', 'signature', 'retry']);

/**
 * Resolves each call site's target (an import target like `proj.tasks.add`, or a literal task name) to a
 * task's registered name: exact name, then `module.function`, then a unique function name. Sites that are
 * only Celery's when they name a task, and don't, are dropped.
 */
export function linkCallSites(tasks: readonly TaskDef[], callSites: readonly CallSite[]): CallSite[] {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const byQualified = new Map(tasks.map((t) => [`${t.module}.${t.function}`, t]));
  const byFunction = new Map<string, TaskDef[]>();
  for (const t of tasks) byFunction.set(t.function, [...(byFunction.get(t.function) ?? []), t]);
  const find = (ref: string) => byName.get(ref) ?? byQualified.get(ref) ?? unique(byFunction.get(ref.split('.').pop() ?? ''));
  const out: CallSite[] = [];
  for (const c of callSites) {
    // send_task("name") and signature("name") carry their literal name already: it may be another service's task
    const found = c.task ? byName.get(c.task) : c.target ? find(c.target) : undefined;
    if (!c.task && !found && NEEDS_TASK.has(c.kind)) continue;
    const linked: CallSite = { ...c };
    if (found) linked.task = found.name;
    if (c.resultOf) {
      const ref = c.resultOf.task;
      const of = ref ? find(ref)?.name ?? (c.resultOf.kind === 'send_task' ? ref : undefined) : undefined;
      linked.resultOf = { kind: c.resultOf.kind, span: c.resultOf.span, ...(of ? { task: of } : {}) };
      if (of) linked.task = of;
    }
    out.push(linked);
  }
  return out;
}

function unique(list: TaskDef[] | undefined): TaskDef | undefined {
  return list && list.length === 1 ? list[0] : undefined;
}
