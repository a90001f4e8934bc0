import type { ParseProblem, VersionPin } from '../../model/types.js';
import type { Source } from '../source.js';
import { makePin, parseRequirement } from './pep508.js';
import { entrySpan, isTable, readToml, tableAt, type TomlFile } from './toml-file.js';
import { findEntry } from './toml-spans.js';

/**
 * Pins from pyproject.toml: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735
 * `[dependency-groups]`, uv's `tool.uv.dev-dependencies`, and Poetry's `[tool.poetry.dependencies]`,
 * dev-dependencies and `[tool.poetry.group.<name>.dependencies]`.
 */
export const pyprojectSource: Source = {
  name: 'pyproject',
  collect(ctx) {
    const versions: VersionPin[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('pyproject')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const toml = readToml(file.path, text, problems);
      if (!toml) continue;
      for (const keyPath of pep508Arrays(toml)) versions.push(...fromPep508Array(toml, keyPath, problems));
      for (const keyPath of poetryTables(toml)) versions.push(...fromPoetryTable(toml, keyPath));
    }
    return { versions, problems };
  },
};

function pep508Arrays(toml: TomlFile): string[][] {
  const out = [['project', 'dependencies'], ['tool', 'uv', 'dev-dependencies']];
  for (const table of [['project', 'optional-dependencies'], ['dependency-groups']]) {
    for (const name of Object.keys(tableAt(toml.doc, table) ?? {})) out.push([...table, name]);
  }
  return out;
}

function poetryTables(toml: TomlFile): string[][] {
  const out = [['tool', 'poetry', 'dependencies'], ['tool', 'poetry', 'dev-dependencies']];
  for (const group of Object.keys(tableAt(toml.doc, ['tool', 'poetry', 'group']) ?? {})) out.push(['tool', 'poetry', 'group', group, 'dependencies']);
  return out;
}

function fromPep508Array(toml: TomlFile, keyPath: string[], problems: ParseProblem[]): VersionPin[] {
  const parent = tableAt(toml.doc, keyPath.slice(0, -1));
  const values = parent?.[keyPath[keyPath.length - 1] ?? ''];
  if (!Array.isArray(values)) return [];
  const entry = findEntry(toml.sections, keyPath);
  const out: VersionPin[] = [];
  values.forEach((value, index) => {
    if (typeof value !== 'string') return; // `{include-group = "..."}` in dependency groups
    const node = entry?.value.items[index];
    const span = node ? toml.span(node.start, node.end) : entrySpan(toml, entry);
    const req = parseRequirement(value);
    if (!req) {
      problems.push({ file: toml.file, span, severity: 'warning', message: `cannot read requirement ${JSON.stringify(value.slice(0, 80))} in ${keyPath.join('.')}` });
      return;
    }
    if (req.url) return;
    const pin = makePin(req.package, req.spec, toml.file, span, 'pyproject');
    if (pin) out.push(pin);
  });
  return out;
}

function fromPoetryTable(toml: TomlFile, keyPath: string[]): VersionPin[] {
  const table = tableAt(toml.doc, keyPath);
  if (!table) return [];
  const out: VersionPin[] = [];
  for (const [name, value] of Object.entries(table)) {
    if (name === 'python') continue;
    const entry = findEntry(toml.sections, [...keyPath, name]);
    // One dependency may list several constraints, each for its own Python or platform.
    const forms = Array.isArray(value) ? value : [value];
    forms.forEach((form, index) => {
      const spec = typeof form === 'string' ? form : isTable(form) && typeof form.version === 'string' ? form.version : undefined;
      if (spec === undefined) return; // git, path and url dependencies have no version
      const node = Array.isArray(value) ? entry?.value.items[index] : undefined;
      const pin = makePin(name, spec, toml.file, node ? toml.span(node.start, node.end) : entrySpan(toml, entry), 'poetry');
      if (pin) out.push(pin);
    });
  }
  return out;
}
