import { appConfigs } from '../../src/engine/model-index.js';
import { knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import { acceptOf, appAnchor, contentType, settingState, short, written, type SettingState } from './content.js';

export default createRule({
  meta: {
    code: 'CEL203',
    name: 'pickle-accepted',
    summary: 'pickle is in the content types the worker (or the result reader) accepts.',
    why:
      'Unpickling runs code chosen by whoever wrote the message. With pickle in accept_content, anyone who can ' +
      'publish to the broker can run arbitrary code in every worker; with pickle in result_accept_content (or ' +
      'accept_content, which results follow), anyone who can write to the result backend can run code in every ' +
      'process that reads results. Celery 3.1 accepts pickle by default (json, pickle, msgpack, yaml), and so does ' +
      '4.0.0; from 4.0.1 the default is json only, so only an explicit setting brings it back.',
    example: "task_serializer = 'pickle'\naccept_content = ['pickle', 'json']",
    useInstead: "task_serializer = 'json'\naccept_content = ['json']",
    fixSafety: 'none',
    versions: { description: 'Every release; the default accepts pickle in 3.1 and 4.0.0 (serializers.yaml).' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/security.html#serializers',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#accept-content',
      'https://github.com/celery/celery/blob/v4.0.1/celery/app/defaults.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const t = short(target);
    for (const { app, config } of appConfigs(model, target, k)) {
      const accept = settingState(config, k, 'accept_content');
      if (accept) report(accept, 'worker');
      const results = settingState(config, k, 'result_accept_content');
      if (results && results.value?.kind !== 'none') report(results, 'results');

      function report(state: SettingState, side: 'worker' | 'results'): void {
        const list = acceptOf(k, state.value);
        if (list.kind !== 'list') return;
        const pickle = list.entries.find((e) => e.type === contentType(k, 'pickle'));
        if (!pickle) return;
        const who =
          side === 'worker'
            ? 'anyone who can publish to the broker can run arbitrary code in the worker (unpickling executes code)'
            : 'anyone who can write to the result backend can run arbitrary code in every process that reads results';
        if (state.fromDefault) {
          ctx.report({
            message:
              `${state.name} is not set, and Celery ${t}'s default accepts pickle (${list.entries.map((e) => e.text).join(', ')}): ${who}. ` +
              `Set ${state.name} to the serializers you use, without pickle.`,
            span: appAnchor(app),
          });
          return;
        }
        ctx.report({
          message: `${written(state)} accepts pickle ('${pickle.text}'): ${who}. Use json (or msgpack) and drop pickle from ${written(state)}.`,
          span: pickle.span ?? state.fact!.fact.valueSpan,
        });
      }
    }
  },
});
