import type { ParseProblem, VersionPin } from '../../model/types.js';
import type { FileKind } from '../../discover/classify.js';
import type { Source } from '../source.js';
import { makePin } from './pep508.js';
import { entrySpan, isTable, readToml } from './toml-file.js';
import { findInArrayTable } from './toml-spans.js';

/** Exact versions from a lock file's `[[package]]` tables; the span is the table's `name = "..."` entry. */
function lockSource(kind: Extract<FileKind, 'poetry.lock' | 'uv.lock'>): Source {
  return {
    name: kind,
    collect(ctx) {
      const versions: VersionPin[] = [];
      const problems: ParseProblem[] = [];
      for (const file of ctx.filesOfKind(kind)) {
        const text = ctx.text(file);
        if (text === undefined) continue;
        const toml = readToml(file.path, text, problems);
        const packages = toml?.doc.package;
        if (!toml || !Array.isArray(packages)) continue;
        packages.forEach((entry: unknown, index) => {
          if (!isTable(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') return;
          const span = entrySpan(toml, findInArrayTable(toml.sections, ['package'], index, ['name']));
          const pin = makePin(entry.name, `==${entry.version}`, file.path, span, kind);
          if (pin) versions.push(pin);
        });
      }
      return { versions, problems };
    },
  };
}

export const poetryLockSource = lockSource('poetry.lock');
export const uvLockSource = lockSource('uv.lock');
