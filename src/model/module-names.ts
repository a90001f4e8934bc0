import path from 'node:path';

/**
 * The dotted module name Python would give a file: climb while the folder is a package (`__init__.py`),
 * so `src/proj/tasks.py` with `src/proj/__init__.py` is `proj.tasks`.
 */
export function moduleNameFor(relPath: string, pythonFiles: ReadonlySet<string>): string {
  const parts = relPath.replace(/\.py$/, '').split('/');
  const isInit = parts[parts.length - 1] === '__init__';
  if (isInit) parts.pop();
  let start = parts.length - (isInit ? 1 : 1);
  // `start` indexes the first component of the dotted name; move it up while the parent folder is a package.
  while (start > 0) {
    const pkgDir = parts.slice(0, start).join('/');
    if (!pythonFiles.has(`${pkgDir}/__init__.py`)) break;
    start--;
  }
  return parts.slice(start).join('.') || path.posix.basename(relPath, '.py');
}

/**
 * moduleNameFor for many files at once: each folder's package prefix is worked out once, not once per file in it
 * (a large project has ~10,000 files in a few hundred folders, and every run names them all).
 */
export function moduleNamesFor(relPaths: readonly string[], pythonFiles: ReadonlySet<string>): string[] {
  const prefixes = new Map<string, string | null>();
  // The dotted name of a folder that is a package, or null when it is not one.
  const prefixOf = (dir: string): string | null => {
    let prefix = prefixes.get(dir);
    if (prefix !== undefined) return prefix;
    if (dir === '' || !pythonFiles.has(`${dir}/__init__.py`)) prefix = null;
    else {
      const slash = dir.lastIndexOf('/');
      const parent = slash < 0 ? null : prefixOf(dir.slice(0, slash));
      const base = dir.slice(slash + 1);
      prefix = parent === null ? base : `${parent}.${base}`;
    }
    prefixes.set(dir, prefix);
    return prefix;
  };
  return relPaths.map((relPath) => {
    const slash = relPath.lastIndexOf('/');
    const dir = slash < 0 ? '' : relPath.slice(0, slash);
    const stem = relPath.slice(slash + 1).replace(/\.py$/, '');
    const prefix = prefixOf(dir);
    if (stem === '__init__') return prefix ?? stem;
    return prefix === null ? stem : `${prefix}.${stem}`;
  });
}

/** Files that could be module `dotted`: an exact module-name match first, then any file whose path ends with it. */
export function resolveModule(dotted: string, modules: ReadonlyMap<string, string>): string | undefined {
  const exact = modules.get(dotted);
  if (exact) return exact;
  const suffixFile = `/${dotted.split('.').join('/')}.py`;
  const suffixPkg = `/${dotted.split('.').join('/')}/__init__.py`;
  for (const file of modules.values()) {
    if (`/${file}`.endsWith(suffixFile) || `/${file}`.endsWith(suffixPkg)) return file;
  }
  return undefined;
}

/**
 * Test code (pytest/unittest layout): `tests/` or `test/` folders, `test_*.py`, `*_test(s).py`, `conftest.py`.
 * Tests often run tasks eagerly (task_always_eager), so claims about workers and brokers do not hold there.
 */
export function isTestFile(relPath: string): boolean {
  let test = testFiles.get(relPath);
  if (test === undefined) {
    test = testPath(relPath);
    if (testFiles.size < 100_000) testFiles.set(relPath, test);
  }
  return test;
}

// Rules ask for every call site, thousands of times for the same few hundred files.
const testFiles = new Map<string, boolean>();

function testPath(relPath: string): boolean {
  const parts = relPath.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (parts.slice(0, -1).some((p) => p === 'tests' || p === 'test' || p === 'testing')) return true;
  return /^(test_.*|.*_tests?|conftest)\.py$/.test(name);
}
