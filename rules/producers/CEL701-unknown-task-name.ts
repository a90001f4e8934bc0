import type { TaskDef } from '../../src/model/types.js';
import { createRule } from '../../src/engine/types.js';
import { didYouMean, producerSends } from './producers.js';

export default createRule({
  meta: {
    code: 'CEL701',
    name: 'unknown-task-name',
    summary: 'A Node.js producer (celery-node, celery-ts) sends a task name that no Python task in the project registers.',
    why:
      'celery-node and celery-ts send tasks by name only (`client.createTask("proj.tasks.add")`, `client.sendTask(...)`); ' +
      'nothing checks the name on the Node side. A worker that receives a name it has not registered logs "Received ' +
      'unregistered task of type ..." and discards the message (KeyError in the consumer), so the task never runs and ' +
      'a producer waiting on the result waits until its timeout, or forever without one (CEL703). Renaming a task or ' +
      'moving it to another module in the Python code breaks every Node producer silently. The rule runs only when ' +
      'the project defines Python tasks; the fix replaces the name with the registered name it most likely means ' +
      '(same function in another module, or a close spelling), which is a guess, so it is unsafe.',
    example: "client.createTask('proj.tasks.ad').applyAsync([1, 2]);",
    useInstead: "client.createTask('proj.tasks.add').applyAsync([1, 2]);",
    fixSafety: 'unsafe',
    versions: { description: 'Every release: workers discard messages for unregistered task names.' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/tasks.html#names',
      'https://github.com/actumn/celery.node',
      'https://github.com/node-celery-ts/node-celery-ts',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    if (model.tasks.length === 0) return;
    const known = [...new Set(model.tasks.map((t) => t.name))].sort();
    let registrable: Set<string> | undefined;
    const reported = new Set<string>();
    for (const call of producerSends(model)) {
      const nameSpan = call.producer?.nameSpan;
      if (call.task === undefined || !nameSpan) continue;
      // worked out only for a project that has Node producers (most have none, and have thousands of tasks)
      registrable ??= new Set(model.tasks.flatMap(possibleNames));
      if (registrable.has(call.task)) continue;
      // one handle (`createTask`) may be used by several sends: report its name once
      const key = `${nameSpan.file}:${nameSpan.start.offset}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const guess = didYouMean(call.task, known);
      ctx.report({
        message:
          `${call.producer!.library} sends task '${call.task}', but no task in this project registers that name: the worker ` +
          `discards the message as an unregistered task and it never runs.${guess ? ` Did you mean '${guess}'?` : ''}`,
        span: nameSpan,
        fix: guess
          ? { applicability: 'unsafe', message: `Send '${guess}'`, edits: [{ file: nameSpan.file, start: nameSpan.start.offset, end: nameSpan.end.offset, content: guess }] }
          : undefined,
      });
    }
  },
});

/**
 * The names a task may register under. A module in a folder without __init__.py (a namespace package, or a folder
 * put on sys.path) is named by how it is imported: `tasks/foo.py` is `foo` or `tasks.foo` (`imports = ["tasks.foo"]`),
 * so its tasks may be `foo.add` or `tasks.foo.add`.
 */
function possibleNames(t: TaskDef): string[] {
  if (t.explicitName || !t.name.startsWith(`${t.module}.`)) return [t.name];
  const rest = t.name.slice(t.module.length);
  const parts = t.file.replace(/(\/__init__)?\.py$/, '').split('/');
  const depth = t.module.split('.').length;
  const out = [t.name];
  for (let k = depth + 1; k <= parts.length; k++) out.push(`${parts.slice(parts.length - k).join('.')}${rest}`);
  return out;
}
