import { describe, expect, it } from 'vitest';
import { rabbitmqConfSource } from '../../../src/sources/deploy/rabbitmq-conf.js';
import { at, memoryContext } from './ctx.js';

describe('rabbitmq-conf source', () => {
  it('reads consumer_timeout in milliseconds, the last occurrence winning', () => {
    const files = {
      'deploy/rabbitmq.conf': '# one hour\n# consumer_timeout = 1\nconsumer_timeout = 900000\nloopback_users.guest = false\nconsumer_timeout=3600000\n',
    };
    const facts = rabbitmqConfSource.collect(memoryContext(files));
    expect(facts.rabbitmqConfs?.map((c) => [c.file, c.consumerTimeout?.value, at(c.consumerTimeout!.span)])).toEqual([
      ['deploy/rabbitmq.conf', 3600000, '5:18-5:25'],
    ]);
    expect(facts.problems).toEqual([]);
  });

  it('records a file without the key, and a warning for a value that is not a number', () => {
    const facts = rabbitmqConfSource.collect(memoryContext({ 'rabbitmq.conf': 'consumer_timeout = 1h\nlisteners.tcp.default = 5672\n' }));
    expect(facts.rabbitmqConfs).toEqual([{ file: 'rabbitmq.conf' }]);
    expect(facts.problems?.map((p) => [p.message, p.severity, at(p.span!)])).toEqual([
      ['consumer_timeout value "1h" is not a number of milliseconds', 'warning', '1:20-1:22'],
    ]);
  });
});
