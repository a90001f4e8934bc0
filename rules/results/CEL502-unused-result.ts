import { createRule, type Fix } from '../../src/engine/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { atLeast, configOfTask, ignoreResultEdit, redisBackend, settingBool, taskIgnores, unusedResult } from './results.js';

export default createRule({
  meta: {
    code: 'CEL502',
    name: 'unused-result',
    summary: 'A task whose results are stored in the result backend but never read anywhere in the project.',
    why:
      'Unless a task sets ignore_result=True (or the app sets task_ignore_result), every run stores its return value ' +
      'in the result backend, where it stays until result_expires. When every send of the task throws the AsyncResult ' +
      'away, the task id never leaves the sender and nothing can read that result: each run is a wasted backend write. ' +
      'With the Redis backend (Celery 4.0+) each send also makes the sending process SUBSCRIBE to the result channel ' +
      '(celery/backends/redis.py on_task_call), which is what breaks under gevent/eventlet (CEL501); ignore_result=True ' +
      'stops that from Celery 4.2. The rule stays silent when a send keeps its result, passes task_id=, or the task is in ' +
      'a canvas; when some AsyncResult(id) could be about it (bind=True tasks, signal handlers that see task ids); when ' +
      'a send of an unknown task keeps its result; for tasks with no send in the project (beat or other services call ' +
      'them), with the django-db backend (the admin lists stored results) or when the decorator passes options it ' +
      'cannot see. The fix adds ignore_result=True to the decorator: safe when every send is visible, unsafe when the ' +
      'task has an explicit name= or the project sends tasks by names it cannot read (another caller may read the result).',
    example: '@app.task\ndef send_receipt(order_id):\n    ...\n\n# views.py\nsend_receipt.delay(order_id)',
    useInstead: '@app.task(ignore_result=True)\ndef send_receipt(order_id):\n    ...',
    fixSafety: 'sometimes',
    versions: { description: 'Every release: results are stored unless ignored (3.1: CELERY_IGNORE_RESULT; 4.0+: task_ignore_result).' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/tasks.html#ignore-results-you-don-t-want',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-ignore-result',
      'https://github.com/celery/celery/blob/v4.2.0/celery/app/base.py',
    ],
    defaultSeverity: 'info',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    for (const def of model.tasks) {
      if (!ctx.wants(def.file)) continue;
      const config = configOfTask(model, def.name, target);
      if (!config || config.incomplete()) continue;
      const { url } = config.resultBackendUrl();
      if (!url || url === 'disabled' || url.startsWith('django-db')) continue;
      // eager calls run in the caller and store nothing
      const eager = settingBool(config, 'task_always_eager', 'CELERY_ALWAYS_EAGER');
      if (eager && eager.value !== false) continue;
      if (taskIgnores(def, config).ignores !== false) continue;
      const unused = unusedResult(model, def);
      if (!unused) continue;
      const first = unused.sends[0]!;
      const where = `${first.file}:${first.span.start.line}`;
      const count = unused.sends.length === 1 ? `its only send (${where}) discards` : `all ${unused.sends.length} of its sends (first: ${where}) discard`;
      const subscribe = knowledge().transports.resultBackend.redis.subscribe;
      const redis = redisBackend(config);
      const extra =
        redis && subscribe && atLeast(target, subscribe.since)
          ? ` With the Redis backend each send also subscribes the sender to the result's channel${atLeast(target, subscribe.ignoreResultSkipsSince) ? '; ignore_result=True stops that too' : ''}.`
          : '';
      const edit = ignoreResultEdit(def);
      const fix: Fix | undefined = edit
        ? { applicability: unused.allSendsVisible ? 'safe' : 'unsafe', message: `Add ignore_result=True to ${def.name}`, edits: [edit] }
        : { applicability: 'display-only', message: `Set ignore_result = True on ${def.name}`, edits: [] };
      ctx.report({
        message:
          `${def.name} stores every result in the result backend (${maskSecrets(url)}), but nothing in the project reads it: ` +
          `${count} the AsyncResult. Set ignore_result=True on the task.${extra}`,
        span: def.decoratorSpan,
        fix,
      });
    }
  },
});
