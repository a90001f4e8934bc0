import { classify } from '../../../src/discover/classify.js';
import type { DiscoveredFile } from '../../../src/discover/walk.js';
import type { Span } from '../../../src/model/types.js';
import { parsePython, type PyFile } from '../../../src/parse/python.js';
import type { SourceContext } from '../../../src/sources/source.js';

/**
 * An in-memory SourceContext over {relative path: text}; kinds come from the real classifier, files it does not
 * classify are left out of `files` (as discovery does) but can still be read, like an included `base.txt`.
 * Python needs `await initPython()` first.
 */
export function memoryContext(files: Record<string, string>): SourceContext {
  const discovered: DiscoveredFile[] = Object.entries(files).flatMap(([path, text]) => {
    const kind = classify(path);
    return kind ? [{ path, abs: `/memory/${path}`, kind, size: text.length }] : [];
  });
  const parsed = new Map<string, PyFile>();
  return {
    root: '/memory',
    files: discovered,
    filesOfKind: (...k) => discovered.filter((f) => k.includes(f.kind)),
    text: (f) => files[f.path],
    python(f) {
      const text = files[f.path];
      if (text === undefined) return undefined;
      const py = parsed.get(f.path) ?? parsePython(f.path, text);
      parsed.set(f.path, py);
      return py;
    },
  };
}

/** `line:column-line:column` of a span, for compact exact assertions. */
export function at(span: Span | undefined): string {
  return span ? `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}` : 'none';
}

/** The file text a span covers. */
export function textOf(files: Record<string, string>, span: Span): string {
  return (files[span.file] ?? '').slice(span.start.offset, span.end.offset);
}
