import { describe, expect, it } from 'vitest';
import { knowledge } from '../../src/engine/knowledge.js';

describe('Redis health check per Kombu version (transports.yaml healthCheck)', () => {
  const k = knowledge();
  it('is absent before Kombu 4.6.7', () => {
    expect(k.healthCheckAt('redis', '4.6.6')).toBeUndefined();
    expect(k.healthCheckAt('redis', '3.0.37')).toBeUndefined();
  });
  it('is a fixed 25 s in Kombu 4.6.7 and configurable from 4.6.8', () => {
    expect(k.healthCheckAt('redis', '4.6.7')).toEqual({ interval: 25, configurable: false, key: 'health_check_interval' });
    expect(k.healthCheckAt('redis', '4.6.8')).toEqual({ interval: 25, configurable: true, key: 'health_check_interval' });
    expect(k.healthCheckAt('rediss', '5.6.2')).toEqual({ interval: 25, configurable: true, key: 'health_check_interval' });
  });
  it('is inherited by the sentinel transport and absent for amqp', () => {
    expect(k.healthCheckAt('sentinel', '5.2.4')).toEqual({ interval: 25, configurable: true, key: 'health_check_interval' });
    expect(k.healthCheckAt('amqp', '5.2.4')).toBeUndefined();
  });
  it('names where each transport takes its socket timeouts from', () => {
    expect(k.transport('redis')?.timeouts?.read).toEqual({ key: 'socket_timeout', via: 'options', unit: 's', default: null });
    expect(k.transport('mongodb')?.timeouts?.read).toEqual({ key: 'socketTimeoutMS', via: 'url', unit: 'ms', default: null });
    expect(k.transports.resultBackend.redis.urlQuery?.since).toBe('3.1.0');
  });
});
