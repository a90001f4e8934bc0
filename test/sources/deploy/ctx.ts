import { classify } from '../../../src/discover/classify.js';
import type { DiscoveredFile } from '../../../src/discover/walk.js';
import type { SourceContext } from '../../../src/sources/source.js';

/** An in-memory SourceContext over {relative path: text}; kinds come from the real classifier. */
export function memoryContext(files: Record<string, string>, kinds: Record<string, DiscoveredFile['kind']> = {}): SourceContext {
  const discovered: DiscoveredFile[] = Object.entries(files).flatMap(([path, text]) => {
    const kind = kinds[path] ?? classify(path);
    return kind ? [{ path, abs: `/memory/${path}`, kind, size: text.length }] : [];
  });
  return {
    root: '/memory',
    files: discovered,
    filesOfKind: (...k) => discovered.filter((f) => k.includes(f.kind)),
    text: (f) => files[f.path],
    python: () => undefined,
  };
}

/** `line:column` of a span's start and end, for compact exact assertions. */
export function at(span: { start: { line: number; column: number }; end: { line: number; column: number } }): string {
  return `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;
}

/** The file text a span covers. */
export function textOf(files: Record<string, string>, span: { file: string; start: { offset: number }; end: { offset: number } }): string {
  return (files[span.file] ?? '').slice(span.start.offset, span.end.offset);
}
