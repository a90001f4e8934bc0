import type { Value } from '../../model/types.js';
import { namedChildren, type Node, type PyFile } from '../../parse/python.js';
import { evaluate } from '../../parse/pyvalue.js';

export interface TopLevelAssignment {
  name: string;
  nameNode: Node;
  valueNode: Node;
  /** The whole statement. */
  statement: Node;
  value: Value;
}

/** Module-level `NAME = value` / `NAME: T = value` statements, in order, each evaluated with the names bound before it. */
export function topLevelAssignments(py: PyFile, initial?: Map<string, Value>): TopLevelAssignment[] {
  const scope = new Map<string, Value>(initial);
  const out: TopLevelAssignment[] = [];
  for (const stmt of namedChildren(py.tree.rootNode)) {
    if (stmt.type !== 'expression_statement') continue;
    const assign = namedChildren(stmt)[0];
    if (!assign || assign.type !== 'assignment') continue;
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (!left || left.type !== 'identifier' || !right) continue;
    // `A = B = value` nests an assignment on the right
    let valueNode = right;
    while (valueNode.type === 'assignment') {
      const inner = valueNode.childForFieldName('right');
      if (!inner) break;
      valueNode = inner;
    }
    const value = evaluate(py, valueNode, scope);
    scope.set(left.text, value);
    out.push({ name: left.text, nameNode: left, valueNode, statement: stmt, value });
  }
  return out;
}

/** Names bound at module level, for evaluating expressions that refer to them. */
export function moduleScope(py: PyFile): Map<string, Value> {
  const scope = new Map<string, Value>();
  for (const a of topLevelAssignments(py)) scope.set(a.name, a.value);
  return scope;
}

/** `from X import *` statements at module level, with the (possibly relative) module text. */
export function starImports(py: PyFile): { module: string; node: Node }[] {
  const out: { module: string; node: Node }[] = [];
  for (const stmt of namedChildren(py.tree.rootNode)) {
    if (stmt.type !== 'import_from_statement') continue;
    if (!namedChildren(stmt).some((c) => c.type === 'wildcard_import')) continue;
    const mod = stmt.childForFieldName('module_name');
    if (mod) out.push({ module: mod.text, node: stmt });
  }
  return out;
}

/** Resolves a possibly relative module reference (`.base`, `..settings.base`) against the importing module. */
export function absoluteModule(ref: string, importer: string, importerIsPackage: boolean): string {
  if (!ref.startsWith('.')) return ref;
  const dots = ref.length - ref.replace(/^\.+/, '').length;
  const rest = ref.slice(dots);
  const parts = importer.split('.');
  const pkg = importerIsPackage ? parts : parts.slice(0, -1);
  const base = pkg.slice(0, Math.max(0, pkg.length - (dots - 1)));
  return [...base, ...(rest ? [rest] : [])].join('.');
}
