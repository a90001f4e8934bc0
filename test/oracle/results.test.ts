import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledge } from '../../src/engine/knowledge.js';
import { celeryAvailable, lastJson, PY, SKIP_REASON } from './python.js';
import { redisAvailable, startRedis } from './redis-server.js';

// What CEL501-CEL504 say about results, shown with Debian's Celery 5.2.x, a real worker and redis-server:
// the subscription every send makes, the backend per greenlet, get() inside a task per pool, ignored results.
const PROJ = `
import os
from celery import Celery
url = 'redis://127.0.0.1:%s/0' % os.environ['RPORT']
app = Celery('proj', broker=url, backend=url)

@app.task
def add(x, y):
    return x + y

@app.task(ignore_result=True)
def quiet(x):
    return x

@app.task
def outer(x, timeout):
    try:
        return 'ok:%r' % (add.delay(x, 1).get(timeout=timeout),)
    except Exception as e:
        return 'err:%s:%s' % (type(e).__name__, str(e).splitlines()[0] if str(e) else '')

@app.task
def holds_send(x):
    kept = add.delay(x, 1)
    return len(app.backend.result_consumer.subscribed_to)
`;

const MONITOR = `
import json, os, threading, time, redis
from proj import add, quiet
port = int(os.environ['RPORT'])
seen = []
def monitor():
    with redis.Redis(port=port).monitor() as m:
        for c in m.listen():
            seen.append(c['command'])
            if 'STOP' in c['command']:
                return
t = threading.Thread(target=monitor, daemon=True); t.start(); time.sleep(0.3)
add.delay(1, 2)
quiet.delay(3)
redis.Redis(port=port).echo('STOP')
t.join(5)
print(json.dumps([c.split(' ')[0] for c in seen if c.split(' ')[0] in ('SUBSCRIBE', 'UNSUBSCRIBE', 'LPUSH')]))
`;

const GREENLETS = `
from gevent import monkey; monkey.patch_all()
import gevent, json, os, sys, redis
from proj import app, add, quiet
port = int(os.environ['RPORT'])
task = quiet if sys.argv[1] == 'quiet' else add
backends, held = set(), []
def send(i):
    held.append(task.delay(i) if task is quiet else task.delay(i, 1))
    backends.add(id(app.backend))
    gevent.sleep(0.2)
gevent.joinall([gevent.spawn(send, i) for i in range(20)])
subs = sum(1 for c in redis.Redis(port=port).client_list() if c['sub'] != '0')
print(json.dumps({'backends': len(backends), 'pubsub': subs}))
`;

const WORKER = `
import json, subprocess, sys, time
from celery.result import AsyncResult
from proj import app, outer, quiet, holds_send
pool, conc = sys.argv[1], sys.argv[2]
w = subprocess.Popen([sys.executable, '-m', 'celery', '-A', 'proj', 'worker', '-P', pool, '-c', conc, '--without-heartbeat', '--without-mingle', '--without-gossip', '-l', 'error'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    out = {'outer': outer.delay(1, 3).get(timeout=30), 'subscribed_in_task': holds_send.delay(1).get(timeout=30)}
    r = quiet.delay(5)
    t0 = time.time(); out['ignored_get'] = r.get(timeout=5); out['ignored_get_s'] = round(time.time() - t0, 1)
    time.sleep(1)
    out['ignored_state'] = r.state
    out['ignored_ready'] = r.ready()
    try:
        AsyncResult(r.id, app=app).get(timeout=2); out['rebuilt_get'] = 'returned'
    except Exception as e:
        out['rebuilt_get'] = type(e).__name__
    print(json.dumps(out))
finally:
    w.terminate(); w.wait(15)
`;

const ready = celeryAvailable && redisAvailable;
// gevent comes from python3-gevent; without it only the gevent cases are skipped
const gevent = ready && spawnSync(PY, ['-c', 'import gevent'], { encoding: 'utf8' }).status === 0;
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
let dir = '';

function run(script: string, args: string[] = [], timeoutMs = 60_000): Record<string, unknown> | unknown[] {
  const r = spawnSync(PY, ['-c', script, ...args], { cwd: dir, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, RPORT: String(redis!.port), PYTHONPATH: dir } });
  expect(r.status, r.stderr).toBe(0);
  return lastJson(r.stdout);
}

beforeAll(async () => {
  if (!ready) return;
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'celery-lint-results-'));
  writeFileSync(join(dir, 'proj.py'), PROJ);
}, 20_000);
afterAll(async () => {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const k = knowledge();
const sub = k.transports.resultBackend.redis.subscribe!;
const waiting = k.transports.resultBackend.waiting!;

describe.skipIf(!ready)('oracle: Redis result backend subscriptions and result waiting (CEL501-CEL504)', () => {
  it('a send subscribes before publishing and unsubscribes when the AsyncResult is dropped; an ignore_result send does not subscribe', () => {
    // add.delay: SUBSCRIBE, LPUSH, UNSUBSCRIBE (dropped); quiet.delay: LPUSH, then UNSUBSCRIBE on drop (a no-op cancel)
    expect(run(MONITOR)).toEqual(['SUBSCRIBE', 'LPUSH', 'UNSUBSCRIBE', 'LPUSH', 'UNSUBSCRIBE']);
    expect(sub.unsubscribeOnDropSince).toBe('4.2.0');
  }, 30_000);

  it.skipIf(!gevent)('under gevent, Celery 5.2 builds one backend and one PubSub connection per sending greenlet', () => {
    const scope = sub.backendScope.find((s) => s.since === '5.0.3');
    expect(scope?.scope).toBe('thread');
    expect(run(GREENLETS, ['add'])).toEqual({ backends: 20, pubsub: 20 });
    expect(run(GREENLETS, ['quiet'])).toEqual({ backends: 20, pubsub: 0 });
  }, 30_000);

  it.each(['solo', 'prefork', 'threads'])('-P %s: get() in a task raises RuntimeError; a send in a task body does not subscribe', (pool) => {
    expect(waiting.getInTask.blockingPools).toContain(pool);
    expect(sub.skippedInPools).toContain(pool);
    const out = run(WORKER, [pool, '2']);
    expect(out).toEqual({
      outer: `err:RuntimeError:${waiting.getInTask.message}`,
      subscribed_in_task: 0,
      ignored_get: null,
      ignored_get_s: 0,
      ignored_state: 'PENDING',
      ignored_ready: false,
      rebuilt_get: 'TimeoutError',
    });
  }, 90_000);

  it.skipIf(!gevent)('-P gevent: get() in a task waits and returns; a send in a task body subscribes', () => {
    expect(waiting.getInTask.greenPools).toContain('gevent');
    const out = run(WORKER, ['gevent', '10']) as Record<string, unknown>;
    expect(out.outer).toBe('ok:2');
    expect(out.subscribed_in_task).toBe(1);
  }, 90_000);

  it.skipIf(!gevent)('-P gevent -c 1: the waiting task holds the only slot and the subtask never runs (deadlock until the timeout)', () => {
    const out = run(WORKER, ['gevent', '1']) as Record<string, unknown>;
    expect(out.outer).toBe('err:TimeoutError:The operation timed out.');
  }, 90_000);
});

describe.skipIf(ready)('oracle: Redis result backend subscriptions and result waiting (CEL501-CEL504)', () => {
  it.skip(`${SKIP_REASON}; and redis-server (apt-get install redis-server) and python3-gevent`, () => {});
});
