import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledge } from '../../src/engine/knowledge.js';
import { celeryAvailable, lastJson, python, SKIP_REASON } from './python.js';
import { redisAvailable, startRedis } from './redis-server.js';

// What CEL401/CEL402 say about Kombu's redis transport, shown with Debian's Kombu 5.2.x and redis-py:
// broker_transport_options reach the redis-py client, the defaults are no socket timeout and a 25 s health
// check, and the broker URL cannot carry socket options.
const PROBE = `
import json, sys
from kombu import Connection
url = 'redis://127.0.0.1:%s/0' % sys.argv[1]
keys = ('socket_timeout', 'socket_connect_timeout', 'health_check_interval')
def seen(conn):
    kw = conn.channel().client.connection_pool.connection_kwargs
    return {k: kw.get(k) for k in keys}
out = {'options': seen(Connection(url, transport_options={'socket_timeout': 5, 'socket_connect_timeout': 3, 'health_check_interval': 7})),
       'defaults': seen(Connection(url))}
try:
    Connection(url + '?socket_timeout=5')
    out['url_param'] = 'accepted'
except Exception as e:
    out['url_param'] = type(e).__name__
import kombu
out['kombu'] = kombu.__version__
print(json.dumps(out))
`;

const ready = celeryAvailable && redisAvailable;
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;

beforeAll(async () => {
  if (ready) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(!ready)('oracle: Kombu redis transport options', () => {
  it('transport options reach redis-py; defaults match the knowledge base; URL parameters are rejected', () => {
    const r = python(PROBE, [String(redis!.port)]);
    const out = lastJson(r.stdout);
    expect(out.options).toEqual({ socket_timeout: 5, socket_connect_timeout: 3, health_check_interval: 7 });
    const k = knowledge();
    const health = k.healthCheckAt('redis', String(out.kombu));
    expect(out.defaults).toEqual({ socket_timeout: k.transport('redis')?.timeouts?.read.default, socket_connect_timeout: null, health_check_interval: health?.interval });
    expect(out.url_param).toBe('TypeError');
  }, 30_000);
});

describe.skipIf(ready)('oracle: Kombu redis transport options', () => {
  it.skip(`${SKIP_REASON}; and redis-server (apt-get install redis-server)`, () => {});
});
