import type { CallSite, ResultUsage, TaskDef } from '../../model/types.js';
import { descendants, dottedName, namedChildren, type Node } from '../../parse/python.js';

const TRANSPARENT = new Set(['parenthesized_expression', 'await']);
const RETRY_DECORATORS = /(^|\.)(retry|retrying|on_exception|on_predicate|backoff)\b/;

/** The node a call's value flows into, skipping parentheses and `await`. */
export function consumer(node: Node): { parent: Node | null; child: Node } {
  let child = node;
  let parent = node.parent;
  while (parent && TRANSPARENT.has(parent.type)) {
    child = parent;
    parent = parent.parent;
  }
  return { parent, child };
}

/** How the value of a result-producing call is used, and the name it is bound to. */
export function resultUsage(call: Node): { usage: ResultUsage; boundTo?: string } {
  const { parent, child } = consumer(call);
  if (!parent) return { usage: 'used' };
  switch (parent.type) {
    case 'expression_statement':
      return { usage: 'discarded' };
    case 'return_statement':
      return { usage: 'returned' };
    case 'attribute':
      return { usage: 'chained' };
    case 'argument_list':
    case 'keyword_argument':
      return { usage: 'argument' };
    case 'lambda': {
      // transaction.on_commit(lambda: task.delay(...)) throws the lambda's value away
      const call = parent.parent?.type === 'argument_list' ? parent.parent.parent : undefined;
      const callee = call ? dottedName(call.childForFieldName('function')) ?? '' : '';
      return { usage: /(^|\.)on_commit$/.test(callee) ? 'discarded' : 'returned' };
    }
    case 'assignment': {
      if (parent.childForFieldName('right')?.startIndex !== child.startIndex) return { usage: 'used' };
      const left = parent.childForFieldName('left');
      if (!left) return { usage: 'used' };
      if (left.type !== 'identifier') return { usage: 'assigned', boundTo: left.text };
      // `res = add.delay()` with `res` never read again is the same as discarding it
      const read = isReadAfter(left.text, parent, scopeOf(parent));
      return { usage: read ? 'assigned' : 'discarded', boundTo: left.text };
    }
    default:
      return { usage: 'used' };
  }
}

function isReadAfter(name: string, assignment: Node, scope: Node): boolean {
  return descendants(scope, 'identifier').some((id) => {
    if (id.text !== name || id.startIndex < assignment.endIndex) return false;
    const p = id.parent;
    // the target of a later re-assignment is not a read
    return !(p?.type === 'assignment' && p.childForFieldName('left')?.startIndex === id.startIndex);
  });
}

/** The innermost function (or the module) whose local names a node sees. */
export function scopeOf(node: Node): Node {
  let cur = node.parent;
  while (cur) {
    if (cur.type === 'function_definition' || cur.type === 'lambda') return cur;
    if (!cur.parent) return cur;
    cur = cur.parent;
  }
  return node;
}

/** Dotted path of the enclosing functions and classes (`Checkout.run`, `views.health`). */
export function enclosingFunction(node: Node): string | undefined {
  const names: string[] = [];
  let cur = node.parent;
  let inFunction = false;
  while (cur) {
    if (cur.type === 'function_definition' || cur.type === 'class_definition') {
      names.unshift(cur.childForFieldName('name')?.text ?? '?');
      if (cur.type === 'function_definition') inFunction = true;
    }
    cur = cur.parent;
  }
  return inFunction ? names.join('.') : undefined;
}

/** The task whose body contains the node: the nearest enclosing task function or task class. */
export function enclosingTask(node: Node, tasksByOffset: ReadonlyMap<number, TaskDef>): TaskDef | undefined {
  let cur = node.parent;
  while (cur) {
    if (cur.type === 'function_definition' || cur.type === 'class_definition') {
      const t = tasksByOffset.get(cur.startIndex);
      if (t) return t;
    }
    cur = cur.parent;
  }
  return undefined;
}

/** Inside the body of a try statement, or in a function decorated with a retry helper (tenacity, backoff, retrying). */
export function inRetry(node: Node): boolean {
  let child = node;
  let cur = node.parent;
  while (cur) {
    if (cur.type === 'try_statement' && cur.childForFieldName('body')?.startIndex === child.startIndex) return true;
    if (cur.type === 'decorated_definition') {
      const decorators = namedChildren(cur).filter((d) => d.type === 'decorator');
      if (decorators.some((d) => RETRY_DECORATORS.test(decoratorName(d)))) return true;
    }
    child = cur;
    cur = cur.parent;
  }
  return false;
}

/**
 * Whether the node runs only in the body of an `if` whose condition names task_always_eager (the setting, an old
 * CELERY_ALWAYS_EAGER key or a project flag of that name), not negated: in eager mode results are already computed.
 */
export function eagerOnly(node: Node): boolean {
  let child = node;
  let cur = node.parent;
  while (cur) {
    if (cur.type === 'if_statement' && cur.childForFieldName('consequence')?.startIndex === child.startIndex) {
      const cond = cur.childForFieldName('condition');
      if (cond && cond.type !== 'not_operator' && namesAlwaysEager(cond)) return true;
    }
    if (cur.type === 'function_definition' || cur.type === 'class_definition') return false;
    child = cur;
    cur = cur.parent;
  }
  return false;
}

function namesAlwaysEager(cond: Node): boolean {
  const parts = [cond, ...descendants(cond, 'identifier'), ...descendants(cond, 'string_content')];
  return parts.some((n) => (n.type === 'identifier' || n.type === 'string_content') && n.text.toLowerCase().includes('always_eager'));
}

function decoratorName(d: Node): string {
  const expr = namedChildren(d)[0];
  if (!expr) return '';
  return dottedName(expr.type === 'call' ? expr.childForFieldName('function') : expr) ?? '';
}

/**
 * The canvas primitive a signature takes part in: an argument of chain/group/chord (resolved through the file's
 * imports by `isPrimitive`), a `|` pipe, or `link=` / `link_error=` of apply_async.
 */
export function canvasOf(call: Node, primitive: (callee: Node) => 'chain' | 'group' | 'chord' | undefined): CallSite['canvas'] {
  let child = call;
  let cur = call.parent;
  while (cur && cur.type !== 'function_definition' && cur.type !== 'expression_statement') {
    if (cur.type === 'binary_operator' && cur.childForFieldName('operator')?.text === '|') return 'chain';
    if (cur.type === 'keyword_argument' && /^link(_error)?$/.test(cur.childForFieldName('name')?.text ?? '')) return 'link';
    if (cur.type === 'call' && child.type === 'argument_list') {
      const fn = cur.childForFieldName('function');
      const kind = fn ? primitive(fn) : undefined;
      if (kind === 'chord') {
        const first = namedChildren(child)[0];
        return first && first.startIndex <= call.startIndex && call.endIndex <= first.endIndex ? 'chord-header' : 'chord-body';
      }
      if (kind) return kind;
      // chord(header)(body): the body is an argument of the call made on chord(...)
      if (fn?.type === 'call' && primitive(fn.childForFieldName('function') ?? fn) === 'chord') return 'chord-body';
    }
    child = cur;
    cur = cur.parent;
  }
  return undefined;
}
