import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, perFileIgnored, resolveSelection, type Config } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/io.js';
import { writeProject } from '../helpers/project.js';

const PYPROJECT = `[project]
name = "proj"

[tool.celery-lint]
select = ["CEL1", "cel2"]
ignore = ["CEL105"]
extend-select = ["CEL301"]
exclude = ["legacy/", "*.generated.py"]
target-version = "5.4"
current-version = "4.4.7"
output-format = "sarif"

[tool.celery-lint.per-file-ignores]
"tests/*.py" = ["CEL1"]
"settings.py" = ["ALL"]

[tool.celery-lint.rules.cel103]
known-settings = ["MY_SETTING"]
`;

const YAML = `select: [CEL1, cel2]
ignore: [CEL105]
extend-select: [CEL301]
exclude:
  - legacy/
  - "*.generated.py"
target-version: "5.4"
current-version: "4.4.7"
output-format: sarif
per-file-ignores:
  "tests/*.py": [CEL1]
  settings.py: [ALL]
rules:
  CEL103:
    known-settings: [MY_SETTING]
`;

const EXPECTED: Config = {
  select: ['CEL1', 'CEL2'],
  ignore: ['CEL105'],
  extendSelect: ['CEL301'],
  perFileIgnores: { 'tests/*.py': ['CEL1'], 'settings.py': ['ALL'] },
  exclude: ['legacy/', '*.generated.py'],
  targetVersion: '5.4',
  currentVersion: '4.4.7',
  rules: { CEL103: { 'known-settings': ['MY_SETTING'] } },
  outputFormat: 'sarif',
};

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loading the configuration', () => {
  it('reads [tool.celery-lint] from pyproject.toml', () => {
    expect(loadConfig(writeProject({ 'pyproject.toml': PYPROJECT }))).toEqual({ file: 'pyproject.toml', config: EXPECTED });
  });

  it('reads .celery-lint.yaml and .celery-lint.yml the same way', () => {
    expect(loadConfig(writeProject({ '.celery-lint.yaml': YAML }))).toEqual({ file: '.celery-lint.yaml', config: EXPECTED });
    expect(loadConfig(writeProject({ '.celery-lint.yml': YAML }))).toEqual({ file: '.celery-lint.yml', config: EXPECTED });
  });

  it('prefers the YAML file over pyproject.toml', () => {
    const root = writeProject({ 'pyproject.toml': PYPROJECT, '.celery-lint.yaml': 'select: [CEL3]\n' });
    expect(loadConfig(root)).toEqual({
      file: '.celery-lint.yaml',
      config: { select: ['CEL3'], ignore: [], extendSelect: [], perFileIgnores: {}, exclude: [], rules: {}, targetVersion: undefined, currentVersion: undefined, outputFormat: undefined },
    });
  });

  it('refuses two YAML files', () => {
    const root = writeProject({ '.celery-lint.yaml': '', '.celery-lint.yml': '' });
    expect(errorOf(() => loadConfig(root))).toBe('celery-lint: both .celery-lint.yaml and .celery-lint.yml exist; keep one');
  });

  it('finds no configuration without a file or a [tool.celery-lint] table', () => {
    expect(loadConfig(writeProject({ 'a.py': '' }))).toBeUndefined();
    expect(loadConfig(writeProject({ 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' }))).toBeUndefined();
  });

  it('reads an empty YAML file as an empty configuration', () => {
    expect(parseConfig('# nothing yet\n', '.celery-lint.yaml')).toEqual({
      select: undefined, ignore: [], extendSelect: [], perFileIgnores: {}, exclude: [], rules: {}, targetVersion: undefined, currentVersion: undefined, outputFormat: undefined,
    });
  });

  it('throws a ConfigError that the CLI treats as a usage error (exit 2)', () => {
    expect(new ConfigError('x')).toBeInstanceOf(UsageError);
  });
});

describe('configuration errors name the file and the key', () => {
  const toml = (body: string) => errorOf(() => parseConfig(`[tool.celery-lint]\n${body}`, 'pyproject.toml'));
  const yaml = (body: string) => errorOf(() => parseConfig(body, '.celery-lint.yaml'));

  it('a value of the wrong type', () => {
    expect(toml('select = "CEL1"\n')).toBe('celery-lint: pyproject.toml: [tool.celery-lint].select: expected an array of strings');
    expect(yaml('select: CEL1\n')).toBe('celery-lint: .celery-lint.yaml: select: expected an array of strings');
    expect(toml('ignore = ["CEL1", 3]\n')).toBe('celery-lint: pyproject.toml: [tool.celery-lint].ignore[1]: expected a string');
  });

  it('a string that is not a rule code', () => {
    expect(toml('select = ["CEL1", "E501"]\n')).toBe(
      'celery-lint: pyproject.toml: [tool.celery-lint].select[1]: "E501" is not a rule code or prefix (like CEL101, CEL1 or ALL)',
    );
    expect(yaml('per-file-ignores:\n  "tests/*.py": [F401]\n')).toBe(
      'celery-lint: .celery-lint.yaml: per-file-ignores."tests/*.py"[0]: "F401" is not a rule code or prefix (like CEL101, CEL1 or ALL)',
    );
    expect(yaml('rules:\n  CEL1:\n    x: 1\n')).toBe('celery-lint: .celery-lint.yaml: rules.CEL1: "CEL1" is not a rule code (like CEL101)');
    expect(toml('[tool.celery-lint.rules]\nCEL103 = 3\n')).toBe('celery-lint: pyproject.toml: [tool.celery-lint].rules.CEL103: expected a table of rule options');
  });

  it('unknown keys, with a hint for snake_case', () => {
    expect(toml('selec = []\n')).toBe(
      'celery-lint: pyproject.toml: [tool.celery-lint].selec: unknown key (expected one of: select, ignore, extend-select, per-file-ignores, exclude, target-version, current-version, rules, output-format)',
    );
    expect(yaml('extend_select: [CEL1]\n')).toBe('celery-lint: .celery-lint.yaml: extend_select: unknown key; did you mean extend-select?');
  });

  it('a version YAML read as a number', () => {
    expect(yaml('target-version: 5.10\n')).toBe(
      'celery-lint: .celery-lint.yaml: target-version: expected a version string like "5.4", got the number 5.1: quote it (5.10 unquoted is 5.1)',
    );
    expect(toml('current-version = "five"\n')).toBe('celery-lint: pyproject.toml: [tool.celery-lint].current-version: "five" is not a version like "5.4" or "4.4.7"');
  });

  it('an unknown output format', () => {
    expect(toml('output-format = "xml"\n')).toBe(
      'celery-lint: pyproject.toml: [tool.celery-lint].output-format: expected one of text, concise, json, sarif, github, gitlab, junit',
    );
  });

  it('a section that is not a table / mapping', () => {
    expect(errorOf(() => parseConfig('[tool]\ncelery-lint = 1\n', 'pyproject.toml'))).toBe('celery-lint: pyproject.toml: [tool.celery-lint]: expected a table');
    expect(yaml('- select\n')).toBe('celery-lint: .celery-lint.yaml: (top level): expected a mapping');
  });

  it('one line per problem', () => {
    expect(yaml('select: 1\nignore: 2\n')).toBe(
      'celery-lint: .celery-lint.yaml: select: expected an array of strings\ncelery-lint: .celery-lint.yaml: ignore: expected an array of strings',
    );
  });

  it('syntax errors give the line and column', () => {
    expect(errorOf(() => parseConfig('[tool.celery-lint]\nselect = = 1\n', 'pyproject.toml'))).toBe('celery-lint: pyproject.toml:2:10: invalid TOML: invalid value');
    expect(yaml('select: [CEL1\nignore: []\n')).toMatch(/^celery-lint: \.celery-lint\.yaml:2:1: invalid YAML: /);
    expect(yaml('select: []\nselect: [CEL1]\n')).toBe('celery-lint: .celery-lint.yaml:2:1: invalid YAML: Map keys must be unique');
  });
});

describe('using the configuration', () => {
  const config = parseConfig(YAML, '.celery-lint.yaml')!;

  it('combines select, extend-select and ignore with the command line as Ruff does', () => {
    expect(resolveSelection(config, {})).toEqual({ select: ['CEL1', 'CEL2', 'CEL301'], ignore: ['CEL105'] });
    expect(resolveSelection(config, { ignore: ['cel2'] })).toEqual({ select: ['CEL1', 'CEL2', 'CEL301'], ignore: ['CEL105', 'CEL2'] });
    expect(resolveSelection(config, { select: ['CEL3'] })).toEqual({ select: ['CEL3'], ignore: [] });
    expect(resolveSelection(undefined, { extendSelect: ['CEL203'], ignore: ['CEL2'] })).toEqual({ select: ['ALL', 'CEL203'], ignore: ['CEL2'] });
    expect(resolveSelection(undefined, {})).toEqual({ select: undefined, ignore: [] });
  });

  it('matches per-file-ignores by path, and by file name for a pattern without a slash', () => {
    const ignored = perFileIgnored(config);
    expect(ignored('tests/test_tasks.py', 'CEL101')).toBe(true);
    expect(ignored('tests/test_tasks.py', 'CEL201')).toBe(false);
    expect(ignored('tests/unit/test_tasks.py', 'CEL101')).toBe(false);
    expect(ignored('proj/settings.py', 'CEL301')).toBe(true);
    expect(ignored('proj/celeryconfig.py', 'CEL101')).toBe(false);
    expect(perFileIgnored(undefined)('tests/a.py', 'CEL101')).toBe(false);
  });
});

describe('docs/configuration.md', () => {
  const doc = fs.readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const block = (lang: string) => {
    const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(doc);
    if (!m?.[1]) throw new Error(`no ${lang} block`);
    return m[1];
  };

  it('its pyproject.toml and .celery-lint.yaml examples are valid and say the same', () => {
    const expected: Config = {
      select: ['CEL1', 'CEL2'],
      ignore: ['CEL105'],
      extendSelect: ['CEL301'],
      perFileIgnores: { 'tests/**/*.py': ['CEL1'], 'settings.py': ['CEL102'] },
      exclude: ['legacy/', '*.generated.py'],
      targetVersion: '5.4',
      currentVersion: undefined,
      rules: {},
      outputFormat: 'concise',
    };
    expect(parseConfig(block('toml'), 'pyproject.toml')).toEqual(expected);
    expect(parseConfig(block('yaml'), '.celery-lint.yaml')).toEqual(expected);
  });
});
