import type { TaskDecoratorKind, TaskDef, TaskOption } from '../../model/types.js';
import { callArguments, dottedName, namedChildren, nodeSpan, type Node, type NodeIndex, type PyFile } from '../../parse/python.js';
import { evaluate, knownString, type Scope } from '../../parse/pyvalue.js';
import type { ImportBinding } from './imports.js';
import { classAssignments } from './module-scope.js';

export interface TaskFileContext {
  py: PyFile;
  module: string;
  bindings: ReadonlyMap<string, ImportBinding>;
  scope: Scope;
  /** Top-level module names that belong to the project (an `@x.task` whose x comes from elsewhere is not Celery's). */
  projectRoots: ReadonlySet<string>;
  index: NodeIndex;
}

export const TASK_TYPES = ['decorated_definition', 'class_definition'];

const LEGACY_MODULES = new Set(['celery.task', 'celery.decorators', 'celery.task.base']);
const TASK_BASES = new Set(['celery.Task', 'celery.task.Task', 'celery.app.task.Task', 'celery.task.base.Task', 'celery.task.PeriodicTask', 'celery.task.base.PeriodicTask']);
const CELERY_CONSTRUCTORS = new Set(['Celery', 'celery.Celery']);

interface DecoratorMatch {
  kind: TaskDecoratorKind;
  appVariable?: string;
  call?: Node;
  legacy?: { written: string; resolved: string; node: Node };
}

/**
 * Tasks whose decorator is a name of the project that may be an alias of shared_task or app.task (nautobot's
 * `nautobot_task = shared_task`, used as `@nautobot_task` elsewhere): they are tasks if `alias` is among the
 * project's `taskAliases`, which only the whole project knows.
 */
export interface AliasCandidate {
  alias: string;
  task: TaskDef;
}

/** Task definitions in one file: decorated functions and Task subclasses that define `run`. */
export function collectTasks(c: TaskFileContext, candidates: AliasCandidate[] = []): TaskDef[] {
  const tasks: TaskDef[] = [];
  for (const def of c.index.of('decorated_definition')) {
    const fn = def.childForFieldName('definition');
    if (!fn || fn.type !== 'function_definition') continue;
    for (const decorator of namedChildren(def).filter((d) => d.type === 'decorator')) {
      const match = matchDecorator(c, decorator);
      if (match) {
        tasks.push(functionTask(c, fn, decorator, match));
        break;
      }
      const alias = aliasCandidate(c, decorator);
      if (alias) {
        candidates.push({ alias: alias.name, task: functionTask(c, fn, decorator, { kind: 'shared_task', call: alias.call }) });
        break;
      }
    }
  }
  const localBases = new Set<string>();
  for (const cls of c.index.of('class_definition')) {
    if (!subclassesTask(c, cls, localBases)) continue;
    const name = cls.childForFieldName('name')?.text;
    if (!name) continue;
    localBases.add(name);
    const body = cls.childForFieldName('body');
    const attrs = body ? classAttributes(c, body) : {};
    // A Task subclass without run() is a base class for other tasks (`base=`), not a task itself.
    const hasRun = body ? namedChildren(body).some((s) => functionOf(s)?.childForFieldName('name')?.text === 'run') : false;
    if (!hasRun || attrs.abstract?.value.kind === 'bool' && attrs.abstract.value.value) continue;
    tasks.push(classTask(c, cls, name, attrs));
  }
  return tasks;
}

/** `@name` / `@name(...)` where name is a module-level name of this module or one imported from the project. */
function aliasCandidate(c: TaskFileContext, decorator: Node): { name: string; call?: Node } | undefined {
  const expr = namedChildren(decorator).find((n) => n.type !== 'comment');
  const call = expr?.type === 'call' ? expr : undefined;
  const callee = dottedName(call ? call.childForFieldName('function') : expr);
  if (!callee) return undefined;
  const resolved = resolve(c, callee) ?? (callee.includes('.') ? undefined : `${c.module}.${callee}`);
  const root = resolved?.split('.')[0];
  return resolved && root !== undefined && (c.projectRoots.has(root) || resolved.startsWith(`${c.module}.`)) ? { name: resolved, call } : undefined;
}

