import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ParseProblem } from './location.js';
import { classify, classifyByContent, type FileKind } from './classify.js';

export interface DiscoveredFile {
  /** Relative to the project root, forward slashes. */
  path: string;
  abs: string;
  kind: FileKind;
  size: number;
  /** From the same stat as `size`: the fact cache trusts an unchanged size and times without reading the file. */
  mtimeMs?: number;
  ctimeMs?: number;
}

export interface DiscoverOptions {
  /** Extra glob-style exclude patterns (gitignore syntax). */
  exclude?: string[];
  /** Files larger than this are skipped with a warning. */
  maxFileBytes?: number;
}

export interface Discovery {
  root: string;
  files: DiscoveredFile[];
  problems: ParseProblem[];
}

const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', 'site-packages', 'dist-packages', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.eggs', 'dist', '.venv', 'venv', 'virtualenv',
  '.direnv', '.idea', '.vscode', 'htmlcov', '.celery-lint-cache', 'bower_components', '.next', 'coverage',
]);

/**
 * A `build/` folder that setuptools filled (build/lib, build/bdist.linux-x86_64, build/temp.*) holds copies of the
 * sources; any other `build/` (timesketch's docker/release/build/ with its entrypoint) is the project's own.
 */
function isBuildOutput(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => /^(lib|bdist|temp|scripts)([.-]|$)/.test(n));
  } catch {
    return true;
  }
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export class MissingPathError extends Error {}

/**
 * Walks the given paths under `root`, honouring .gitignore files (root and nested), skipping virtualenvs and
 * build output, and never following a symlinked directory twice (loops terminate).
 */
export function discover(root: string, paths: string[], opts: DiscoverOptions = {}): Discovery {
  const absRoot = path.resolve(root);
  const problems: ParseProblem[] = [];
  const files: DiscoveredFile[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const extra = ignore().add(opts.exclude ?? []);
  const excludes = (opts.exclude ?? []).length > 0;

  const rel = (abs: string) => path.relative(absRoot, abs).split(path.sep).join('/');

  // Names are classified before anything is stat'ed: a project has many files celery-lint never reads.
  const visitFile = (abs: string, relPath: string, st: fs.Stats | undefined, ignorers: Ignorer[]) => {
    if (seenFiles.has(relPath)) return;
    let kind = classify(relPath);
    if (!kind && path.posix.basename(relPath).includes('.')) return;
    if (isIgnored(ignorers, abs, false) || (excludes && relPath && extra.ignores(relPath))) return;
    kind ??= classifyByContent(relPath, abs);
    if (!kind) return;
    if (!st) {
      try {
        st = fs.statSync(abs);
      } catch {
        return; // gone since the listing
      }
    }
    seenFiles.add(relPath);
    if (st.size > maxBytes) {
      problems.push({ file: relPath, severity: 'warning', message: `skipped: file is ${(st.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit` });
      return;
    }
    files.push({ path: relPath, abs, kind, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
  };

  const visitDir = (abs: string, relDir: string, ignorers: Ignorer[]) => {
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      problems.push({ file: relDir || '.', severity: 'warning', message: 'skipped: cannot resolve directory (broken link?)' });
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: relDir || '.', severity: 'warning', message: `skipped: cannot read directory (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    if (entries.some((e) => e.name === 'pyvenv.cfg') && abs !== absRoot) return; // a virtualenv
    const local = loadGitignore(abs);
    const here = local ? [...ignorers, local] : ignorers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = path.join(abs, entry.name);
      const childRel = relDir ? `${relDir}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let st: fs.Stats | undefined;
      if (!isDir && !isFile) {
        // a symbolic link (followed) or a file system that does not report types
        try {
          st = fs.statSync(child);
        } catch {
          if (entry.isSymbolicLink()) problems.push({ file: childRel, severity: 'warning', message: 'skipped: broken symbolic link' });
          continue;
        }
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        if (SKIP_DIRS.has(entry.name) || entry.name.endsWith('.egg-info') || (entry.name === 'build' && isBuildOutput(child))) continue;
        if (isIgnored(here, child, true) || (excludes && extra.ignores(`${childRel}/`))) continue;
        visitDir(child, childRel, here);
      } else if (isFile) {
        visitFile(child, childRel, st, here);
      }
    }
  };

  const rootIgnorers = ancestorsGitignores(absRoot);
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(absRoot, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new MissingPathError(`celery-lint: path not found: ${p}`);
    }
    if (st.isDirectory()) visitDir(abs, rel(abs), rootIgnorers);
    else if (st.isFile()) visitFile(abs, rel(abs), st, []);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: absRoot, files, problems };
}

interface Ignorer {
  base: string;
  ig: Ignore;
}

function loadGitignore(dir: string): Ignorer | undefined {
  const file = path.join(dir, '.gitignore');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return { base: dir, ig: ignore().add(text) };
}

/** .gitignore files above the root still apply when the root is a folder inside a repository. */
function ancestorsGitignores(root: string): Ignorer[] {
  const out: Ignorer[] = [];
  let dir = path.dirname(root);
  if (fs.existsSync(path.join(root, '.git'))) return out;
  while (true) {
    const gi = loadGitignore(dir);
    if (gi) out.unshift(gi);
    if (fs.existsSync(path.join(dir, '.git'))) return out;
    const parent = path.dirname(dir);
    if (parent === dir) return []; // not inside a repository: those files are not ours
    dir = parent;
  }
}

function isIgnored(ignorers: Ignorer[], abs: string, isDir: boolean): boolean {
  for (const { base, ig } of ignorers) {
    const r = path.relative(base, abs).split(path.sep).join('/');
    if (!r || r.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${r}/` : r)) return true;
  }
  return false;
}
