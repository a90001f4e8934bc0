import { describe, expect, it } from 'vitest';
import { isTestFile } from '../../src/model/module-names.js';

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
