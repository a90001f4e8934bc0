import { knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { CallSite, ProjectModel } from '../../src/model/types.js';
import { sourceCall } from '../timeouts/timeouts.js';
import { atLeast, boolOf, configOfTask, pythonSites, readTask, settingBool, taskDef, taskIgnores } from './results.js';
import type { AppConfig } from '../../src/engine/app-config.js';

export default createRule({
  meta: {
    code: 'CEL503',
    name: 'ignored-result-read',
    summary: 'The result of a task that ignores its result (ignore_result=True, task_ignore_result) is read.',
    why:
      'A task with ignore_result=True (or under task_ignore_result = True, or sent with ignore_result=True) never ' +
      'stores its return value or state, so reading its result cannot work. From Celery 4.2 the AsyncResult returned ' +
      'by delay()/apply_async() of such a task is marked ignored and get() returns None at once, never the return ' +
      'value; an AsyncResult rebuilt from the id (AsyncResult(id), send_task) and every result before 4.2 wait in get() ' +
      'until the timeout (celery.exceptions.TimeoutError; forever without one). ready() stays False, state stays ' +
      'PENDING and .result None in every case (checked on Celery 5.2.6 with a worker that ran the task).',
    example: '@app.task(ignore_result=True)\ndef render(x):\n    return x\n\nrender.delay(1).get(timeout=10)',
    useInstead: '@app.task\ndef render(x):\n    return x\n\nrender.delay(1).get(timeout=10)',
    fixSafety: 'none',
    versions: { description: 'Every release; get() returns None at once on the AsyncResult of an ignore_result send from 4.2.0.' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/tasks.html#Task.ignore_result',
      'https://github.com/celery/celery/blob/v4.2.0/celery/result.py',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    const facts = knowledge().transports.resultBackend.waiting?.ignoredGet;
    for (const site of pythonSites(model, ['get', 'join', 'wait', 'ready', 'result_attr'])) {
      // Under task_always_eager the send returns an EagerResult holding the value, ignore_result or not.
      if (!ctx.wants(site.file) || site.eagerOnly) continue;
      const task = readTask(site);
      const config = configOfTask(model, task, target);
      if (!task || !config || !target) continue;
      const eager = settingBool(config, 'task_always_eager', 'CELERY_ALWAYS_EAGER');
      if (eager && eager.value !== false) continue;
      const source = sourceCall(model, site);
      const ignored = whyIgnored(model, source, task, config);
      if (!ignored) continue;
      // apply_async passes the task's ignore_result to send_task, which marks the AsyncResult it returns
      const marked =
        facts !== undefined &&
        atLeast(target, facts.returnsNoneSince) &&
        (ignored.bySend || source?.kind === 'delay' || source?.kind === 'apply_async');
      ctx.report({
        message: `${task} ${ignored.why}, so its result is never stored: ${effect(site, marked, target)}`,
        span: site.span,
        fix: { applicability: 'display-only', message: `Drop ignore_result from ${task}, or stop reading its result`, edits: [] },
      });
    }
  },
});

function whyIgnored(model: ProjectModel, source: CallSite | undefined, task: string, config: AppConfig): { why: string; bySend: boolean } | undefined {
  const send = boolOf(source?.options.ignore_result?.value);
  if (send === true && source && source.kind !== 'AsyncResult') return { why: `is sent with ignore_result=True (${source.file}:${source.span.start.line})`, bySend: true };
  if (send !== undefined) return undefined;
  const def = taskDef(model, task);
  const own = def ? taskIgnores(def, config) : undefined;
  return own?.ignores === true ? { why: own.why, bySend: false } : undefined;
}

function effect(site: CallSite, marked: boolean, target: string): string {
  const call = `${site.receiver}.${site.kind}()`;
  if (site.kind === 'ready') return `${call} stays False (the state stays PENDING) forever.`;
  if (site.kind === 'result_attr') return `the result's state stays PENDING and its value None forever.`;
  if (marked) return `on Celery ${target} ${call} returns None at once (the AsyncResult of an ignore_result send is marked ignored), never the task's return value.`;
  return `${call} waits until its timeout (celery.exceptions.TimeoutError; forever without one) while the state stays PENDING.`;
}
