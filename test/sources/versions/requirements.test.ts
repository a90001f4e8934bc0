import { describe, expect, it } from 'vitest';
import { requirementsSource } from '../../../src/sources/versions/requirements.js';
import { contextFor } from '../../helpers/project.js';
import { at, memoryContext, textOf } from './ctx.js';

const row = (files: Record<string, string>) => (v: { package: string; spec: string; exact?: string; file: string; span: Parameters<typeof at>[0] & {} }) =>
  [v.package, v.spec, v.exact ?? null, v.file, at(v.span), textOf(files, v.span)];

describe('requirements source', () => {
  it('reads a Celery 3.1 Django project split into base and production files', () => {
    const files = {
      'requirements.txt': '-r requirements/production.txt\n',
      'requirements/base.txt': [
        '# Celery 3.1 stack',
        'Django==1.11.29',
        'celery==3.1.25  # last 3.x',
        'Django_Celery==3.2.2',
        'kombu==3.0.37',
        'amqp>=1.4.9,<2.0',
        '  billiard==3.3.0.23 ; python_version < "3.8"',
        'librabbitmq >= 1.5.0',
        'psycopg2==2.8.6',
        '-e git+https://github.com/example/flower.git#egg=flower',
        'https://example.com/packages/gevent-1.2.2.tar.gz',
        'eventlet @ https://example.com/eventlet.zip',
        '',
      ].join('\n'),
      'requirements/production.txt': '-r base.txt\ngunicorn==19.9.0\nredis[hiredis]==2.10.6 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n',
    };
    const facts = requirementsSource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect((facts.versions ?? []).map(row(files))).toEqual([
      ['django', '==1.11.29', '1.11.29', 'requirements/base.txt', '2:1-2:16', 'Django==1.11.29'],
      ['celery', '==3.1.25', '3.1.25', 'requirements/base.txt', '3:1-3:15', 'celery==3.1.25'],
      ['django-celery', '==3.2.2', '3.2.2', 'requirements/base.txt', '4:1-4:21', 'Django_Celery==3.2.2'],
      ['kombu', '==3.0.37', '3.0.37', 'requirements/base.txt', '5:1-5:14', 'kombu==3.0.37'],
      ['amqp', '>=1.4.9,<2.0', null, 'requirements/base.txt', '6:1-6:17', 'amqp>=1.4.9,<2.0'],
      ['billiard', '==3.3.0.23', '3.3.0.23', 'requirements/base.txt', '7:3-7:46', 'billiard==3.3.0.23 ; python_version < "3.8"'],
      ['librabbitmq', '>=1.5.0', null, 'requirements/base.txt', '8:1-8:21', 'librabbitmq >= 1.5.0'],
      ['redis', '==2.10.6', '2.10.6', 'requirements/production.txt', '3:1-3:23', 'redis[hiredis]==2.10.6'],
    ]);
  });

  it('follows includes of files discovery did not pick up, once each, so include loops end', () => {
    const files = {
      'requirements.txt': '-r common.txt\n--requirement=requirements.txt\ncelery==4.4.7\n',
      'common.txt': '-rdeps/more.txt\nkombu==4.6.11\n',
      'deps/more.txt': '-r ../common.txt\n-c ../requirements.txt\nvine==1.3.0\n',
    };
    const facts = requirementsSource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect((facts.versions ?? []).map((v) => [v.package, v.exact, v.file, at(v.span)])).toEqual([
      ['celery', '4.4.7', 'requirements.txt', '3:1-3:14'],
      ['kombu', '4.6.11', 'common.txt', '2:1-2:14'],
      ['vine', '1.3.0', 'deps/more.txt', '3:1-3:12'],
    ]);
  });

  it('warns about an include that cannot be found or lies outside the project, and goes on', () => {
    const files = { 'requirements/dev.txt': '-r missing.txt\n-c ../../shared/constraints.txt\nflower==0.9.7\n' };
    const facts = requirementsSource.collect(memoryContext(files));
    expect(facts.problems?.map((p) => [p.file, at(p.span), p.severity, p.message])).toEqual([
      ['requirements/dev.txt', '1:1-1:15', 'warning', '-r missing.txt: included file requirements/missing.txt not found'],
      ['requirements/dev.txt', '2:1-2:32', 'warning', '-c ../../shared/constraints.txt: included file is outside the project, not read'],
    ]);
    expect(facts.versions?.map((v) => [v.package, v.exact])).toEqual([['flower', '0.9.7']]);
  });

  it('joins continuation lines, keeps the span across them, and does not join after a comment line', () => {
    const files = { 'requirements.in': 'celery\\\n  [redis]\\\n  ~=5.3.0\n# note \\\nkombu\n' };
    const { versions = [] } = requirementsSource.collect(memoryContext(files));
    expect(versions.map((v) => [v.package, v.spec, v.exact ?? null, at(v.span), textOf(files, v.span)])).toEqual([
      ['celery', '~=5.3.0', null, '1:1-3:10', 'celery\\\n  [redis]\\\n  ~=5.3.0'],
      ['kombu', '', null, '5:1-5:6', 'kombu'],
    ]);
  });

  it('warns about a line that is not a requirement and keeps reading', () => {
    const files = { 'requirements.txt': 'celery=3.1.25\r\nkombu (>=3.0, <4)\r\n' };
    const facts = requirementsSource.collect(memoryContext(files));
    expect(facts.problems?.map((p) => [at(p.span), p.message])).toEqual([['1:1-1:14', 'cannot read requirement "celery=3.1.25"']]);
    expect(facts.versions?.map((v) => [v.package, v.spec, at(v.span)])).toEqual([['kombu', '>=3.0,<4', '2:1-2:18']]);
  });

  it('reads included files from disk through the real context', () => {
    const { ctx, problems } = contextFor({ 'requirements.txt': '-r base.txt\n-r gone.txt\n', 'base.txt': 'gevent==20.9.0  # pool\n' });
    const facts = requirementsSource.collect(ctx);
    expect(facts.versions?.map((v) => [v.package, v.exact, v.file, at(v.span)])).toEqual([['gevent', '20.9.0', 'base.txt', '1:1-1:15']]);
    expect(facts.problems?.map((p) => [p.file, at(p.span), p.message])).toEqual([['requirements.txt', '2:1-2:12', '-r gone.txt: included file gone.txt not found']]);
    // The context says why the file could not be read.
    expect(problems.map((p) => [p.file, p.message])).toEqual([['gone.txt', 'skipped: cannot read file (ENOENT)']]);
  });
});
