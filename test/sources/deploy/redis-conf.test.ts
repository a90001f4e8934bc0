import { describe, expect, it } from 'vitest';
import { redisConfSource } from '../../../src/sources/deploy/redis-conf.js';
import { at, memoryContext } from './ctx.js';

describe('redis-conf source', () => {
  it('reads timeout and tcp-keepalive, the last occurrence winning', () => {
    const files = {
      'ops/redis.conf': '# Close the connection after a client is idle for N seconds (0 to disable)\ntimeout 0\nbind 127.0.0.1\ntcp-keepalive 300\nTIMEOUT   120\n',
    };
    const facts = redisConfSource.collect(memoryContext(files));
    expect(facts.redisConfs).toEqual([
      {
        file: 'ops/redis.conf',
        timeout: { value: 120, span: expect.objectContaining({ file: 'ops/redis.conf' }) },
        tcpKeepalive: { value: 300, span: expect.anything() },
      },
    ]);
    expect(at(facts.redisConfs![0]!.timeout!.span)).toBe('5:11-5:14');
    expect(at(facts.redisConfs![0]!.tcpKeepalive!.span)).toBe('4:15-4:18');
    expect(facts.problems).toEqual([]);
  });

  it('reports a value that is not a number and keeps a file without the directives', () => {
    const facts = redisConfSource.collect(memoryContext({ 'redis.conf': 'timeout 5m\n', 'redis-cache.conf': 'maxmemory 1gb\n' }));
    expect(facts.redisConfs).toEqual([{ file: 'redis.conf' }, { file: 'redis-cache.conf' }]);
    expect(facts.problems?.map((p) => [p.message, at(p.span!)])).toEqual([['timeout value "5m" is not a number of seconds', '1:9-1:11']]);
  });
});
