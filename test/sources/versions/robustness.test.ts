import { beforeAll, describe, expect, it } from 'vitest';
import { initPython } from '../../../src/parse/python.js';
import { versionSources } from '../../../src/sources/versions/index.js';
import { findEntry, scanToml } from '../../../src/sources/versions/toml-spans.js';
import { memoryContext } from './ctx.js';

beforeAll(async () => {
  await initPython();
});

describe('version sources on odd input', () => {
  it('never throw, skip values of the wrong type, and report only what they could not read', () => {
    const files = {
      'requirements.txt': 'celery==5.3.4 \\',
      'requirements-dev.txt': '',
      'pyproject.toml': '[project]\ndependencies = "celery==5.3.4"\noptional-dependencies = 3\n[tool.poetry.dependencies]\ncelery = 5\nkombu = {path = "../kombu"}\nredis = [1, {version = 2}]\n',
      'setup.cfg': 'install_requires = celery==1.0\n',
      'setup.py': 'setup(install_requires=[f"celery=={V}", b"kombu", *BASE, \'redis==3.5.3\'])\n',
      'broken/setup.py': 'setup(install_requires=[\'celery==5.3.4\'\n',
      Pipfile: '[packages]\ncelery = 4\n[dev-packages]\n',
      'Pipfile.lock': '[1, 2]',
      'poetry.lock': 'package = 3\n',
      'uv.lock': '[[package]]\nname = 7\nversion = "1.0"\n[[package]]\nname = "vine"\n',
    };
    const ctx = memoryContext(files);
    const results = versionSources.map((s) => [s.name, s.collect(ctx)] as const);
    expect(results.map(([name, f]) => [name, f.versions?.map((v) => `${v.package}${v.spec}`), f.problems?.length])).toEqual([
      ['requirements', ['celery==5.3.4'], 0],
      ['pyproject', [], 0],
      ['setup.cfg', [], 0],
      ['setup.py', ['redis==3.5.3'], 0],
      ['pipfile', [], 0],
      ['pipfile.lock', [], 0],
      ['poetry.lock', [], 0],
      ['uv.lock', [], 0],
    ]);
  });

  it('the TOML span scanner always ends and always has a root section, whatever the text', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = ['[', ']', '[[', ']]', '{', '}', '=', ',', '.', '"', "'", '"""', "'''", '\\', '#', '\n', ' ', 'a', 'celery', '1.0'];
    for (let n = 0; n < 500; n++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const sections = scanToml(text);
      expect(sections[0]?.path).toEqual([]);
      for (const s of sections) expect(s.start).toBeLessThanOrEqual(text.length);
    }
  });

  it('the scanner skips multi-line strings and comments that look like tables', () => {
    const text = 'a = """\n[tool.poetry.dependencies]\ncelery = "1"\n"""\nb = \'\'\'x\'\'\' # [x]\n[tool.poetry.dependencies]\ncelery = "^5.3"  # [y]\n';
    const sections = scanToml(text);
    expect(sections.map((s) => s.path.join('.'))).toEqual(['', 'tool.poetry.dependencies']);
    const entry = findEntry(sections, ['tool', 'poetry', 'dependencies', 'celery']);
    expect(entry && text.slice(entry.start, entry.end)).toBe('celery = "^5.3"');
  });
});
