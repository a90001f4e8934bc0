import { describe, expect, it } from 'vitest';
import { knowledge } from '../../src/engine/knowledge.js';

const k = knowledge();

describe('settings facts', () => {
  it('maps old names to new ones, including per-release alias changes', () => {
    expect(k.settingByName('CELERYD_CONCURRENCY').map((m) => [m.kind, m.setting.name])).toEqual([
      ['old', 'worker_concurrency'],
      ['celery31', 'CELERYD_CONCURRENCY'],
    ]);
    expect(k.newNameAt('CELERY_SEND_EVENTS', '4.0.2')).toBeUndefined();
    expect(k.newNameAt('CELERY_SEND_EVENTS', '4.1.0')).toBe('worker_send_task_events');
    expect(k.newNameAt('CELERYD_SEND_EVENTS', '4.0.0')).toBe('worker_send_task_events');
    expect(k.newNameAt('ENABLE_UTC', '5.2.6')).toBe('enable_utc');
    // 3.1 spelled it CELERY_ENABLE_UTC; 4.0+ does not know that key outside a namespace.
    expect(k.newNameAt('CELERY_ENABLE_UTC', '5.2.6')).toBeUndefined();
    expect(k.celery31Setting('CELERY_ENABLE_UTC')?.renamedTo).toBeNull();
    expect(k.newNameAt('CELERY_TASK_RESULT_EXPIRES', '4.4.7')).toBe('result_expires');
  });

  it('knows per-release defaults', () => {
    expect(k.defaultAt('CELERY_TASK_SERIALIZER', '3.1.25')).toEqual({ value: 'pickle' });
    expect(k.defaultAt('task_serializer', '4.0.0')).toEqual({ value: 'json' });
    expect(k.defaultAt('accept_content', '4.0.0')).toEqual({ value: ['json', 'pickle', 'msgpack', 'yaml'] });
    expect(k.defaultAt('accept_content', '4.0.1')).toEqual({ value: ['json'] });
    expect(k.defaultAt('result_accept_content', '4.2.2')).toBeUndefined();
    expect(k.defaultAt('result_accept_content', '4.3.0')).toEqual({ value: null });
    expect(k.defaultAt('worker_concurrency', '5.1.2')).toEqual({ value: 0 });
    expect(k.defaultAt('worker_concurrency', '5.2.0')).toEqual({ value: null });
    expect(k.defaultAt('BROKER_HEARTBEAT', '3.1.26')).toEqual({ value: null });
    expect(k.defaultAt('broker_heartbeat', '4.0.0')).toEqual({ value: 120 });
    expect(k.defaultAt('result_expires', '5.2.6')).toEqual({ value: { timedelta_seconds: 86400 } });
    expect(k.defaultAt('CELERY_MAX_CACHED_RESULTS', '3.1.9')).toEqual({ value: 5000 });
    expect(k.defaultAt('CELERY_MAX_CACHED_RESULTS', '3.1.10')).toEqual({ value: 100 });
  });

  it('knows when settings were added and removed', () => {
    const added = (n: string) => k.setting(n)?.added;
    expect(added('broker_connection_retry_on_startup')).toBe('5.3.0');
    expect(added('worker_cancel_long_running_tasks_on_connection_loss')).toBe('5.1.0');
    expect(added('result_extended')).toBe('4.3.0');
    expect(added('redis_socket_connect_timeout')).toBe('4.0.1');
    expect(added('result_backend_transport_options')).toBe('4.2.0');
    expect(added('redis_backend_health_check_interval')).toBe('5.1.0');
    expect(k.setting('redis_backend_health_check_interval')?.definedIn).toBe('code');
    expect(k.setting('riak_backend_settings')?.removed).toBe('5.0.0');
    expect(k.setting('task_queue_ha_policy')?.removed).toBe('5.0.2');
    const at = (v: string) => new Set(k.settingsKnownAt(v).map((s) => s.name));
    expect(at('5.0.1').has('task_queue_ha_policy')).toBe(true);
    expect(at('5.0.2').has('task_queue_ha_policy')).toBe(false);
    expect(at('3.1.25').has('BROKER_URL')).toBe(true);
    expect(at('3.1.25').has('broker_url')).toBe(false);
    expect(k.celery31Setting('BROKER_HOST')?.deprecated).toEqual({
      since: '2.5',
      removal: '4.0',
      alternative: 'BROKER_URL setting',
    });
  });

  it('records the namespace and mixing rules', () => {
    const ns = new Map(k.configLoading.namespace.examples.map((e) => [e.key, e.recognised]));
    expect(ns.get('CELERY_ENABLE_UTC')).toBe(true);
    expect(ns.get('ENABLE_UTC')).toBe(false);
    expect(ns.get('BROKER_URL')).toBe(false);
    expect(k.configLoading.mixing.tieGoesTo).toBe('new');
    expect(k.configLoading.djangoTimeZone.fallbackKey).toEqual([
      { since: '4.0.0', key: 'time_zone' },
      { since: '5.3.0', key: 'TIME_ZONE' },
    ]);
  });
});

