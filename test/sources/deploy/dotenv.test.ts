import { describe, expect, it } from 'vitest';
import { dotenvSource } from '../../../src/sources/deploy/dotenv.js';
import { at, memoryContext, textOf } from './ctx.js';

const ENV = `# broker
CELERY_BROKER_URL=redis://:s3cret@redis:6379/0 # inline comment
export CELERY_RESULT_BACKEND="redis://redis:6379/1"
CELERY_WORKER_POOL='gevent'
EMPTY=
MULTI="line one
line two"
ESCAPED="a\\"b"
this is not an assignment
URL_WITH_HASH=http://x/#frag
`;

describe('dotenv source', () => {
  const files = { '.env.production': ENV };
  const facts = dotenvSource.collect(memoryContext(files));

  it('reads every variable with quotes, export, comments and exact value spans', () => {
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value, at(e.valueSpan), textOf(files, e.valueSpan), e.source])).toEqual([
      ['CELERY_BROKER_URL', 'redis://:s3cret@redis:6379/0', '2:19-2:47', 'redis://:s3cret@redis:6379/0', 'dotenv'],
      ['CELERY_RESULT_BACKEND', 'redis://redis:6379/1', '3:31-3:51', 'redis://redis:6379/1', 'dotenv'],
      ['CELERY_WORKER_POOL', 'gevent', '4:21-4:27', 'gevent', 'dotenv'],
      ['EMPTY', '', '5:7-5:7', '', 'dotenv'],
      ['MULTI', 'line one\nline two', '6:8-7:9', 'line one\nline two', 'dotenv'],
      ['ESCAPED', 'a"b', '8:10-8:14', 'a\\"b', 'dotenv'],
      ['URL_WITH_HASH', 'http://x/#frag', '10:15-10:29', 'http://x/#frag', 'dotenv'],
    ]);
    expect(textOf(files, facts.envVars![1]!.span)).toBe('export CELERY_RESULT_BACKEND="redis://redis:6379/1"');
  });

  it('warns about a line it cannot read', () => {
    expect(facts.problems?.map((p) => [p.message, p.severity, at(p.span!)])).toEqual([['could not parse this .env line', 'warning', '9:1-9:26']]);
  });
});
