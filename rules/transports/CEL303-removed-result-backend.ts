import { appConfigs } from '../../src/engine/model-index.js';
import { type AppConfig } from '../../src/engine/app-config.js';
import { inRange, knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix } from '../../src/engine/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { backendName, literalOffset, urlSpanFor } from './urls.js';

export default createRule({
  meta: {
    code: 'CEL303',
    name: 'removed-result-backend',
    summary: 'result_backend names a backend the target Celery release no longer ships.',
    why:
      'Celery 5.0 removed the amqp result backend (deprecated since 4.0) and the riak backend. Their aliases stayed: ' +
      "from 5.0 to 5.2 'amqp://' makes Celery import the missing celery.backends.amqp (ModuleNotFoundError), and from " +
      "5.3 the alias is gone and Celery raises ImproperlyConfigured (Unknown result backend: 'amqp'). Either way the " +
      'worker fails at startup and sending a task fails. The fix for amqp switches to rpc://, the documented ' +
      'replacement: rpc keeps RPC-style results but only the client that sent a task can read its result, and results ' +
      'do not survive a broker restart, so it is unsafe.',
    example: "result_backend = 'amqp://guest@localhost//'",
    useInstead: "result_backend = 'rpc://'",
    fixSafety: 'sometimes',
    versions: { description: 'Upgrades to Celery 5.0 and later (removed.yaml).' },
    references: [
      'https://docs.celeryq.dev/en/stable/history/whatsnew-5.0.html',
      'https://github.com/celery/celery/blob/v5.3.0/celery/app/backends.py',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    for (const { app, config } of appConfigs(model, target, k)) {
      const { url, fact } = config.resultBackendUrl();
      if (!url) continue;
      const name = backendName(url);
      const gone = k.removed.resultBackends.find((r) => r.name === name);
      if (!gone || !inRange(target, gone.removed)) continue;
      const failure = gone.failure?.find((f) => inRange(target, f.since, f.until));
      const span = urlSpanFor(model, fact, url);
      if (!span) continue;
      const v = (s: string) => s.replace(/\.0$/, '');
      ctx.report({
        message:
          `result_backend ${maskSecrets(url)} names the ${name} result backend, removed in Celery ${v(gone.removed)}` +
          (gone.aliasRemoved ? ` (its alias until ${v(gone.aliasRemoved)})` : '') +
          `: Celery ${v(target)} fails to load it${failure ? ` (${failure.error})` : ''}, so the worker fails at startup and sending tasks fails.` +
          (gone.replacement ? ` Use ${gone.replacement}.` : ''),
        span,
        since: ctx.versions.mode === 'migrate' ? gone.removed : undefined,
        fix: name === 'amqp' ? rpcFix(fact, url) : undefined,
      });
    }
  },
});

/** Replaces a literal amqp:// result backend URL with rpc://, keeping the quotes. */
function rpcFix(fact: ReturnType<AppConfig['resultBackendUrl']>['fact'], url: string): Fix | undefined {
  if (!fact || fact.value.kind !== 'str' || fact.value.value !== url || !fact.value.span) return undefined;
  const end = literalOffset(fact.value, url.length);
  if (end === undefined) return undefined;
  return {
    applicability: 'unsafe',
    message: 'Use the rpc:// result backend',
    edits: [{ file: fact.value.span.file, start: end - url.length, end, content: 'rpc://' }],
  };
}
