import { appConfig, taskNamed } from '../../src/engine/model-index.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import { isTestFile } from '../../src/model/module-names.js';
import type { CallSite, ProjectModel } from '../../src/model/types.js';
import { appOfTask } from '../producers/producers.js';
import { keywordEdit, pythonCalls, sourceCall } from './timeouts.js';

/** Seconds the fix waits: a chosen value. */
const FIX_TIMEOUT = 30;

export default createRule({
  meta: {
    code: 'CEL404',
    name: 'result-get-without-timeout',
    summary: 'AsyncResult.get() / join() / wait() without a timeout, outside a task.',
    why:
      'AsyncResult.get(timeout=None), GroupResult.join() and wait() wait until the task has stored its result, and ' +
      'Celery has no setting that gives them a default timeout (celery/app/defaults.py: result_chord_join_timeout ' +
      'bounds only the join of a chord unlock). When no worker runs the task (workers down or ' +
      'busy, the message lost or refused, the task name unregistered) or the task never stores a result ' +
      '(ignore_result=True, task_ignore_result), the caller blocks forever: a web request, a script or a management ' +
      'command hangs with no error. Calls inside task bodies are left to CEL504 (result-get-inside-task), which ' +
      'reports them for a worse reason; Node.js producers are CEL703. The fix passes timeout=30: a chosen value, so ' +
      'it is unsafe; get() then raises celery.exceptions.TimeoutError, which the caller should handle.',
    example: 'result = render_pdf.delay(report_id)\npdf = result.get()',
    useInstead: 'result = render_pdf.delay(report_id)\npdf = result.get(timeout=30)',
    fixSafety: 'unsafe',
    versions: { description: 'Every release: get(timeout=None) is the default from Celery 3.1 to 5.6.' },
    references: [
      'https://docs.celeryq.dev/en/stable/reference/celery.result.html#celery.result.AsyncResult.get',
      'https://github.com/celery/celery/blob/v5.5.0/celery/result.py',
      'https://docs.celeryq.dev/en/stable/userguide/tasks.html#avoid-launching-synchronous-subtasks',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    for (const site of pythonCalls(model, ['get', 'join', 'wait'])) {
      if (!ctx.wants(site.file)) continue;
      // tests usually run tasks eagerly (task_always_eager): get() returns at once there
      // after `if res.state != 'SUCCESS': return`, get() returns the cached result at once (celery/result.py)
      if (site.hasTimeout !== false || site.inTask || site.eagerOnly || site.afterStateCheck || isTestFile(site.file)) continue;
      const task = site.task ?? site.resultOf?.task;
      const ignored = target ? ignoresResult(model, site, task, target) : undefined;
      const what = task ? `${task}'s result` : 'the result';
      const consequence = ignored
        ? `${task} ${ignored}, so no result is ever stored and this call never returns.`
        : `if no worker runs the task (workers down, message lost, task not registered) or it never stores a result, this call blocks forever.`;
      ctx.report({
        message: `${site.receiver}.${site.kind}() waits for ${what} without a timeout (Celery has no default one): ${consequence}`,
        span: site.span,
        fix: fix(site),
        ...(ignored ? { severity: 'error' as const } : {}),
      });
    }
  },
});

function fix(site: CallSite): Fix | undefined {
  const edit = keywordEdit(site, 'timeout', String(FIX_TIMEOUT), false);
  return edit ? { applicability: 'unsafe', message: `Wait at most ${FIX_TIMEOUT} s (then celery.exceptions.TimeoutError is raised)`, edits: [edit] } : undefined;
}

/**
 * Why the task stores no result, when it is known not to: ignore_result=True on the send, on the task, or
 * task_ignore_result (CELERY_IGNORE_RESULT before 4.0) on its app. An explicit option on a closer level wins.
 */
function ignoresResult(model: ProjectModel, site: CallSite, task: string | undefined, target: string): string | undefined {
  const send = sourceCall(model, site)?.options.ignore_result?.value;
  if (send?.kind === 'bool') return send.value ? 'is sent with ignore_result=True' : undefined;
  const def = taskNamed(model, task);
  if (!def) return undefined;
  const own = def.options.ignore_result?.value;
  if (own) return own.kind === 'bool' && own.value ? 'has ignore_result=True' : undefined;
  const app = appOfTask(model, def.name);
  if (!app) return undefined;
  const config = appConfig(model, app, target, knowledge());
  const setting = config.get(config.is4() ? 'task_ignore_result' : 'CELERY_IGNORE_RESULT');
  const v = setting?.fact.value;
  return v?.kind === 'bool' && v.value ? `runs with ${setting!.fact.name} = True` : undefined;
}
