import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ParseProblem, VersionPin } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { makePin } from './pep508.js';
import { entrySpan, isTable, readToml, tableAt } from './toml-file.js';
import { findEntry } from './toml-spans.js';

/** Pins from a Pipfile: `[packages]` and `[dev-packages]`, as `"==5.3.4"`, `"*"` or `{version = "...", extras = [...]}`. */
export const pipfileSource: Source = {
  name: 'pipfile',
  collect(ctx) {
    const versions: VersionPin[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('pipfile')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const toml = readToml(file.path, text, problems);
      if (!toml) continue;
      for (const category of ['packages', 'dev-packages']) {
        for (const [name, value] of Object.entries(tableAt(toml.doc, [category]) ?? {})) {
          const spec = typeof value === 'string' ? value : isTable(value) && typeof value.version === 'string' ? value.version : undefined;
          if (spec === undefined) continue; // git, path and file packages have no version
          const pin = makePin(name, spec, file.path, entrySpan(toml, findEntry(toml.sections, [category, name])), 'pipfile');
          if (pin) versions.push(pin);
        }
      }
    }
    return { versions, problems };
  },
};

/** Exact versions from Pipfile.lock (`default` and `develop`); the span is the package's whole member. */
export const pipfileLockSource: Source = {
  name: 'pipfile.lock',
  collect(ctx) {
    const versions: VersionPin[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('pipfile.lock')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const lines = new LineIndex(text);
      const errors: ParseError[] = [];
      const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
      const first = errors[0];
      if (first || !root) {
        const at = first ? lines.span(file.path, first.offset, first.offset + first.length) : undefined;
        const message = `cannot parse JSON: ${first ? printParseErrorCode(first.error) : 'empty file'}`;
        problems.push(at ? { file: file.path, span: at, message, severity: 'warning' } : { file: file.path, message, severity: 'warning' });
        if (!root) continue;
      }
      for (const category of ['default', 'develop']) {
        const group = findNodeAtLocation(root, [category]);
        if (group?.type !== 'object') continue;
        for (const member of group.children ?? []) {
          const [key, value] = member.children ?? [];
          if (!key || !value || typeof key.value !== 'string') continue;
          const version: unknown = value.type === 'object' ? (getNodeValue(value) as Record<string, unknown>).version : undefined;
          if (typeof version !== 'string') continue; // editable and VCS entries carry no version
          const pin = makePin(key.value, version, file.path, lines.span(file.path, member.offset, member.offset + member.length), 'pipfile.lock');
          if (pin) versions.push(pin);
        }
      }
    }
    return { versions, problems };
  },
};
