import { appConfig, taskNamed } from '../../src/engine/model-index.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import type { CallSite, ProjectModel } from '../../src/model/types.js';
import { appOfTask, clientOf, libraryFacts, producerGets } from './producers.js';

/** The timeout the fix writes, in milliseconds (both libraries take ms). */
const FIX_TIMEOUT_MS = 30_000;

export default createRule({
  meta: {
    code: 'CEL703',
    name: 'producer-result-without-timeout',
    summary: 'A Node.js producer waits for a result without a timeout, or for a result that is never stored.',
    why:
      "celery-node's AsyncResult.get(timeout?) polls the result backend every 500 ms and, without a timeout, never " +
      "stops; celery-ts's Result.get(timeout?) subscribes to the result (Redis pub/sub or the rpc reply queue) and, " +
      'without a timeout, waits forever. A task that is never run (worker down, unregistered name, message refused) ' +
      'or never stores a result therefore hangs the Node request that waits on it. A task with ignore_result=True (or ' +
      'task_ignore_result = True) stores no result: get() on it never succeeds. celery-ts with ' +
      'applyAsync({ignoreResult: true}) or a client created without resultBackend rejects get() at once ("cannot get ' +
      'results from a null backend"). The fix passes a 30 s timeout (milliseconds): a chosen value, so unsafe.',
    example: 'const sum = await client.createTask("proj.tasks.add").applyAsync([1, 2]).get();',
    useInstead: 'const sum = await client.createTask("proj.tasks.add").applyAsync([1, 2]).get(30000);',
    fixSafety: 'unsafe',
    versions: { description: 'Every release (a behaviour of the Node libraries and of ignore_result).' },
    references: [
      'https://github.com/actumn/celery.node/blob/master/src/app/result.ts',
      'https://github.com/node-celery-ts/node-celery-ts/blob/master/src/result.ts',
      'https://docs.celeryq.dev/en/stable/userguide/tasks.html#ignore-results-you-don-t-want',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    const k = knowledge();
    for (const get of producerGets(model)) {
      const lib = libraryFacts(k, get.producer!.library);
      const send = get.resultOf ? model.callSites.find((c) => c.language === 'typescript' && c.span.start.offset === get.resultOf!.span.start.offset && c.span.file === get.resultOf!.span.file) : undefined;
      const client = clientOf(model, get);
      if (lib.name === 'celery-ts' && (send?.producer?.ignoreResult || (client && !client.backend))) {
        const why = send?.producer?.ignoreResult ? 'applyAsync({ignoreResult: true}) sends it without a result backend' : 'the client was created without resultBackend';
        ctx.report({ message: `celery-ts: ${why}, so this get() rejects at once ("cannot get results from a null backend").`, span: get.span, severity: 'error' });
        continue;
      }
      const ignored = target ? ignoresResult(model, get, target) : undefined;
      if (ignored) {
        ctx.report({
          message:
            `${get.task} ${ignored}: the worker stores no result, so this get() never succeeds` +
            (get.hasTimeout ? ' and fails when its timeout runs out.' : ` and, without a timeout, waits forever (${lib.name}).`),
          span: get.span,
          severity: 'error',
        });
        continue;
      }
      if (get.hasTimeout) continue;
      ctx.report({
        message:
          `${lib.name}: get() has no timeout: it ${lib.resultWait} and never gives up if ` +
          `${get.task ?? 'the task'} never stores a result (worker down, message refused, task lost). Pass a timeout in milliseconds.`,
        span: get.span,
        fix: timeoutFix(get),
      });
    }
  },
});

/** Why the task stores no result (its ignore_result option or the app's task_ignore_result), if it does not. */
function ignoresResult(model: ProjectModel, get: CallSite, target: string): string | undefined {
  const task = taskNamed(model, get.task);
  if (!task) return undefined;
  const opt = task.options.ignore_result?.value;
  if (opt?.kind === 'bool') return opt.value ? 'has ignore_result=True' : undefined;
  const app = appOfTask(model, task.name);
  if (!app) return undefined;
  const config = appConfig(model, app, target, knowledge());
  const name = config.is4() ? 'task_ignore_result' : 'CELERY_IGNORE_RESULT';
  const setting = config.get(name);
  const v = setting?.fact.value;
  return v?.kind === 'bool' && v.value ? `runs with ${setting!.fact.name} = True` : undefined;
}

/** `x.get()` → `x.get(30000)`: inserted before the closing parenthesis of an argument-less call. */
function timeoutFix(get: CallSite): Fix | undefined {
  if (get.argsSpan) return undefined;
  const at = get.span.end.offset - 1;
  return { applicability: 'unsafe', message: `Wait at most ${FIX_TIMEOUT_MS / 1000} s`, edits: [{ file: get.file, start: at, end: at, content: String(FIX_TIMEOUT_MS) }] };
}