/**
 * Module-level `x = shared_task` / `x = app.task` of this file, as `module.x`: decorators other modules (or this
 * one) may use under that name.
 */
export function taskAliases(c: TaskFileContext): string[] {
  const out: string[] = [];
  for (const stmt of namedChildren(c.py.tree.rootNode)) {
    const assign = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (assign?.type !== 'assignment') continue;
    const left = assign.childForFieldName('left');
    const right = dottedName(assign.childForFieldName('right'));
    if (left?.type !== 'identifier' || !right) continue;
    const resolved = resolve(c, right);
    const dot = right.lastIndexOf('.');
    const appTask = dot > 0 && right.slice(dot + 1) === 'task' && isCeleryApp(c, right.slice(0, dot));
    if (resolved === 'celery.shared_task' || resolved === 'celery.app.shared_task' || appTask) out.push(`${c.module}.${left.text}`);
  }
  return out;
}

function matchDecorator(c: TaskFileContext, decorator: Node): DecoratorMatch | undefined {
  const expr = namedChildren(decorator).find((n) => n.type !== 'comment');
  if (!expr) return undefined;
  const call = expr.type === 'call' ? expr : undefined;
  const calleeNode = call ? call.childForFieldName('function') : expr;
  const callee = dottedName(calleeNode);
  if (!callee || !calleeNode) return undefined;
  const resolved = resolve(c, callee);
  if (resolved === 'celery.shared_task' || resolved === 'celery.app.shared_task') return { kind: 'shared_task', call };
  // Celery 3.1-4.x: the `task` attribute of the celery package is the celery.task module, whose __call__ is
  // celery.task.task, so `from celery import task` / `import celery` + `@celery.task` are the legacy decorator.
  if (resolved === 'celery.task') return { kind: 'legacy.task', call, legacy: { written: callee, resolved, node: calleeNode } };
  if (resolved && LEGACY_MODULES.has(moduleOf(resolved))) {
    const fn = resolved.slice(resolved.lastIndexOf('.') + 1);
    const legacy = { written: callee, resolved, node: calleeNode };
    if (fn === 'task') return { kind: 'legacy.task', call, legacy };
    if (fn === 'periodic_task') return { kind: 'legacy.periodic_task', call, legacy };
    return undefined;
  }
  const dot = callee.lastIndexOf('.');
  if (dot < 0 || callee.slice(dot + 1) !== 'task') return undefined;
  const receiver = callee.slice(0, dot);
  return isCeleryApp(c, receiver) ? { kind: 'app.task', appVariable: receiver, call } : undefined;
}

/**
 * `@x.task` is Celery's when x is a Celery app: bound to Celery(...) here, imported from the project or from
 * celery (current_app), or built by a project factory. Huey's and other libraries' `@huey.task()` are not.
 */
function isCeleryApp(c: TaskFileContext, receiver: string): boolean {
  const head = receiver.split('.')[0] ?? receiver;
  const binding = c.bindings.get(head);
  if (binding) {
    const root = binding.module.split('.')[0] ?? '';
    return root === 'celery' || c.projectRoots.has(root);
  }
  const local = localCallee(c.py, head);
  if (local === undefined) return true;
  if (CELERY_CONSTRUCTORS.has(local)) return true;
  const localResolved = resolve(c, local);
  const root = localResolved?.split('.')[0];
  return !localResolved || root === 'celery' || c.projectRoots.has(root ?? '');
}

/** The callee of `name = callee(...)` at module level, or '' when name is bound to something that isn't a call. */
function localCallee(py: PyFile, name: string): string | undefined {
  let found: string | undefined;
  for (const stmt of namedChildren(py.tree.rootNode)) {
    const assign = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (assign?.type !== 'assignment' || assign.childForFieldName('left')?.text !== name) continue;
    const right = assign.childForFieldName('right');
    found = right?.type === 'call' ? dottedName(right.childForFieldName('function')) ?? '' : '';
  }
  return found;
}

