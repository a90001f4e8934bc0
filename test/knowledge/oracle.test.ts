import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareVersions, knowledge, type JsonValue } from '../../src/engine/knowledge.js';

/*
 * Oracle: compare the knowledge base with a real Celery/Kombu install (Debian's python3-celery, 5.2.x in CI).
 * The Python side only reads module attributes and builds throwaway Celery apps; nothing connects to a broker.
 */
const PY = '/usr/bin/python3';

const DUMP = String.raw`
import json, datetime, math, warnings
warnings.simplefilter('ignore')
import celery, kombu
from celery import Celery
from celery.app import defaults as d
def enc(v):
    if isinstance(v, datetime.timedelta): return {'timedelta_seconds': v.total_seconds()}
    if isinstance(v, float) and math.isinf(v): return {'float': 'inf' if v > 0 else '-inf'}
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    if isinstance(v, dict): return {str(k): enc(x) for k, x in v.items()}
    return v
old = {}
for o, n in d._TO_NEW_KEY.items(): old.setdefault(n, []).append(o)
settings = {k: {'default': enc(v), 'old': sorted(old.get(k, []))} for k, v in d.DEFAULTS.items()}
def lookup(ns, key, value, setting):
    class O: pass
    o = O(); setattr(o, key, value)
    app = Celery('oracle', set_as_current=False)
    app.config_from_object(o, namespace=ns)
    return app.conf.get(setting) == value
ns = {}
for key, setting in json.loads(input()):
    ns[key] = lookup('CELERY', key, 'sentinel-value', setting)
def mixing(keys):
    class O: pass
    o = O()
    for k in keys: setattr(o, k, 'redis://' if 'url' in k.lower() or 'backend' in k.lower() else 1)
    app = Celery('oracle', set_as_current=False)
    app.config_from_object(o)
    try:
        app.conf.finalize(); app.conf.get('broker_url'); return False
    except celery.exceptions.ImproperlyConfigured:
        return True
mix = {'|'.join(ks): mixing(ks) for ks in json.loads(input())}
from kombu.transport import redis as r
redis_opts = {k: enc(getattr(r.Channel, k, None)) for k in r.Channel.from_transport_options}
print(json.dumps({'celery': celery.__version__, 'kombu': kombu.__version__, 'settings': settings,
                  'namespace': ns, 'mixing': mix, 'redis': redis_opts}))
`;

interface Oracle {
  celery: string;
  kombu: string;
  settings: Record<string, { default: JsonValue; old: string[] }>;
  namespace: Record<string, boolean>;
  mixing: Record<string, boolean>;
  redis: Record<string, JsonValue>;
}

const k = knowledge();
const probe = spawnSync(PY, ['-c', 'import celery, kombu'], { encoding: 'utf8' });
const available = !probe.error && probe.status === 0;

function runOracle(): Oracle {
  const nsInput = JSON.stringify(k.configLoading.namespace.examples.map((e) => [e.key, e.setting]));
  const mixInput = JSON.stringify(k.configLoading.mixing.examples.map((e) => e.keys));
  const r = spawnSync(PY, ['-c', DUMP], { input: `${nsInput}\n${mixInput}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Oracle;
}

describe.skipIf(!available)('oracle: knowledge base vs installed Celery', () => {
  const o = available ? runOracle() : undefined;
  const celery = o?.celery ?? '';

  it('knows exactly the settings of the installed celery.app.defaults', () => {
    const claimed = k
      .settingsKnownAt(celery)
      .filter((s) => 'definedIn' in s && s.definedIn === 'defaults')
      .map((s) => s.name)
      .sort();
    expect(claimed).toEqual(Object.keys(o!.settings).sort());
  });

  it('has the installed defaults and old names for every setting', () => {
    for (const [name, real] of Object.entries(o!.settings)) {
      expect({ name, value: k.defaultAt(name, celery)?.value }).toEqual({ name, value: real.default });
      const oldAt = k
        .settingByName(name)
        .filter((m) => m.kind === 'new')
        .flatMap((m) => (m.kind === 'new' ? m.setting.old : []))
        .filter((x) => typeof x === 'string' || k.newNameAt(x.name, celery) === name)
        .map((x) => (typeof x === 'string' ? x : x.name))
        .sort();
      expect({ name, old: oldAt }).toEqual({ name, old: real.old });
    }
  });

  it('describes namespace lookups as the installed Celery does them', () => {
    for (const e of k.configLoading.namespace.examples) {
      expect({ key: e.key, recognised: o!.namespace[e.key] }).toEqual({ key: e.key, recognised: e.recognised });
    }
  });

  it('describes the old/new mixing error as the installed Celery raises it', () => {
    for (const e of k.configLoading.mixing.examples) {
      const keys = e.keys as string[];
      expect({ keys, raises: o!.mixing[keys.join('|')] }).toEqual({ keys, raises: e.raises });
    }
  });

  it('lists the installed Kombu redis transport options with their defaults', () => {
    const claimed = new Map(
      k.transportOptions('redis', o!.kombu)!.filter((x) => x.origin !== 'connection').map((x) => [x.key, x.default]),
    );
    for (const [key, value] of Object.entries(o!.redis)) {
      expect({ key, known: claimed.has(key) }).toEqual({ key, known: true });
      if (claimed.get(key) !== undefined) expect({ key, value: claimed.get(key) }).toEqual({ key, value });
    }
  });

  it('has the removed modules gone from the installed Celery, and the import/attribute errors of their old names', () => {
    const gone = k.removed.modules.filter((m) => compareVersions(celery, m.removed) >= 0).map((m) => m.module);
    const attrs = k.removed.modules.flatMap((m) => m.attributes ?? []).map((a) => a.name);
    const script = String.raw`
import json, importlib, sys
import celery
mods, attrs = json.loads(input())
def err(f):
    try:
        f(); return None
    except Exception as e:
        return '%s: %s' % (type(e).__name__, str(e).split(' (')[0])
out = {'modules': {m: err(lambda: importlib.import_module(m)) for m in mods}, 'attributes': {}}
for a in attrs:
    parent, _, name = a.rpartition('.')
    out['attributes'][a] = {'import': err(lambda: exec('from %s import %s' % (parent, name), {})),
                            'attribute': err(lambda: getattr(importlib.import_module(parent), name))}
print(json.dumps(out))
`;
    const r = spawnSync(PY, ['-c', script], { input: `${JSON.stringify([gone, attrs])}\n`, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const real = JSON.parse(r.stdout) as { modules: Record<string, string | null>; attributes: Record<string, { import: string | null; attribute: string | null }> };
    for (const m of gone) expect({ m, fails: real.modules[m] !== null }).toEqual({ m, fails: true });
    for (const a of attrs) {
      const f = k.removedAttribute(a)!.attribute.failure.find((x) => compareVersions(celery, x.since) >= 0 && (!x.until || compareVersions(celery, x.until) < 0));
      expect({ a, ...real.attributes[a] }).toEqual({ a, import: f?.import ?? null, attribute: f?.attribute ?? null });
    }
  });
});

if (!available) {
  describe('oracle unavailable', () => {
    it.skip(`needs ${PY} with celery and kombu importable (apt-get install python3-celery python3-kombu)`, () => {});
  });
}
