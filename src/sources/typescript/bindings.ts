import type { Node, SourceFile } from 'ts-morph';
import type { ProducerLibraryName } from '../../model/types.js';
import { tsMorph } from './load.js';

export const LIBRARIES: readonly ProducerLibraryName[] = ['celery-node', 'celery-ts'];

/** What a local name of a file refers to in a producer library: the module itself, or one of its exports. */
export type LibraryBinding = { library: ProducerLibraryName; export?: string };

/**
 * The file's bindings to celery-node / celery-ts: `import * as c from`, `import c from`, `import {createClient as
 * cc} from`, `const c = require(...)`, `const {createClient} = require(...)`.
 */
export function libraryBindings(sf: SourceFile): Map<string, LibraryBinding> {
  const { Node: N, SyntaxKind } = tsMorph();
  const out = new Map<string, LibraryBinding>();
  for (const decl of sf.getImportDeclarations()) {
    const library = asLibrary(decl.getModuleSpecifierValue());
    if (!library) continue;
    const ns = decl.getNamespaceImport();
    if (ns) out.set(ns.getText(), { library });
    const def = decl.getDefaultImport();
    if (def) out.set(def.getText(), { library });
    for (const named of decl.getNamedImports()) out.set(named.getAliasNode()?.getText() ?? named.getName(), { library, export: named.getName() });
  }
  for (const eq of sf.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration)) {
    const library = asLibrary(eq.getModuleReference().getText().replace(/^require\((['"])(.*)\1\)$/, '$2'));
    if (library) out.set(eq.getName(), { library });
  }
  for (const decl of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    const library = init ? requiredLibrary(init) : undefined;
    if (!library) continue;
    const name = decl.getNameNode();
    if (N.isIdentifier(name)) out.set(name.getText(), { library });
    else if (N.isObjectBindingPattern(name)) {
      for (const el of name.getElements()) {
        const exported = el.getPropertyNameNode()?.getText() ?? el.getName();
        out.set(el.getName(), { library, export: exported });
      }
    }
  }
  return out;
}

/** `require('celery-node')` (also `require('celery-node').default`)'s library. */
export function requiredLibrary(node: Node): ProducerLibraryName | undefined {
  const { Node: N } = tsMorph();
  const inner = N.isPropertyAccessExpression(node) && node.getName() === 'default' ? node.getExpression() : node;
  if (!N.isCallExpression(inner) || inner.getExpression().getText() !== 'require') return undefined;
  const arg = inner.getArguments()[0];
  return arg && N.isStringLiteral(arg) ? asLibrary(arg.getLiteralValue()) : undefined;
}

function asLibrary(specifier: string): ProducerLibraryName | undefined {
  return LIBRARIES.find((l) => specifier === l || specifier.startsWith(`${l}/`));
}

/**
 * The library export a callee names: `createClient` (named import), `celery.createClient` (namespace),
 * `require('celery-node').createClient`.
 */
export function calleeExport(callee: Node, bindings: Map<string, LibraryBinding>): { library: ProducerLibraryName; name: string } | undefined {
  const { Node: N } = tsMorph();
  if (N.isIdentifier(callee)) {
    const b = bindings.get(callee.getText());
    return b?.export ? { library: b.library, name: b.export } : undefined;
  }
  if (N.isPropertyAccessExpression(callee)) {
    const target = callee.getExpression();
    const lib = N.isIdentifier(target) ? bindings.get(target.getText()) : undefined;
    if (lib && !lib.export) return { library: lib.library, name: callee.getName() };
    const required = requiredLibrary(target);
    if (required) return { library: required, name: callee.getName() };
  }
  return undefined;
}

/** Relative module specifiers a file imports names from: local name → {specifier, exported name}. */
export function relativeImports(sf: SourceFile): Map<string, { specifier: string; name: string }> {
  const { Node: N, SyntaxKind } = tsMorph();
  const out = new Map<string, { specifier: string; name: string }>();
  for (const decl of sf.getImportDeclarations()) {
    const spec = decl.getModuleSpecifierValue();
    if (!spec.startsWith('.')) continue;
    const def = decl.getDefaultImport();
    if (def) out.set(def.getText(), { specifier: spec, name: 'default' });
    for (const named of decl.getNamedImports()) out.set(named.getAliasNode()?.getText() ?? named.getName(), { specifier: spec, name: named.getName() });
  }
  for (const decl of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    if (!init || !N.isCallExpression(init) || init.getExpression().getText() !== 'require') continue;
    const arg = init.getArguments()[0];
    if (!arg || !N.isStringLiteral(arg) || !arg.getLiteralValue().startsWith('.')) continue;
    const name = decl.getNameNode();
    if (!N.isObjectBindingPattern(name)) continue;
    for (const el of name.getElements()) out.set(el.getName(), { specifier: arg.getLiteralValue(), name: el.getPropertyNameNode()?.getText() ?? el.getName() });
  }
  return out;
}
