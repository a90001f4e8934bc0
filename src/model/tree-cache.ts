import type { Tree } from 'web-tree-sitter';
import { parseTree, syntaxErrors, type PyFile } from '../parse/python.js';
import { LineIndex } from '../parse/span.js';

export interface TreeCacheLimits {
  /** At most this many trees are alive at once. */
  maxTrees: number;
  /** Trees are evicted while the texts they parse add up to more than this many characters... */
  maxChars: number;
  /** ...but the most recently used `minTrees` are kept whatever their size (star-import chains hold a few at once). */
  minTrees: number;
}

// A tree costs about 45 times its text in the wasm heap (≈0.5 MB for a 10 KB module), and that heap never
// shrinks and aborts at 2 GB; these bounds keep it near 150 MB on ordinary projects.
export const DEFAULT_LIMITS: TreeCacheLimits = { maxTrees: 64, maxChars: 3_000_000, minTrees: 16 };

export interface ParseStats {
  /** First parses of a file. */
  parses: number;
  /** Parses of a file whose tree had been evicted. */
  reparses: number;
  evictions: number;
  parseMs: number;
  /** Most trees alive at one time. */
  peakTrees: number;
}

export function emptyParseStats(): ParseStats {
  return { parses: 0, reparses: 0, evictions: 0, parseMs: 0, peakTrees: 0 };
}

interface Entry {
  file: string;
  text: string;
  tree?: Tree;
  lines?: LineIndex;
  errors?: PyFile['errors'];
}

/**
 * Parsed trees of a run, bounded: the least recently used tree is deleted (its wasm memory freed) when the
 * limits are passed, and parsed again if asked for later. A PyFile from `pyFile` is parsed on the first read
 * of `tree` or `errors`, so a source that only looks at `text` costs no parse.
 *
 * A tree stays valid while fewer than `minTrees` other files are parsed or touched; a caller must not keep
 * nodes of one file while it walks through many others.
 */
export class TreeCache {
  private readonly live = new Map<Entry, number>();
  private chars = 0;

  constructor(
    private readonly onSyntaxErrors: (file: string, errors: PyFile['errors']) => void,
    private readonly limits: TreeCacheLimits = DEFAULT_LIMITS,
    readonly stats: ParseStats = emptyParseStats(),
  ) {}

  pyFile(file: string, text: string): PyFile {
    const entry: Entry = { file, text };
    const cache = this;
    return {
      file,
      text,
      get tree() {
        return cache.treeOf(entry);
      },
      get lines() {
        entry.lines ??= new LineIndex(text);
        return entry.lines;
      },
      get errors() {
        if (!entry.errors) cache.treeOf(entry);
        return entry.errors ?? [];
      },
    };
  }

  /** Number of trees alive now. */
  get size(): number {
    return this.live.size;
  }

  /** Deletes every tree; PyFiles handed out stay usable (they parse again when read). */
  clear(): void {
    for (const entry of this.live.keys()) this.drop(entry);
  }

  private treeOf(entry: Entry): Tree {
    if (entry.tree) {
      // Map order is the recency order: move the entry to the end.
      const size = this.live.get(entry) ?? entry.text.length;
      this.live.delete(entry);
      this.live.set(entry, size);
      return entry.tree;
    }
    const t0 = performance.now();
    const tree = parseTree(entry.file, entry.text);
    if (entry.errors) {
      this.stats.reparses++;
    } else {
      this.stats.parses++;
      entry.lines ??= new LineIndex(entry.text);
      entry.errors = syntaxErrors(tree, entry.file, entry.lines);
      // Reported on the first parse only: a re-parse after eviction finds the same errors.
      if (entry.errors.length > 0) this.onSyntaxErrors(entry.file, entry.errors);
    }
    this.stats.parseMs += performance.now() - t0;
    entry.tree = tree;
    this.live.set(entry, entry.text.length);
    this.chars += entry.text.length;
    this.evict();
    this.stats.peakTrees = Math.max(this.stats.peakTrees, this.live.size);
    return tree;
  }

  private evict(): void {
    const { maxTrees, maxChars, minTrees } = this.limits;
    for (const entry of this.live.keys()) {
      if (this.live.size <= Math.max(1, minTrees)) break;
      if (this.live.size <= maxTrees && this.chars <= maxChars) break;
      this.drop(entry);
      this.stats.evictions++;
    }
  }

  private drop(entry: Entry): void {
    entry.tree?.delete();
    entry.tree = undefined;
    this.chars -= this.live.get(entry) ?? 0;
    this.live.delete(entry);
  }
}
