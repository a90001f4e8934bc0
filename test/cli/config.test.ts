import path from 'node:path';
import { stringify as stringifyToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { writeProject } from '../helpers/project.js';
import { findings, run } from './run.js';
import { ALL_FINDINGS, BASE } from './sample.js';

type Body = Record<string, unknown>;

/** The same settings as pyproject.toml and as .celery-lint.yaml. */
const FORMS: [string, (body: Body) => Record<string, string>][] = [
  ['pyproject.toml', (body) => ({ 'pyproject.toml': stringifyToml({ project: { name: 'proj' }, tool: { 'celery-lint': body } }) })],
  ['.celery-lint.yaml', (body) => ({ '.celery-lint.yaml': stringifyYaml(body) })],
];

describe.each(FORMS)('configuration in %s', (file, config) => {
  const check = async (body: Body, args: string[] = []) => {
    const root = writeProject({ ...BASE, ...config({ 'output-format': 'concise', ...body }) });
    return run(['check', ...args], root);
  };

  it('output-format, and no configured selection: every finding', async () => {
    const r = await check({});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(findings(r.stdout)).toEqual(ALL_FINDINGS);
  });

  it('select and ignore, longest prefix deciding', async () => {
    const r = await check({ select: ['CEL1', 'CEL2'], ignore: ['CEL101'] });
    expect(findings(r.stdout)).toEqual(['proj/celeryconfig.py:3:26: CEL203', '1 finding, 0 fixable with --fix.']);
    expect(r.code).toBe(1);
  });

  it('extend-select adds to select; the command line --select replaces select and ignore', async () => {
    const body = { select: ['CEL2'], 'extend-select': ['CEL302'], ignore: ['CEL203'] };
    expect(findings((await check(body)).stdout)).toEqual(['docker-compose.yml:5:26: CEL302', '1 finding, 0 fixable with --fix.']);
    expect(findings((await check(body, ['--select', 'CEL203'])).stdout)).toEqual(['proj/celeryconfig.py:3:26: CEL203', '1 finding, 0 fixable with --fix.']);
    expect(findings((await check(body, ['--ignore', 'CEL302', '--extend-select', 'CEL101'])).stdout)).toEqual([
      'proj/celeryconfig.py:1:1: CEL101 [*]',
      'proj/celeryconfig.py:2:1: CEL101 [*]',
      'proj/celeryconfig.py:3:1: CEL101 [*]',
      '3 findings, 3 fixable with --fix.',
    ]);
  });

  it('per-file-ignores by file name and by path', async () => {
    const byName = await check({ 'per-file-ignores': { 'celeryconfig.py': ['CEL1'] } });
    expect(findings(byName.stdout)).toEqual(['docker-compose.yml:5:26: CEL302', 'proj/celeryconfig.py:3:26: CEL203', '2 findings, 0 fixable with --fix.']);
    const byPath = await check({ 'per-file-ignores': { 'proj/*.py': ['CEL203', 'CEL101'], '*.yml': ['ALL'] } });
    expect(byPath.stdout).toBe('All checks passed: 0 findings.\n');
    expect(byPath.code).toBe(0);
  });

  it('exclude keeps files out of the analysis', async () => {
    const r = await check({ exclude: ['docker-compose.yml', 'legacy/'] });
    expect(findings(r.stdout)).toEqual([...ALL_FINDINGS.slice(1, 5), '4 findings, 3 fixable with --fix.']);
    // Without its config module the app has no settings, so only the compose finding is left.
    const noConfig = await check({ exclude: ['proj/celeryconfig.py'] });
    expect(findings(noConfig.stdout)).toEqual(['docker-compose.yml:5:26: CEL302', '1 finding, 0 fixable with --fix.']);
  });

  it('target-version is the migrate-check target; --to wins', async () => {
    const root = writeProject({ ...BASE, ...config({ 'target-version': '5.0', select: ['CEL203'] }) });
    const r = await run(['migrate-check'], root);
    expect(r.stdout.split('\n')[0]).toBe('Upgrade path 4.4.7 → 5.0: 4.4 → 5.0');
    const to = await run(['migrate-check', '--to', '4.4'], root);
    expect(to.stdout.split('\n')[0]).toBe('Upgrade path 4.4.7 → 4.4: no step');
  });

  it('current-version stands in when no pin says which Celery runs', async () => {
    const files = { ...BASE, ...config({ 'current-version': '4.0', 'target-version': '5.0', select: ['CEL203'] }) };
    const pinned = await run(['migrate-check'], writeProject(files));
    expect(pinned.stdout.split('\n')[0]).toBe('Upgrade path 4.4.7 → 5.0: 4.4 → 5.0');
    const unpinned = await run(['migrate-check'], writeProject({ ...files, 'requirements.txt': 'redis\n' }));
    expect(unpinned.stdout.split('\n')[0]).toBe('Upgrade path 4.0 → 5.0: 4.0 → 5.0');
    expect(unpinned.stderr).toBe('');
  });

  it('is found from the first path upward, and that folder is the project root', async () => {
    const root = writeProject({ ...BASE, ...config({ 'output-format': 'concise', ignore: ['CEL2'] }) });
    const fromFile = await run(['check', 'proj/celeryconfig.py'], root);
    expect(findings(fromFile.stdout)).toEqual([...ALL_FINDINGS.slice(1, 4), '3 findings, 3 fixable with --fix.']);
    const fromElsewhere = await run(['check', path.join(root, 'proj')], path.dirname(root));
    expect(fromElsewhere.stdout).toBe(fromFile.stdout);
    const fromSubfolder = await run(['check'], path.join(root, 'proj'));
    expect(fromSubfolder.stdout).toBe(fromFile.stdout);
  });
});

describe('configuration errors', () => {
  it('an unknown key: one line naming the file and the key, exit 2, nothing on stdout', async () => {
    const root = writeProject({ ...BASE, 'pyproject.toml': '[tool.celery-lint]\nselec = ["CEL1"]\n' });
    expect(await run(['check'], root)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'celery-lint: pyproject.toml: [tool.celery-lint].selec: unknown key (expected one of: select, ignore, extend-select, per-file-ignores, exclude, target-version, current-version, rules, output-format)\n',
    });
    const yamlRoot = writeProject({ ...BASE, '.celery-lint.yaml': 'extend_select: [CEL1]\n' });
    expect(await run(['migrate-check'], yamlRoot)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'celery-lint: .celery-lint.yaml: extend_select: unknown key; did you mean extend-select?\n',
    });
  });

  it('a rule option that no rule reads, and an unknown rule', async () => {
    const root = writeProject({ ...BASE, 'pyproject.toml': '[tool.celery-lint.rules.CEL103]\nknown-settings = ["X"]\n\n[tool.celery-lint.rules.CEL199]\n' });
    expect(await run(['check'], root)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'celery-lint: pyproject.toml: [tool.celery-lint].rules.CEL103.known-settings: unknown option (CEL103 takes no options)\n' +
        'celery-lint: pyproject.toml: [tool.celery-lint].rules.CEL199: no such rule (see `celery-lint rules`)\n',
    });
  });

  it('invalid TOML and a wrong type', async () => {
    const bad = writeProject({ ...BASE, 'pyproject.toml': '[tool.celery-lint]\nselect = = 1\n' });
    expect(await run(['check'], bad)).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: pyproject.toml:2:10: invalid TOML: invalid value\n' });
    const type = writeProject({ ...BASE, '.celery-lint.yaml': 'target-version: 5.10\n' });
    expect(await run(['check'], type)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'celery-lint: .celery-lint.yaml: target-version: expected a version string like "5.4", got the number 5.1: quote it (5.10 unquoted is 5.1)\n',
    });
  });

  it('--config names the file; a missing one or one without the table is an error', async () => {
    const root = writeProject({ ...BASE, 'ci/lint.yaml': 'select: [CEL203]\noutput-format: concise\n', 'ci/empty.toml': '[tool.ruff]\n' });
    const r = await run(['check', '--config', 'ci/lint.yaml'], root);
    expect(findings(r.stdout)).toEqual(['proj/celeryconfig.py:3:26: CEL203', '1 finding, 0 fixable with --fix.']);
    expect(await run(['check', '--config', 'ci/nope.yaml'], root)).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: --config file not found: ci/nope.yaml\n' });
    expect(await run(['check', '--config', 'ci/empty.toml'], root)).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: ci/empty.toml: no [tool.celery-lint] table\n' });
  });

  it('a pyproject.toml without the table is no configuration', async () => {
    const root = writeProject({ ...BASE, 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' });
    const r = await run(['check', '--output-format', 'concise'], root);
    expect(findings(r.stdout)).toEqual(ALL_FINDINGS);
  });
});
