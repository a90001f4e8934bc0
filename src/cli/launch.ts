import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/*
 * Runs the one-file CommonJS bundle with a V8 code cache, as Node 22's module.enableCompileCache() does (Node 20 has
 * no such switch): compiling the 1.3 MB bundle and then each function it calls took ~30 ms of every run. The cache
 * holds the bytecode of everything the previous run compiled; V8 checks it against the source and its own version
 * and flags, and rejects a stale or damaged one, which is then compiled as usual and written again.
 */

/**
 * Where code caches live: the user's cache folder (XDG_CACHE_HOME, else ~/.cache), not a shared temporary folder: code
 * read from a cache is run, so another user must not be able to write it.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'celery-lint', 'compile');
}

/** A cache file is read only from a folder this user owns and nobody else may write. */
function trusted(dir: string): boolean {
  try {
    const st = fs.statSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

export function launch(bundle: string, cacheDir: string | undefined = process.env.CELERY_LINT_COMPILE_CACHE === '0' ? undefined : codeCacheDir()): void {
  const source = fs.readFileSync(bundle, 'utf8');
  const cacheFile = cacheDir && path.join(cacheDir, `${createHash('sha1').update(source).update(process.version).digest('hex').slice(0, 20)}.bin`);
  let cachedData: Buffer | undefined;
  if (cacheFile && trusted(cacheDir!)) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  // Only a run that lints writes the cache: one written by `--version` would hold little of the code a check runs,
  // and, accepted from then on, would never be replaced.
  if (cacheFile && (!cachedData || script.cachedDataRejected) && lints(process.argv.slice(2))) {
    // After the run, so that the functions it compiled are in the cache too.
    process.once('exit', () => {
      writeAtomically(cacheFile, () => script.createCachedData());
      pruneOthers(cacheFile);
    });
  }
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
}

function lints(argv: string[]): boolean {
  return argv.some((a) => a === 'check' || a === 'migrate-check' || a === 'inspect');
}

/** Caches of earlier bundles (one per upgrade or rebuild) are dead weight: the few newest are kept. */
function pruneOthers(keep: string): void {
  try {
    const dir = path.dirname(keep);
    const others = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.bin') && path.join(dir, n) !== keep)
      .map((n) => ({ file: path.join(dir, n), mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of others.slice(3)) fs.rmSync(old.file, { force: true });
  } catch {
    // pruning is housekeeping: a failure changes nothing else
  }
}

function writeAtomically(file: string, data: () => Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    if (!trusted(path.dirname(file))) return;
    fs.writeFileSync(tmp, data());
    fs.renameSync(tmp, file);
  } catch {
    // A cache that cannot be written costs the next run its ~30 ms, nothing else.
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing more to do */
    }
  }
}
