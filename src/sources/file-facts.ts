import type { DiscoveredFile } from '../discover/walk.js';
import type { ManyFacts, SourceContext } from './source.js';

/**
 * One file's facts through the context's cache (see SourceContext.memo): undefined when the file cannot be read
 * or the pre-filter turns it down. A context without `memo` (hand-made in tests) reads and computes every time.
 */
export function fileFacts<T>(ctx: SourceContext, namespace: string, file: DiscoveredFile, salt: string, filter: (text: string) => boolean, compute: () => T): T | undefined {
  if (ctx.memo) return ctx.memo(namespace, file, salt, filter, compute);
  const text = ctx.text(file);
  if (text === undefined || (ctx.prefilter !== false && !filter(text))) return undefined;
  return compute();
}

/** `fileFacts` for many files at once (see SourceContext.memoMany), in the order of `files`. */
export function manyFileFacts<T>(ctx: SourceContext, namespace: string, files: readonly DiscoveredFile[], spec: ManyFacts<T>): (T | undefined)[] {
  if (ctx.memoMany) return ctx.memoMany(namespace, files, spec);
  return files.map((f) => fileFacts(ctx, namespace, f, spec.salt(f), (t) => spec.filter(t), () => spec.compute(f)));
}
