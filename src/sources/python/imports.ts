import type { ImportFact } from '../../model/types.js';
import { NodeIndex, namedChildren, nodeSpan, type Node, type PyFile } from '../../parse/python.js';
import { absoluteModule } from './module-scope.js';

/** A local name bound by an import, and the absolute dotted name it stands for. */
export interface ImportBinding {
  /** `proj.tasks.add` for `from proj.tasks import add`; `proj` for `import proj.tasks`. */
  target: string;
  /** The module the statement imports from (`proj.tasks`), or the module itself for `import x`. */
  module: string;
  /** For `from x import y`: y. */
  imported?: string;
}

export interface FileImports {
  /** Local name → what it refers to. Function-level imports are included (a local name shadowing them is rare). */
  bindings: Map<string, ImportBinding>;
  facts: ImportFact[];
}

export const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

// Imports kept in the model: the ones removed-API and version rules look at.
const INTERESTING_ROOTS = new Set(['celery', 'kombu', 'djcelery', 'billiard', 'amqp', 'django_celery_results', 'django_celery_beat']);

/** Every import in a file (module level and inside functions), resolved to absolute dotted names. */
export function collectImports(py: PyFile, module: string, isPackage: boolean, index = new NodeIndex(py.tree.rootNode, IMPORT_TYPES)): FileImports {
  const bindings = new Map<string, ImportBinding>();
  const facts: ImportFact[] = [];
  for (const stmt of [...index.of('import_statement'), ...index.of('import_from_statement')].sort((a, b) => a.startIndex - b.startIndex)) {
    if (stmt.type === 'import_statement') importStatement(py, stmt, bindings, facts);
    else fromStatement(py, stmt, module, isPackage, bindings, facts);
  }
  return { bindings, facts };
}

function importStatement(py: PyFile, stmt: Node, bindings: Map<string, ImportBinding>, facts: ImportFact[]): void {
  for (const child of namedChildren(stmt)) {
    if (child.type === 'dotted_name') {
      const mod = child.text;
      // `import a.b.c` binds `a`, and `a.b.c` stays reachable through attribute access
      const head = mod.split('.')[0] ?? mod;
      bindings.set(head, { target: head, module: head });
      addFact(py, stmt, mod, [], 'import', facts);
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name');
      const alias = child.childForFieldName('alias');
      if (!name || !alias) continue;
      bindings.set(alias.text, { target: name.text, module: name.text });
      addFact(py, stmt, name.text, [], 'import', facts);
    }
  }
}

function fromStatement(py: PyFile, stmt: Node, importer: string, isPackage: boolean, bindings: Map<string, ImportBinding>, facts: ImportFact[]): void {
  const moduleNode = stmt.childForFieldName('module_name');
  if (!moduleNode) return;
  const mod = absoluteModule(moduleNode.text, importer, isPackage);
  const names: ImportFact['names'] = [];
  for (const child of namedChildren(stmt)) {
    if (child === moduleNode || child.startIndex === moduleNode.startIndex) continue;
    if (child.type === 'dotted_name') {
      bindings.set(child.text, { target: `${mod}.${child.text}`, module: mod, imported: child.text });
      names.push({ name: child.text, span: nodeSpan(py, child) });
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name');
      const alias = child.childForFieldName('alias');
      if (!name || !alias) continue;
      bindings.set(alias.text, { target: `${mod}.${name.text}`, module: mod, imported: name.text });
      names.push({ name: name.text, alias: alias.text, span: nodeSpan(py, child) });
    }
  }
  addFact(py, stmt, mod, names, 'from', facts);
}

function addFact(py: PyFile, stmt: Node, mod: string, names: ImportFact['names'], style: ImportFact['style'], facts: ImportFact[]): void {
  if (!INTERESTING_ROOTS.has(mod.split('.')[0] ?? '')) return;
  facts.push({ file: py.file, span: nodeSpan(py, stmt), module: mod, names, style });
}

/**
 * The absolute dotted name an expression refers to through the file's imports: `add` → `proj.tasks.add`,
 * `tasks.add` → `proj.tasks.add` (with `from proj import tasks`). Undefined for anything not a name chain.
 */
export function resolveDotted(text: string | undefined, bindings: ReadonlyMap<string, ImportBinding>): string | undefined {
  if (!text) return undefined;
  const [head, ...rest] = text.split('.');
  if (!head) return undefined;
  const b = bindings.get(head);
  if (!b) return undefined;
  return [b.target, ...rest].join('.');
}
