import { describe, expect, it } from 'vitest';
import type { VersionPin } from '../../../src/model/types.js';
import { pyprojectSource } from '../../../src/sources/versions/pyproject.js';
import { at, memoryContext, textOf } from './ctx.js';

const rows = (files: Record<string, string>, versions: VersionPin[] = []) =>
  versions.map((v) => [v.package, v.spec, v.exact ?? null, v.source, at(v.span), textOf(files, v.span)]);

describe('pyproject source', () => {
  it('reads Poetry dependencies: strings, tables with extras, multiple constraints, groups', () => {
    const text = [
      '[tool.poetry]',
      'name = "proj"',
      'version = "0.1.0"',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      'celery = {extras = ["redis"], version = "^5.3"}',
      'Django = "4.2.7"',
      'redis = ">=4.5,<5"  # client',
      'kombu = [',
      '    {version = "^5.3", python = ">=3.8"},',
      '    {version = "~5.2", python = "<3.8"},',
      ']',
      'flower = {git = "https://github.com/mher/flower.git"}',
      'requests = "^2.31"',
      '',
      '[tool.poetry.group.dev.dependencies]',
      '"django-celery-results" = "~2.5"',
      '',
      '[tool.poetry.dev-dependencies]',
      'gevent = "*"',
      '',
    ].join('\n');
    const files = { 'pyproject.toml': text };
    const facts = pyprojectSource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect(rows(files, facts.versions)).toEqual([
      ['celery', '^5.3', null, 'poetry', '7:1-7:48', 'celery = {extras = ["redis"], version = "^5.3"}'],
      ['django', '4.2.7', '4.2.7', 'poetry', '8:1-8:17', 'Django = "4.2.7"'],
      ['redis', '>=4.5,<5', null, 'poetry', '9:1-9:19', 'redis = ">=4.5,<5"'],
      ['kombu', '^5.3', null, 'poetry', '11:5-11:41', '{version = "^5.3", python = ">=3.8"}'],
      ['kombu', '~5.2', null, 'poetry', '12:5-12:40', '{version = "~5.2", python = "<3.8"}'],
      ['gevent', '', null, 'poetry', '21:1-21:13', 'gevent = "*"'],
      ['django-celery-results', '~2.5', null, 'poetry', '18:1-18:33', '"django-celery-results" = "~2.5"'],
    ]);
  });

  it('reads PEP 621 dependencies, optional dependencies and dependency groups, placing each string exactly', () => {
    const text = [
      '# "Django>=4.2" is required below',
      '[project]',
      'name = "proj"',
      'dependencies = [',
      '  "celery[redis,msgpack]>=5.3.4,<6",  # main',
      "  'Django>=4.2',",
      '  "requests",',
      '  "eventlet==0.33.3; sys_platform != \'win32\'",',
      ']',
      '',
      '[project.optional-dependencies]',
      'mongo = ["pymongo>=4,<5", "celery[mongodb]"]',
      '',
      '[dependency-groups]',
      'dev = [{include-group = "lint"}, "flower==2.0.1"]',
      'lint = ["ruff"]',
      '',
      '[tool.uv]',
      'dev-dependencies = ["Django>=4.2"]',
      '',
    ].join('\n');
    const files = { 'pyproject.toml': text };
    const facts = pyprojectSource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect(rows(files, facts.versions)).toEqual([
      ['celery', '>=5.3.4,<6', null, 'pyproject', '5:3-5:36', '"celery[redis,msgpack]>=5.3.4,<6"'],
      ['django', '>=4.2', null, 'pyproject', '6:3-6:16', "'Django>=4.2'"],
      ['eventlet', '==0.33.3', '0.33.3', 'pyproject', '8:3-8:46', '"eventlet==0.33.3; sys_platform != \'win32\'"'],
      ['django', '>=4.2', null, 'pyproject', '19:21-19:34', '"Django>=4.2"'],
      ['pymongo', '>=4,<5', null, 'pyproject', '12:10-12:25', '"pymongo>=4,<5"'],
      ['celery', '', null, 'pyproject', '12:27-12:44', '"celery[mongodb]"'],
      ['flower', '==2.0.1', '2.0.1', 'pyproject', '15:34-15:49', '"flower==2.0.1"'],
    ]);
  });

  it('finds entries written as dotted keys and inline tables', () => {
    const text = '[tool.poetry]\ndependencies.celery = "==4.4.7"\ngroup.dev = { dependencies = { kombu = "4.6.11" } }\n';
    const files = { 'pyproject.toml': text };
    const { versions } = pyprojectSource.collect(memoryContext(files));
    expect(rows(files, versions)).toEqual([
      ['celery', '==4.4.7', '4.4.7', 'poetry', '2:1-2:32', 'dependencies.celery = "==4.4.7"'],
      ['kombu', '4.6.11', '4.6.11', 'poetry', '3:32-3:48', 'kombu = "4.6.11"'],
    ]);
  });

  it('reports a TOML syntax error where it is and reads nothing from that file', () => {
    const files = { 'pyproject.toml': '[project]\ndependencies = [\n  "celery==5.3.4",\n  oops\n]\n' };
    const facts = pyprojectSource.collect(memoryContext(files));
    expect(facts.versions).toEqual([]);
    expect(facts.problems?.map((p) => [p.file, at(p.span), p.severity, p.message.startsWith('cannot parse TOML: ')])).toEqual([
      ['pyproject.toml', '4:3-4:3', 'warning', true],
    ]);
  });

  it('warns about a dependency string that is not a requirement', () => {
    const files = { 'pyproject.toml': '[project]\ndependencies = ["celery>>5", "kombu>=5"]\n' };
    const facts = pyprojectSource.collect(memoryContext(files));
    expect(facts.problems?.map((p) => [at(p.span), p.message])).toEqual([['2:17-2:28', 'cannot read requirement "celery>>5" in project.dependencies']]);
    expect(facts.versions?.map((v) => [v.package, v.spec])).toEqual([['kombu', '>=5']]);
  });
});
