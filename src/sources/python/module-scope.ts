import type { Value } from '../../model/types.js';
import { namedChildren, type Node, type PyFile } from '../../parse/python.js';
import { evaluate, stringValue } from '../../parse/pyvalue.js';

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

const COMPOUND = new Set(['if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'finally_clause', 'with_statement', 'block']);

/**
 * `NAME = value` statements inside module-level `if`/`elif`/`else`, `try`/`except`/`finally` and `with` blocks (not in
 * functions, classes or loops), in source order, each evaluated with the module's unconditional names.
 */
export function conditionalAssignments(py: PyFile): TopLevelAssignment[] {
  const scope = moduleScope(py);
  const out: TopLevelAssignment[] = [];
  const walk = (node: Node, inside: boolean) => {
    for (const child of namedChildren(node)) {
      if (COMPOUND.has(child.type)) {
        walk(child, true);
        continue;
      }
      if (!inside || child.type !== 'expression_statement') continue;
      const assign = namedChildren(child)[0];
      if (!assign || assign.type !== 'assignment') continue;
      const left = assign.childForFieldName('left');
      let valueNode = assign.childForFieldName('right');
      if (!left || left.type !== 'identifier' || !valueNode) continue;
      while (valueNode.type === 'assignment') {
        const inner: Node | null = valueNode.childForFieldName('right');
        if (!inner) break;
        valueNode = inner;
      }
      out.push({ name: left.text, nameNode: left, valueNode, statement: child, value: evaluate(py, valueNode, scope) });
    }
  };
  walk(py.tree.rootNode, false);
  return out;
}

/**
 * django-split-settings `include("base.py", optional("local.py"))` calls at module level (only in a file that imports
 * split_settings, so Django's URL `include` is never taken for one): each file pattern, relative to the including file.
 */
export function splitSettingsIncludes(py: PyFile): { pattern: string; optional: boolean }[] {
  const roots = namedChildren(py.tree.rootNode);
  const imported = roots.some((s) => s.type === 'import_from_statement' && /^split_settings\b/.test(s.childForFieldName('module_name')?.text ?? ''));
  if (!imported) return [];
  const out: { pattern: string; optional: boolean }[] = [];
  for (const stmt of roots) {
    if (stmt.type !== 'expression_statement') continue;
    const call = namedChildren(stmt)[0];
    if (call?.type !== 'call' || !/^(?:[\w.]+\.)?include$/.test(call.childForFieldName('function')?.text ?? '')) continue;
    const args = call.childForFieldName('arguments');
    if (!args) continue;
    for (const arg of namedChildren(args)) {
      const wrapped = arg.type === 'call' && /^(?:[\w.]+\.)?optional$/.test(arg.childForFieldName('function')?.text ?? '');
      const inner = wrapped ? arg.childForFieldName('arguments') : arg;
      const strNode = wrapped ? (inner ? namedChildren(inner)[0] : undefined) : arg;
      const pattern = strNode ? stringValue(strNode) : undefined;
      if (pattern !== undefined) out.push({ pattern, optional: wrapped });
    }
  }
  return out;
}

/** `Cls.load_settings(__name__)` statements at module level: the class names whose attributes become the module's. */
export function loadSettingsCalls(py: PyFile): string[] {
  const out: string[] = [];
  for (const stmt of namedChildren(py.tree.rootNode)) {
    const call = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
    const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
    if (obj?.type === 'identifier' && fn?.childForFieldName('attribute')?.text === 'load_settings') out.push(obj.text);
  }
  return out;
}

/** A module-level class by name, with its simple base names and body. */
export function findClass(py: PyFile, name: string): { bases: string[]; body: Node } | undefined {
  for (const stmt of namedChildren(py.tree.rootNode)) {
    const cls = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (cls?.type !== 'class_definition' || cls.childForFieldName('name')?.text !== name) continue;
    const body = cls.childForFieldName('body');
    if (!body) return undefined;
    const supers = cls.childForFieldName('superclasses');
    const bases = supers ? namedChildren(supers).filter((b) => b.type === 'identifier').map((b) => b.text) : [];
    return { bases, body };
  }
  return undefined;
}

/**
 * `NAME = value` statements directly in a class body, evaluated with the module's names (`moduleNames`, when the
 * caller has them already; it is not changed) and the class's earlier ones.
 */
export function classAssignments(py: PyFile, body: Node, moduleNames?: ReadonlyMap<string, Value>): TopLevelAssignment[] {
  const scope = new Map(moduleNames ?? moduleScope(py));
  const out: TopLevelAssignment[] = [];
  for (const stmt of namedChildren(body)) {
    const assign = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (assign?.type !== 'assignment') continue;
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    const value = evaluate(py, right, scope);
    scope.set(left.text, value);
    out.push({ name: left.text, nameNode: left, valueNode: right, statement: stmt, value });
  }
  return out;
}

/** Where a name bound at module level is imported from (`from .base import Base as Name` → `.base`, `Base`). */
export function importedFrom(py: PyFile, name: string): { module: string; name: string } | undefined {
  const found = fromImports(py).find((i) => i.bound === name);
  return found && { module: found.module, name: found.name };
}

/** Every `from module import name [as bound]` at module level, the module as written (relative ones too). */
export function fromImports(py: PyFile): { module: string; name: string; bound: string }[] {
  const out: { module: string; name: string; bound: string }[] = [];
  for (const stmt of namedChildren(py.tree.rootNode)) {
    if (stmt.type !== 'import_from_statement') continue;
    const module = stmt.childForFieldName('module_name')?.text;
    if (!module) continue;
    for (const n of stmt.childrenForFieldName('name')) {
      const aliased = n?.type === 'aliased_import';
      const bound = aliased ? n.childForFieldName('alias')?.text : n?.text;
      const name = aliased ? n.childForFieldName('name')?.text : n?.text;
      if (name && bound) out.push({ module, name, bound });
    }
  }
  return out;
}
