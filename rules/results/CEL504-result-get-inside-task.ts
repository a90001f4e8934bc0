import { knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { CallSite } from '../../src/model/types.js';
import { atLeast, boolOf, configOfTask, poolsOf, pythonSites } from './results.js';

const ADVICE = 'Chain the work instead of waiting: (first.s(x) | second.s()).delay(), a link= callback, or self.replace()';

export default createRule({
  meta: {
    code: 'CEL504',
    name: 'result-get-inside-task',
    summary: 'A task body waits for another task\'s result (get/join/wait, or allow_join_result).',
    why:
      'A task that waits for another task holds its pool slot until the other task has run; when every slot holds such a ' +
      'waiting task, the tasks they wait for can never start (a deadlock). Celery guards against it only in pools whose ' +
      'task_join_will_block is True (prefork, solo, threads): there get()/join()/wait() in a task body raise ' +
      'RuntimeError("Never call result.get() within a task!") from Celery 4.0 (3.1 only warns, then waits). gevent and ' +
      'eventlet pools do not check, so the call waits and ties up a greenlet. get(disable_sync_subtasks=False) (4.1+) and ' +
      'allow_join_result() switch the check off and bring the deadlock back. Verified on Celery 5.2.6: RuntimeError under ' +
      '-P solo, prefork and threads; the value under -P gevent, and a timeout with -P gevent -c 1.',
    example: '@app.task\ndef total(ids):\n    return sum(price.delay(i).get() for i in ids)',
    useInstead: '@app.task\ndef total(ids):\n    return chord(price.s(i) for i in ids)(add_up.s())',
    fixSafety: 'none',
    versions: { description: 'Every release: a RuntimeWarning in 3.1, RuntimeError from 4.0 in prefork/solo/threads pools.' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/tasks.html#avoid-launching-synchronous-subtasks',
      'https://github.com/celery/celery/blob/v4.0.0/celery/result.py',
      'https://github.com/celery/celery/blob/v5.2.6/celery/concurrency/gevent.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    const facts = knowledge().transports.resultBackend.waiting?.getInTask;
    if (!facts || !target) return;
    const allows = pythonSites(model, ['allow_join_result']).filter((s) => s.inTask);
    for (const site of pythonSites(model, ['get', 'join', 'wait', 'allow_join_result'])) {
      if (!ctx.wants(site.file)) continue;
      if (!site.inTask) continue;
      const config = configOfTask(model, site.inTask, target);
      const pools = poolsOf(model, config);
      const blocking = pools.filter((p) => (facts.blockingPools as readonly string[]).includes(p));
      const green = pools.filter((p) => (facts.greenPools as readonly string[]).includes(p));
      const call = site.kind === 'allow_join_result' ? 'allow_join_result()' : `${site.receiver}.${site.kind}()`;
      let message: string;
      if (site.kind === 'allow_join_result') {
        message = `${call} in ${site.inTask} switches off Celery's check against waiting for results inside a task: ${deadlock(pools)}`;
      } else {
        const disable = boolOf(site.options.disable_sync_subtasks?.value);
        if (disable === 'unknown') continue;
        // a get() in the same task as allow_join_result() is (almost always) inside its `with` block: reported there
        if (allows.some((a) => a.inTask === site.inTask && a.file === site.file && a.span.start.offset < site.span.start.offset)) continue;
        if (disable === false && atLeast(target, facts.disableSyncSubtasksSince)) {
          message = `${call} in ${site.inTask} waits for another task's result with disable_sync_subtasks=False, which switches off Celery's check: ${deadlock(pools)}`;
        } else {
          message = `${call} waits for another task's result inside ${site.inTask}: ${checked(site, target, blocking, green, facts)}`;
        }
      }
      ctx.report({ message, span: site.span, fix: { applicability: 'display-only', message: ADVICE, edits: [] } });
    }
  },
});

type Facts = NonNullable<ReturnType<typeof knowledge>['transports']['resultBackend']['waiting']>['getInTask'];

function effectAt(facts: Facts, target: string): 'warning' | 'error' | undefined {
  return facts.effects.find((e) => atLeast(target, e.since) && (e.until === undefined || !atLeast(target, e.until)))?.effect;
}

/** What the call does in each pool the project's workers run. */
function checked(site: CallSite, target: string, blocking: string[], green: string[], facts: Facts): string {
  const parts: string[] = [];
  if (blocking.length) {
    const effect = effectAt(facts, target);
    parts.push(
      effect === 'error'
        ? `in the ${list(blocking)} pool Celery ${target} raises RuntimeError("${facts.message}")`
        : `in the ${list(blocking)} pool Celery ${target} warns (RuntimeWarning "${facts.message}") and then waits, holding the pool process; when every process waits this way the workers deadlock`,
    );
  }
  if (green.length) parts.push(`in the ${list(green)} pool nothing stops it: it waits holding a pool slot, and when every slot waits for tasks queued behind them the worker deadlocks`);
  return `${parts.join('; ')}.`;
}

function deadlock(pools: string[]): string {
  return `the task waits holding its ${list(pools)} pool slot, and when every slot waits for tasks queued behind them the worker deadlocks.`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
