import { describe, expect, it } from 'vitest';
import { composeSource } from '../../../src/sources/deploy/compose.js';
import { at, memoryContext, textOf } from './ctx.js';

const COMPOSE = `services:
  web:
    command: gunicorn proj.wsgi
  worker:
    image: app
    command: ["celery", "-A", "proj", "worker", "-P", "gevent", "-c", "50"]
    environment:
      CELERY_BROKER_URL: "redis://redis:6379/0"
      C_FORCE_ROOT: 1
    env_file:
      - .env
      - config/worker.env.list
  beat:
    command: >
      sh -c "sleep 5 &&
      celery -A proj beat -l info"
    environment:
      - CELERY_RESULT_BACKEND=redis://redis:6379/1
      - PASSTHROUGH
  redis:
    image: redis:6
    command: redis-server --timeout 120 --tcp-keepalive 60
`;

describe('compose source', () => {
  const files = { 'docker-compose.yml': COMPOSE, '.env': 'A=1\n' };
  const facts = composeSource.collect(memoryContext(files));

  it('reads list-form and folded string commands, named by service', () => {
    expect(facts.commands?.map((c) => [c.processName, c.subcommand, c.app, c.pool, c.concurrency, at(c.span)])).toEqual([
      ['worker', 'worker', 'proj', 'gevent', 50, '6:15-6:75'],
      ['beat', 'beat', 'proj', undefined, undefined, '16:7-16:34'],
    ]);
    const [worker, beat] = facts.commands!;
    expect(worker!.options.map((o) => [o.name, o.value, textOf(files, o.span)])).toEqual([
      ['-A', 'proj', '"-A", "proj"'],
      ['-P', 'gevent', '"-P", "gevent"'],
      ['-c', '50', '"-c", "50"'],
    ]);
    expect(beat!.raw).toBe('celery -A proj beat -l info');
    expect(beat!.options.map((o) => textOf(files, o.span))).toEqual(['-A proj', '-l info']);
  });

  it("leaves Airflow's `celery worker` (run by the airflow entrypoint) alone (opencve)", () => {
    const airflow = 'services:\n  airflow-worker:\n    image: apache/airflow:slim-2.10.4-python3.12\n    command: celery worker\n  own:\n    image: apache/airflow:2.10.4\n    entrypoint: celery\n    command: -A proj worker\n';
    const found = composeSource.collect(memoryContext({ 'docker-compose.yml': airflow }));
    expect(found.commands?.map((c) => [c.processName, c.subcommand, c.app])).toEqual([['own', 'worker', 'proj']]);
  });

  it('reads map and list environments with exact value spans', () => {
    expect(facts.envVars?.map((e) => [e.name, e.value, textOf(files, e.span), at(e.valueSpan), e.source])).toEqual([
      ['CELERY_BROKER_URL', { kind: 'str', value: 'redis://redis:6379/0', span: expect.anything() }, 'CELERY_BROKER_URL: "redis://redis:6379/0"', '8:27-8:47', 'compose'],
      ['C_FORCE_ROOT', { kind: 'str', value: '1', span: expect.anything() }, 'C_FORCE_ROOT: 1', '9:21-9:22', 'compose'],
      ['CELERY_RESULT_BACKEND', { kind: 'str', value: 'redis://redis:6379/1', span: expect.anything() }, 'CELERY_RESULT_BACKEND=redis://redis:6379/1', '18:31-18:51', 'compose'],
    ]);
  });

  it('notes env_file entries it cannot read, and reads redis-server flags', () => {
    expect(facts.problems?.map((p) => [p.message, p.severity, at(p.span!)])).toEqual([
      ['env_file config/worker.env.list is not read: its variables are not checked', 'warning', '12:9-12:31'],
    ]);
    expect(facts.redisConfs?.map((r) => [r.timeout?.value, at(r.timeout!.span), r.tcpKeepalive?.value])).toEqual([[120, '22:37-22:40', 60]]);
  });

  it('follows anchors and merge keys, reporting shared variables once', () => {
    const text = [
      'x-common: &common',
      '  image: app',
      '  environment: &env',
      '    CELERY_BROKER_URL: amqp://rabbit//',
      'services:',
      '  worker:',
      '    <<: *common',
      '    command: celery -A proj worker',
      '  beat:',
      '    <<: *common',
      '    environment: *env',
      '    command: celery -A proj beat',
      '',
    ].join('\n');
    const anchored = composeSource.collect(memoryContext({ 'compose.yml': text }));
    expect(anchored.commands?.map((c) => [c.processName, c.subcommand])).toEqual([['worker', 'worker'], ['beat', 'beat']]);
    expect(anchored.envVars?.map((e) => [e.name, at(e.valueSpan)])).toEqual([['CELERY_BROKER_URL', '4:24-4:39']]);
  });

  it('recognises a compose file by its content when it is named freely, and leaves Kubernetes files alone', () => {
    const facts = composeSource.collect(memoryContext({
      'deploy/stack.yml': 'version: "3.8"\nservices:\n  worker:\n    command: celery -A proj worker\n',
      'k8s/svc.yaml': 'apiVersion: v1\nkind: List\nservices:\n  worker:\n    command: celery -A proj worker\n',
      'mkdocs.yml': 'nav: [a\n',
    }));
    expect(facts.commands?.map((c) => [c.file, c.processName, c.subcommand, at(c.span)])).toEqual([['deploy/stack.yml', 'worker', 'worker', '4:14-4:35']]);
    expect(facts.problems).toEqual([]);
  });

  it('reports malformed YAML as a warning instead of throwing', () => {
    const broken = composeSource.collect(memoryContext({ 'compose.yaml': 'services:\n  worker:\n    command: [celery, worker\n  beat: {\n' }));
    expect(broken.commands).toEqual([]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems![0]).toMatchObject({ file: 'compose.yaml', severity: 'warning' });
    expect(broken.problems![0]!.message).toMatch(/^skipped YAML document 1: /);
  });
});
