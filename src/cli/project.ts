import fs from 'node:fs';
import path from 'node:path';
import { MissingPathError } from '../discover/walk.js';
import { findConfig, loadConfig, loadConfigFile, type LoadedConfig } from './config.js';
import { UsageError } from './io.js';

export interface Project {
  root: string;
  /** Relative files/folders findings are limited to, or undefined for the whole project. */
  scope?: string[];
  config?: LoadedConfig;
}

/**
 * Where a `check` runs and with which configuration. With --config, that file, and the root as without a
 * configuration. With --root, the configuration in that folder. Otherwise the configuration is looked for from
 * the first path (or the current folder) upward, as Ruff does, and the folder it is found in is the project root:
 * the model is built from the whole project and findings are kept for the paths given.
 */
export function resolveProject(cwd: string, paths: string[], opts: { root?: string; config?: string }): Project {
  for (const p of paths) {
    if (!fs.existsSync(path.resolve(cwd, p))) throw new MissingPathError(`celery-lint: path not found: ${p}`);
  }
  if (opts.config) {
    const config = loadConfigFile(path.resolve(cwd, opts.config), opts.config);
    const { root, rel } = resolveRoot(cwd, paths, opts.root);
    return { root, scope: reportScope(root, rel), config };
  }
  if (opts.root) {
    const { root, rel } = resolveRoot(cwd, paths, opts.root);
    return { root, scope: reportScope(root, rel), config: loadConfig(root) };
  }
  const first = path.resolve(cwd, paths[0] ?? '.');
  const found = findConfig(isDir(first) ? first : path.dirname(first));
  if (!found) {
    const { root, rel } = resolveRoot(cwd, paths);
    return { root, scope: reportScope(root, rel) };
  }
  // Run from a subfolder without paths, the findings are those of that subfolder, as with Ruff.
  const rel = (paths.length ? paths : ['.']).map((p) => path.relative(found.dir, path.resolve(cwd, p)));
  const outside = rel.findIndex((r) => r === '..' || r.startsWith(`..${path.sep}`) || path.isAbsolute(r));
  if (outside >= 0) {
    throw new UsageError(`celery-lint: ${paths[outside]} is outside the project at ${found.dir} (configured in ${found.loaded.file}); pass --root or --config`);
  }
  return { root: found.dir, scope: reportScope(found.dir, rel), config: found.loaded };
}

function reportScope(root: string, rel: string[]): string[] | undefined {
  const scoped = rel.map((r) => r.split(path.sep).join('/')).filter((r) => r !== '.' && r !== '');
  if (scoped.length === 0) return undefined;
  for (const r of scoped) {
    if (!fs.existsSync(path.join(root, r))) throw new UsageError(`celery-lint: path not found: ${r}`);
  }
  return scoped;
}

/** Whether a file (relative to the root) is inside the report scope. */
export function inScope(scope: readonly string[] | undefined, file: string): boolean {
  return !scope || scope.some((s) => file === s || file.startsWith(`${s.replace(/\/$/, '')}/`));
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The project root is --root, or the single folder given, or the current folder; paths are made relative to it.
 */
export function resolveRoot(cwd: string, paths: string[], rootOpt?: string): { root: string; rel: string[] } {
  if (rootOpt) {
    const root = path.resolve(cwd, rootOpt);
    if (!isDir(root)) throw new UsageError(`celery-lint: --root is not a folder: ${rootOpt}`);
    return { root, rel: paths.map((p) => path.relative(root, path.resolve(cwd, p)) || '.') };
  }
  if (paths.length === 1 && paths[0] !== undefined) {
    const abs = path.resolve(cwd, paths[0]);
    if (!fs.existsSync(abs)) throw new MissingPathError(`celery-lint: path not found: ${paths[0]}`);
    if (isDir(abs)) return { root: abs, rel: [] };
  }
  return { root: cwd, rel: paths };
}