function resolve(c: TaskFileContext, dotted: string): string | undefined {
  const head = dotted.split('.')[0] ?? dotted;
  const b = c.bindings.get(head);
  if (!b) return undefined;
  return [b.target, ...dotted.split('.').slice(1)].join('.');
}

function moduleOf(dotted: string): string {
  return dotted.slice(0, Math.max(0, dotted.lastIndexOf('.')));
}

function functionTask(c: TaskFileContext, fn: Node, decorator: Node, match: DecoratorMatch): TaskDef {
  const options: Record<string, TaskOption> = {};
  let unlisted = false;
  if (match.call) {
    const { keywords, positional, splats } = callArguments(match.call);
    for (const k of keywords) {
      options[k.name] = { value: evaluate(c.py, k.value, c.scope), span: nodeSpan(c.py, k.node) };
    }
    unlisted = positional.length + splats.length > 0;
  }
  const fnName = fn.childForFieldName('name')?.text ?? '';
  const explicit = knownString(options.name?.value);
  const body = fn.childForFieldName('body') ?? fn;
  const args = match.call?.childForFieldName('arguments');
  return {
    name: explicit ?? qualified(c.module, fnName),
    explicitName: explicit !== undefined,
    function: fnName,
    module: c.module,
    file: c.py.file,
    decorator: match.kind,
    ...(match.appVariable ? { appVariable: match.appVariable } : {}),
    options,
    decoratorSpan: nodeSpan(c.py, decorator),
    ...(args ? { decoratorArgsSpan: nodeSpan(c.py, args) } : {}),
    ...(unlisted ? { unlistedOptions: true } : {}),
    ...(match.legacy ? { legacyDecorator: { written: match.legacy.written, resolved: match.legacy.resolved, span: nodeSpan(c.py, match.legacy.node) } } : {}),
    span: nodeSpan(c.py, fn),
    bodySpan: nodeSpan(c.py, body),
    bind: options.bind?.value.kind === 'bool' && options.bind.value.value,
  };
}

function classTask(c: TaskFileContext, cls: Node, name: string, attrs: Record<string, TaskOption>): TaskDef {
  const explicit = knownString(attrs.name?.value);
  const header = cls.childForFieldName('superclasses') ?? cls.childForFieldName('name') ?? cls;
  const body = cls.childForFieldName('body') ?? cls;
  return {
    name: explicit ?? qualified(c.module, name),
    explicitName: explicit !== undefined,
    function: name,
    module: c.module,
    file: c.py.file,
    decorator: 'class',
    options: attrs,
    decoratorSpan: nodeSpan(c.py, header),
    span: nodeSpan(c.py, cls),
    bodySpan: nodeSpan(c.py, body),
    // run() on a class task receives self: it is always bound
    bind: true,
  };
}

function subclassesTask(c: TaskFileContext, cls: Node, localBases: ReadonlySet<string>): boolean {
  const supers = cls.childForFieldName('superclasses');
  if (!supers) return false;
  return namedChildren(supers).some((s) => {
    const text = dottedName(s);
    if (!text) return false;
    if (localBases.has(text)) return true;
    const resolved = resolve(c, text);
    if (resolved && TASK_BASES.has(resolved)) return true;
    // app.Task: the base class bound to an app
    return text.endsWith('.Task') && isCeleryApp(c, text.slice(0, -'.Task'.length));
  });
}

function classAttributes(c: TaskFileContext, body: Node): Record<string, TaskOption> {
  const out: Record<string, TaskOption> = {};
  for (const a of classAssignments(c.py, body, c.scope)) out[a.name] = { value: a.value, span: nodeSpan(c.py, a.statement) };
  return out;
}

function functionOf(stmt: Node): Node | undefined {
  if (stmt.type === 'function_definition') return stmt;
  if (stmt.type === 'decorated_definition') {
    const d = stmt.childForFieldName('definition');
    return d?.type === 'function_definition' ? d : undefined;
  }
  return undefined;
}

/** Celery's gen_task_name: `module.name`; a script run as __main__ has no stable module name. */
function qualified(module: string, name: string): string {
  return module ? `${module}.${name}` : name;
}
