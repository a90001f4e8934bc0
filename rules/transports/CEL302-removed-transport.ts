import { appConfig } from '../../src/engine/model-index.js';
import { compareVersions, knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { kombuVersions } from './kombu.js';
import { urlSpanFor } from './urls.js';

export default createRule({
  meta: {
    code: 'CEL302',
    name: 'removed-transport',
    summary: 'The broker URL uses a transport the Kombu of the target release no longer ships.',
    why:
      'Kombu 4.0 (Celery 4.0) removed the django, beanstalk, couchdb, zmq/zeromq, amqplib and ghettoq ' +
      'transports (sqlalchemy was removed in 4.0.0 and came back in 4.1.0). With such a broker URL, kombu cannot ' +
      'resolve the transport (KeyError: No such transport) and the worker fails at startup; sending tasks fails too.',
    example: "BROKER_URL = 'django://'",
    useInstead: "broker_url = 'redis://localhost:6379/0'",
    fixSafety: 'none',
    versions: { description: 'Upgrades to Celery 4.0 / Kombu 4.0 and later (removed.yaml).' },
    references: [
      'https://docs.celeryq.dev/en/stable/history/whatsnew-4.0.html#removed-features',
      'https://github.com/celery/kombu/blob/v4.0.0/kombu/transport/__init__.py',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const kombu = kombuVersions(model, ctx.versions, k);
    if (!kombu) return;
    for (const app of model.apps) {
      const broker = appConfig(model, app, target, k).brokerUrl();
      if (!broker.parsed || !broker.url) continue;
      const scheme = broker.parsed.transport;
      const gone = k.removed.brokerTransports.find((r) => r.scheme === scheme);
      if (!gone) continue;
      const missing = (v: string) => compareVersions(v, gone.kombu) >= 0 && !(gone.restored && compareVersions(v, gone.restored.kombu) >= 0);
      const at = kombu.versions.filter(missing);
      if (!at.length) continue;
      const span = urlSpanFor(model, broker.fact, broker.url);
      if (!span) continue;
      const some = at.length < kombu.versions.length;
      ctx.report({
        message:
          `The broker URL ${maskSecrets(broker.url)} uses the ${scheme} transport, removed in Kombu ${gone.kombu.replace(/\.0$/, '')} ` +
          `(Celery ${gone.celery.replace(/\.0$/, '')})${gone.restored ? ` and back from Kombu ${gone.restored.kombu.replace(/\.0$/, '')}` : ''}: ` +
          `${some ? `if Kombu ${at.join(' or ')} is installed, which ${kombu.label} allows, ` : `with ${kombu.label}, `}` +
          `the worker fails at startup with KeyError: No such transport: ${scheme}.` +
          (gone.replacement ? ` Use ${gone.replacement}.` : ''),
        span,
        since: ctx.versions.mode === 'migrate' ? gone.celery : undefined,
      });
    }
  },
});
