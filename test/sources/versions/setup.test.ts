import { beforeAll, describe, expect, it } from 'vitest';
import type { VersionPin } from '../../../src/model/types.js';
import { initPython } from '../../../src/parse/python.js';
import { setupCfgSource } from '../../../src/sources/versions/setup-cfg.js';
import { setupPySource } from '../../../src/sources/versions/setup-py.js';
import { at, memoryContext, textOf } from './ctx.js';

const rows = (files: Record<string, string>, versions: VersionPin[] = []) =>
  versions.map((v) => [v.package, v.spec, v.exact ?? null, v.file, at(v.span), textOf(files, v.span)]);

beforeAll(async () => {
  await initPython();
});

describe('setup.cfg source', () => {
  it('reads install_requires and extras_require lines, with markers and comments', () => {
    const text = [
      '[metadata]',
      'name = proj',
      'install_requires = celery',
      '',
      '[options]',
      'packages = find:',
      'install_requires =',
      '    celery[redis]>=4.4,<5.0',
      '    # the broker client',
      '    kombu==4.6.11  # pinned with celery',
      '',
      '    vine==1.3.0; python_version < "3.8"',
      '    requests>=2',
      'python_requires = >=3.6',
      '    django==2.2',
      '',
      '[options.extras_require]',
      'gevent = gevent>=1.5',
      'mongo =',
      '    pymongo<4',
      '',
    ].join('\n');
    const files = { 'setup.cfg': text };
    const facts = setupCfgSource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect(rows(files, facts.versions)).toEqual([
      ['celery', '>=4.4,<5.0', null, 'setup.cfg', '8:5-8:28', 'celery[redis]>=4.4,<5.0'],
      ['kombu', '==4.6.11', '4.6.11', 'setup.cfg', '10:5-10:18', 'kombu==4.6.11'],
      ['vine', '==1.3.0', '1.3.0', 'setup.cfg', '12:5-12:40', 'vine==1.3.0; python_version < "3.8"'],
      ['gevent', '>=1.5', null, 'setup.cfg', '18:10-18:21', 'gevent>=1.5'],
      ['pymongo', '<4', null, 'setup.cfg', '20:5-20:14', 'pymongo<4'],
    ]);
  });

  it('warns about a line that is not a requirement', () => {
    const files = { 'setup.cfg': '[options]\ninstall_requires =\n    celery =< 5\n    kombu\n' };
    const facts = setupCfgSource.collect(memoryContext(files));
    expect(facts.problems?.map((p) => [at(p.span), p.message])).toEqual([['3:5-3:16', 'cannot read requirement "celery =< 5"']]);
    expect(facts.versions?.map((v) => [v.package, v.spec])).toEqual([['kombu', '']]);
  });
});

describe('setup.py source', () => {
  it('reads string literals of install_requires and extras_require, through names and list concatenation', () => {
    const text = [
      'from setuptools import setup, find_packages',
      '',
      "BASE = ['kombu>=4.6,<5', \"vine==1.3.0\"]",
      'REQUIRES = BASE + [',
      "    'celery[redis]==4.4.7',  # not 5 yet",
      "    'Django>=2.2,<3',",
      "    'requests',",
      ']',
      '',
      'setup(',
      "    name='proj',",
      '    install_requires=REQUIRES,',
      "    extras_require={'gevent': ['gevent==20.9.0'], 'docs': ['sphinx']},",
      "    tests_require=['celery==5.0.0'],",
      ')',
      '',
    ].join('\n');
    const files = { 'setup.py': text, 'docs/conf.py': "setup(install_requires=['celery==1.0'])\n" };
    const facts = setupPySource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect(rows(files, facts.versions)).toEqual([
      ['kombu', '>=4.6,<5', null, 'setup.py', '3:9-3:24', "'kombu>=4.6,<5'"],
      ['vine', '==1.3.0', '1.3.0', 'setup.py', '3:26-3:39', '"vine==1.3.0"'],
      ['celery', '==4.4.7', '4.4.7', 'setup.py', '5:5-5:27', "'celery[redis]==4.4.7'"],
      ['django', '>=2.2,<3', null, 'setup.py', '6:5-6:21', "'Django>=2.2,<3'"],
      ['gevent', '==20.9.0', '20.9.0', 'setup.py', '13:32-13:48', "'gevent==20.9.0'"],
    ]);
  });

  it('follows setuptools.setup, stops on self-referencing names, and warns about a bad string', () => {
    const text = "import setuptools\nA = B\nB = A\nsetuptools.setup(install_requires=A + ['celery>=3.1,<4', 'kombu===3.0.37', 'amqp ~= '])\n";
    const files = { 'pkg/setup.py': text };
    const facts = setupPySource.collect(memoryContext(files));
    expect(rows(files, facts.versions)).toEqual([
      ['celery', '>=3.1,<4', null, 'pkg/setup.py', '4:40-4:56', "'celery>=3.1,<4'"],
      ['kombu', '===3.0.37', '3.0.37', 'pkg/setup.py', '4:58-4:74', "'kombu===3.0.37'"],
    ]);
    expect(facts.problems?.map((p) => [p.file, at(p.span), p.message])).toEqual([['pkg/setup.py', '4:76-4:86', 'cannot read requirement "amqp ~= "']]);
  });
});