describe('release, serializer and removal facts', () => {
  it('pins Kombu lines per Celery line', () => {
    expect(k.celeryLine('3.1.25')?.kombu.newest).toBe('kombu>=3.0.37,<3.1');
    expect(k.celeryLine('4.4.7')?.kombuLines).toEqual(['4.6']);
    expect(k.celeryLine('5.5.1')?.kombu.newest).toBe('kombu>=5.5.2,<5.6');
    expect(k.celeryLine('5.6.0')?.newest).toBe('5.6.3');
  });

  it('has serializer defaults per release', () => {
    expect(k.serializerDefaultsAt('3.1.26')?.task_serializer).toBe('pickle');
    expect(k.serializerDefaultsAt('4.0.0')?.accept_content).toEqual(['json', 'pickle', 'msgpack', 'yaml']);
    expect(k.serializerDefaultsAt('4.0.1')?.accept_content).toEqual(['json']);
  });

  it('knows removed modules and backends', () => {
    expect(k.removedModule('celery.task')?.removed).toBe('5.0.0');
    expect(k.removedModule('celery.task.http')?.removed).toBe('4.0.0');
    // a compatibility module built by the celery package from 3.0 to 5.1 (celery/local.py COMPAT_MODULES)
    expect(k.removedModule('celery.decorators')?.removed).toBe('5.2.0');
    const attr = k.removedAttribute('celery.task');
    expect(attr?.module.module).toBe('celery.task');
    expect(attr?.attribute.failure.map((f) => [f.since, f.until, f.import, f.attribute])).toEqual([
      ['5.0.0', '5.2.0', "ModuleNotFoundError: No module named 'celery.task'", "ModuleNotFoundError: No module named 'celery.task'"],
      ['5.2.0', undefined, "ImportError: cannot import name 'task' from 'celery'", "AttributeError: module 'celery' has no attribute 'task'"],
    ]);
    expect(k.removedAttribute('celery.periodic_task')).toBeUndefined();
    expect(k.removed.resultBackends.find((b) => b.name === 'amqp')).toMatchObject({ removed: '5.0.0', aliasRemoved: '5.3.0' });
  });
});

describe('transport facts', () => {
  it('redis: visibility_timeout 3600 and health_check_interval from kombu 4.6.8', () => {
    const at = (v: string) => new Map(k.transportOptions('redis', v)?.map((o) => [o.key, o.default]));
    expect(at('4.6.7').has('health_check_interval')).toBe(false);
    expect(at('4.6.8').get('health_check_interval')).toBe(25);
    expect(at('5.2.4').get('visibility_timeout')).toBe(3600);
    expect(at('3.0.37').get('fanout_prefix')).toBe(false);
    expect(at('4.0.0').get('fanout_prefix')).toBe(true);
    expect(at('5.2.4').has('body_encoding')).toBe(true);
    expect(k.transportOptions('rediss', '5.2.4')?.length).toBe(k.transportOptions('redis', '5.2.4')?.length);
  });

  it('sqs: visibility_timeout defaults to 1800, not 3600', () => {
    const o = k.transportOptions('sqs', '5.2.4')?.find((x) => x.key === 'visibility_timeout');
    expect(o).toEqual({ key: 'visibility_timeout', default: 1800, origin: 'transport' });
  });

  it('mongodb: transport options reach pymongo only in kombu 3.0', () => {
    expect(k.transportPassthroughAt('mongodb', '3.0.37')).toMatch(/^pymongo\.MongoClient/);
    expect(k.transportPassthroughAt('mongodb', '4.0.0')).toBeUndefined();
    expect(k.transportPassthroughAt('mongodb', '5.2.4')).toBeUndefined();
    const keys = k.transportOptions('mongodb', '4.6.11')?.map((o) => o.key);
    expect(keys).toContain('connect_timeout');
    expect(keys).not.toContain('socketTimeoutMS');
  });

  it('sentinel inherits the redis options', () => {
    const keys = new Set(k.transportOptions('sentinel', '5.2.4')?.map((o) => o.key));
    expect(keys.has('master_name')).toBe(true);
    expect(keys.has('visibility_timeout')).toBe(true);
  });
});
