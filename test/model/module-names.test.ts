import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTestFile, moduleNameFor, moduleNamesFor } from '../../src/model/module-names.js';

describe('isTestFile', () => {
  it.each([
    ['tests/test_views.py', true],
    ['proj/tests/mixins.py', true],
    ['app/test/helpers.py', true],
    ['settings/testing/base.py', true],
    ['proj/test_tasks.py', true],
    ['proj/tasks_test.py', true],
    ['conftest.py', true],
    ['proj/tasks.py', false],
    ['proj/testimonials.py', false],
    ['proj/contest/views.py', false],
  ])('%s → %s', (file, expected) => {
    expect(isTestFile(file)).toBe(expected);
  });
});

describe('moduleNamesFor', () => {
  const project = ['__init__.py', 'manage.py', 'src/proj/__init__.py', 'src/proj/tasks.py', 'src/proj/sub/__init__.py', 'src/proj/sub/jobs.py', 'scripts/run.py', 'a/b/__init__.py', 'a/b/x.py'];

  it('names files as Python would, climbing packages', () => {
    expect(moduleNamesFor(project, new Set(project))).toEqual(['__init__', 'manage', 'proj', 'proj.tasks', 'proj.sub', 'proj.sub.jobs', 'run', 'b', 'b.x']);
  });

  it('agrees with moduleNameFor on any tree', () => {
    const segment = fc.constantFrom('a', 'b', 'pkg', '__init__', 'tasks');
    const file = fc.tuple(fc.array(segment, { maxLength: 4 }), segment).map(([dirs, stem]) => [...dirs, `${stem}.py`].join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(file, { maxLength: 30 }), (files) => {
        const set = new Set(files);
        expect(moduleNamesFor(files, set)).toEqual(files.map((f) => moduleNameFor(f, set)));
      }),
      { numRuns: 300 },
    );
  });
});
