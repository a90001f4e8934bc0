import type { DiscoveredFile, Discovery } from '../discover/walk.js';
import type { FileKind } from '../discover/classify.js';
import { readText } from '../discover/read.js';
import type { PyFile } from '../parse/python.js';
import type { ParseProblem } from './types.js';
import type { SourceContext } from '../sources/source.js';
import { DEFAULT_LIMITS, TreeCache, emptyParseStats, type ParseStats, type TreeCacheLimits } from './tree-cache.js';

export interface ContextOptions {
  /** Bounds on the parsed trees kept alive at once (tests make them small). */
  limits?: Partial<TreeCacheLimits>;
  /** Filled in as the context reads and parses (the bench prints it). */
  stats?: ContextStats;
}

export interface ContextStats extends ParseStats {
  reads: number;
  readMs: number;
}

export function emptyContextStats(): ContextStats {
  return { ...emptyParseStats(), reads: 0, readMs: 0 };
}

// Trees live in the wasm heap, which the GC does not see: a context dropped with trees still cached frees them here.
const orphanedTrees = new FinalizationRegistry<TreeCache>((cache) => cache.clear());

/**
 * A SourceContext over a discovery: each file is read once; a Python file is parsed when a source first reads
 * its tree, and only a bounded number of trees stay alive (see TreeCache), re-parsed if needed again.
 */
export function createContext(discovery: Discovery, problems: ParseProblem[], overlay?: ReadonlyMap<string, string>, options: ContextOptions = {}): SourceContext {
  const stats = options.stats ?? emptyContextStats();
  const texts = new Map<string, string | undefined>();
  const pyFiles = new Map<string, PyFile | undefined>();
  const cache = new TreeCache(
    (file, errors) => {
      for (const e of errors) problems.push({ file, span: e.span, severity: 'error', message: e.message });
    },
    { ...DEFAULT_LIMITS, ...options.limits },
    stats,
  );
  const text = (file: DiscoveredFile): string | undefined => {
    if (texts.has(file.path)) return texts.get(file.path);
    // Fixes are tried in memory first: an overlay holds the edited text of files not written yet.
    const edited = overlay?.get(file.path);
    if (edited !== undefined) {
      texts.set(file.path, edited);
      return edited;
    }
    const t0 = performance.now();
    const r = readText(file.abs, file.path);
    stats.readMs += performance.now() - t0;
    stats.reads++;
    const value = r.ok ? r.text : undefined;
    if (!r.ok) problems.push(r.problem);
    texts.set(file.path, value);
    return value;
  };
  const ctx: SourceContext = {
    root: discovery.root,
    files: discovery.files,
    filesOfKind: (...kinds: FileKind[]) => discovery.files.filter((f) => kinds.includes(f.kind)),
    text,
    dispose: () => cache.clear(),
    python(file) {
      if (pyFiles.has(file.path)) return pyFiles.get(file.path);
      const t = text(file);
      const py = t === undefined ? undefined : cache.pyFile(file.path, t);
      pyFiles.set(file.path, py);
      return py;
    },
  };
  orphanedTrees.register(ctx, cache);
  return ctx;
}
