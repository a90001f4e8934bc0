import type { DiscoveredFile, Discovery } from '../discover/walk.js';
import type { FileKind } from '../discover/classify.js';
import { readText } from '../discover/read.js';
import type { PyFile } from '../parse/python.js';
import type { ParseProblem } from '../model/types.js';
import type { ManyFacts, SourceContext } from './source.js';
import { DEFAULT_PARALLEL, runParallel, type JobResult, type ParallelOptions } from '../model/parallel.js';
import type { FactCache } from '../model/fact-cache.js';
import { DEFAULT_LIMITS, TreeCache, emptyParseStats, type ParseStats, type TreeCacheLimits } from '../model/tree-cache.js';

export interface ContextOptions {
  /** Bounds on the parsed trees kept alive at once (tests make them small). */
  limits?: Partial<TreeCacheLimits>;
  /** Filled in as the context reads and parses (the bench prints it). */
  stats?: ContextStats;
  /** On-disk per-file facts (see FactCache); none: every file is analysed. */
  factCache?: FactCache;
  /** False turns the sources' text pre-filters off. */
  prefilter?: boolean;
  /** Worker threads for sources that analyse many files (default: DEFAULT_PARALLEL). */
  parallel?: ParallelOptions;
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
    prefilter: options.prefilter ?? true,
    memoMany<T>(namespace: string, files: readonly DiscoveredFile[], spec: ManyFacts<T>): (T | undefined)[] {
      const prefilter = options.prefilter ?? true;
      const facts = prefilter ? options.factCache : undefined;
      const out: (T | undefined)[] = new Array(files.length);
      // Each file's problems are recorded in the order of `files` at the end, whichever thread found them and
      // whether they came from the cache, so a warm, cold or parallel run gives the same model.
      const found: ParseProblem[][] = new Array(files.length);
      const misses: { i: number; file: DiscoveredFile; text: string; finish?: (value: T, problems: ParseProblem[]) => void }[] = [];
      files.forEach((file, i) => {
        if (!facts) {
          const t = text(file);
          if (t !== undefined && (!prefilter || spec.filter(t))) misses.push({ i, file, text: t });
          return;
        }
        const read = () => text(file);
        const p = facts.probe<T>({ namespace, file, salt: spec.salt(file), read, filter: (t) => spec.filter(t), trustStat: !overlay?.has(file.path) });
        if (p.kind === 'hit') [out[i], found[i]] = [p.value, p.problems];
        else if (p.kind === 'miss') misses.push({ i, file, text: p.text, finish: p.finish });
      });
      const local = (j: number): JobResult<T> => {
        const before = problems.length;
        const value = spec.compute(misses[j]!.file);
        return { value, problems: problems.splice(before) };
      };
      const worker = spec.worker;
      const results = worker
        ? runParallel(misses.map((m) => ({ path: m.file.path, text: m.text, input: worker.input(m.file) })), worker.shared, worker.url, local, options.parallel ?? DEFAULT_PARALLEL)
        : misses.map((_, j) => local(j));
      misses.forEach((m, j) => {
        const r = results[j]!;
        [out[m.i], found[m.i]] = [r.value, r.problems];
        m.finish?.(r.value, r.problems);
      });
      for (const p of found) if (p) problems.push(...p);
      return out;
    },
    memo(namespace, file, salt, filter, compute) {
      const prefilter = options.prefilter ?? true;
      const facts = options.factCache;
      if (!facts || !prefilter) {
        const t = text(file);
        return t === undefined || (prefilter && !filter(t)) ? undefined : compute();
      }
      const trustStat = !overlay?.has(file.path);
      return facts.lookup({ namespace, file, salt, read: () => text(file), filter, compute, problems, trustStat });
    },
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
