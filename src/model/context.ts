import type { DiscoveredFile, Discovery } from '../discover/walk.js';
import type { FileKind } from '../discover/classify.js';
import { readText } from '../discover/read.js';
import { parsePython, type PyFile } from '../parse/python.js';
import type { ParseProblem } from './types.js';
import type { SourceContext } from '../sources/source.js';

/** A SourceContext over a discovery: each file is read once and each Python file parsed once. */
export function createContext(discovery: Discovery, problems: ParseProblem[], overlay?: ReadonlyMap<string, string>): SourceContext {
  const texts = new Map<string, string | undefined>();
  const parsed = new Map<string, PyFile | undefined>();
  const text = (file: DiscoveredFile): string | undefined => {
    if (texts.has(file.path)) return texts.get(file.path);
    // Fixes are tried in memory first: an overlay holds the edited text of files not written yet.
    const edited = overlay?.get(file.path);
    if (edited !== undefined) {
      texts.set(file.path, edited);
      return edited;
    }
    const r = readText(file.abs, file.path);
    const value = r.ok ? r.text : undefined;
    if (!r.ok) problems.push(r.problem);
    texts.set(file.path, value);
    return value;
  };
  return {
    root: discovery.root,
    files: discovery.files,
    filesOfKind: (...kinds: FileKind[]) => discovery.files.filter((f) => kinds.includes(f.kind)),
    text,
    python(file) {
      if (parsed.has(file.path)) return parsed.get(file.path);
      const t = text(file);
      const py = t === undefined ? undefined : parsePython(file.path, t);
      if (py) {
        for (const e of py.errors) problems.push({ file: file.path, span: e.span, severity: 'error', message: e.message });
      }
      parsed.set(file.path, py);
      return py;
    },
  };
}
