import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import type { Span } from '../discover/location.js';
import { LineIndex } from './span.js';

export type { Node } from 'web-tree-sitter';

let parser: Parser | undefined;

/** Loads tree-sitter and the Python grammar shipped in `tree-sitter-python`; once per process. */
let initializing: Promise<void> | undefined;

/** Loads the grammar once; calls made while it loads share the one load. */
export function initPython(): Promise<void> {
  initializing ??= load().catch((e: unknown) => {
    initializing = undefined;
    throw e;
  });
  return initializing;
}

async function load(): Promise<void> {
  if (parser) return;
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

export interface PyFile {
  file: string;
  text: string;
  tree: Tree;
  lines: LineIndex;
  /** Syntax errors found by the parser (ERROR / MISSING nodes), with locations. */
  errors: { span: Span; message: string }[];
}

/** Parses eagerly; the caller owns the tree and must `tree.delete()` it (its memory is in the wasm heap, not GC'd). */
export function parsePython(file: string, text: string): PyFile {
  const tree = parseTree(file, text);
  const lines = new LineIndex(text);
  return { file, text, tree, lines, errors: syntaxErrors(tree, file, lines) };
}

/** Just the tree: for re-parsing a file whose errors and line index are already known. */
export function parseTree(file: string, text: string): Tree {
  if (!parser) throw new Error('initPython() must be awaited before parsing');
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${file}`);
  return tree;
}

export function syntaxErrors(tree: Tree, file: string, lines: LineIndex): PyFile['errors'] {
  const errors: PyFile['errors'] = [];
  if (tree.rootNode.hasError) collectErrors(tree.rootNode, file, lines, errors);
  return errors;
}

/** True when text parses as Python with no syntax error (used before writing a fix). */
export function parsesCleanly(text: string): boolean {
  if (!parser) throw new Error('initPython() must be awaited before parsing');
  const tree = parser.parse(text);
  const ok = !!tree && !tree.rootNode.hasError;
  tree?.delete();
  return ok;
}

function collectErrors(root: Node, file: string, lines: LineIndex, out: PyFile['errors']): void {
  // Iterative: a deeply nested broken expression must not overflow the stack.
  const stack: Node[] = [root];
  while (stack.length && out.length < 20) {
    const node = stack.pop()!;
    if (node.isMissing) {
      out.push({ span: lines.span(file, node.startIndex, node.endIndex), message: `syntax error: missing ${node.type}` });
      continue;
    }
    if (node.type === 'ERROR') {
      const snippet = node.text.split('\n')[0]?.slice(0, 40) ?? '';
      out.push({ span: lines.span(file, node.startIndex, node.endIndex), message: `syntax error near ${JSON.stringify(snippet)}` });
      continue;
    }
    const children = node.children.filter((c): c is Node => !!c && (c.hasError || c.isMissing));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  out.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

export function nodeSpan(py: PyFile, node: Node): Span {
  return py.lines.span(py.file, node.startIndex, node.endIndex);
}

/** The dotted text of an attribute chain / identifier (`app.conf.update`), or undefined for anything else. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const obj = dottedName(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    if (obj === undefined || !attr) return undefined;
    return `${obj}.${attr.text}`;
  }
  return undefined;
}

export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/** Positional and keyword arguments of a call's argument_list. */
export function callArguments(call: Node): { positional: Node[]; keywords: { name: string; nameNode: Node; value: Node; node: Node }[]; splats: Node[] } {
  const args = call.childForFieldName('arguments');
  const positional: Node[] = [];
  const keywords: { name: string; nameNode: Node; value: Node; node: Node }[] = [];
  const splats: Node[] = [];
  if (!args || args.type !== 'argument_list') return { positional, keywords, splats };
  for (const child of namedChildren(args)) {
    if (child.type === 'keyword_argument') {
      const nameNode = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (nameNode && value) keywords.push({ name: nameNode.text, nameNode, value, node: child });
    } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') {
      splats.push(child);
    } else if (child.type !== 'comment') {
      positional.push(child);
    }
  }
  return { positional, keywords, splats };
}

/** Calls tree-sitter's descendantsOfType, dropping nulls. */
export function descendants(node: Node, types: string | string[]): Node[] {
  return node.descendantsOfType(types).filter((n): n is Node => n !== null);
}

/** Nodes of several types from one walk of the tree, grouped by type (a file is walked once, not once per type). */
export class NodeIndex {
  private readonly byType = new Map<string, Node[]>();
  constructor(root: Node, types: readonly string[]) {
    for (const t of types) this.byType.set(t, []);
    for (const n of descendants(root, [...types])) this.byType.get(n.type)?.push(n);
  }
  of(type: string): Node[] {
    const nodes = this.byType.get(type);
    if (!nodes) throw new Error(`NodeIndex was not built for ${type}`);
    return nodes;
  }
}

/** The innermost enclosing node of one of the given types. */
export function enclosing(node: Node, types: string[]): Node | undefined {
  let cur = node.parent;
  while (cur) {
    if (types.includes(cur.type)) return cur;
    cur = cur.parent;
  }
  return undefined;
}
