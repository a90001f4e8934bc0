import type { CallKind, CallSite, TaskDef, TaskOption } from '../../model/types.js';
import { callArguments, descendants, dottedName, namedChildren, nodeSpan, type Node, type NodeIndex, type PyFile } from '../../parse/python.js';
import { evaluate, stringValue, type Scope } from '../../parse/pyvalue.js';
import { canvasOf, eagerOnly, enclosingFunction, enclosingTask, inRetry, resultUsage, scopeOf } from './call-context.js';
import { resolveDotted, type ImportBinding } from './imports.js';

export interface CallFileContext {
  py: PyFile;
  module: string;
  bindings: ReadonlyMap<string, ImportBinding>;
  scope: Scope;
  /** Tasks defined in this file. */
  tasks: readonly TaskDef[];
  index: NodeIndex;
}

export const CALL_TYPES = ['call', 'attribute'];

const SENDS = new Set(['delay', 'apply_async']);
const SIGNATURES = new Set(['s', 'si', 'signature']);
const RESULT_READS: Record<string, CallKind> = { get: 'get', join: 'join', wait: 'wait', ready: 'ready', successful: 'ready', failed: 'ready' };
const RESULT_ATTRS = new Set(['result', 'state', 'status', 'info', 'traceback']);
const CELERY_PRODUCERS = new Set<CallKind>(['delay', 'apply_async', 'send_task', 'AsyncResult']);
const PRODUCERS = new Set<CallKind>([...CELERY_PRODUCERS, 'http']);
// HTTP clients whose calls block without a timeout; `timeout` is keyword-only except for urlopen (3rd positional).
const HTTP_FUNCTIONS = /^(requests|httpx)\.(get|post|put|patch|delete|head|options|request|stream)$|^(urllib\.request|urllib2)\.urlopen$/;
const HTTP_SESSIONS = /^(requests\.(Session|session|sessions\.Session)|httpx\.(Client|AsyncClient))$/;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream']);
const BODY_ATTRS = new Set(['content', 'text']);

interface Builder {
  c: CallFileContext;
  tasksByOffset: Map<number, TaskDef>;
  sites: CallSite[];
  producers: Map<number, CallSite>;
}

/** Calls that send tasks, read results or talk to workers, with how their results are used. */
export function collectCalls(c: CallFileContext): CallSite[] {
  const b: Builder = { c, tasksByOffset: new Map(c.tasks.map((t) => [t.span.start.offset, t])), sites: [], producers: new Map() };
  const calls = c.index.of('call');
  // Producers first, so reads (`res.get()`) can be traced back to the send they came from.
  for (const call of calls) producerSite(b, call);
  for (const call of calls) readSite(b, call);
  for (const attr of c.index.of('attribute')) attributeRead(b, attr);
  markStateChecked(b.sites);
  markHelperCalls(b, calls);
  return b.sites.sort((x, y) => x.span.start.offset - y.span.start.offset);
}

/**
 * HTTP calls in a module-level function of this file that a task of this file calls by name (plane's
 * `sync_with_external_service`, called by a task): they run in the worker too.
 */
function markHelperCalls(b: Builder, calls: readonly Node[]): void {
  const http = b.sites.filter((s) => (s.kind === 'http' || s.kind === 'http_body') && !s.inTask && s.inFunction && !s.inFunction.includes('.'));
  if (!http.length) return;
  const helpers = new Set(http.map((s) => s.inFunction!));
  const calledBy = new Map<string, string>();
  for (const call of calls) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier' || !helpers.has(fn.text) || calledBy.has(fn.text)) continue;
    const task = enclosingTask(call, b.tasksByOffset);
    if (task) calledBy.set(fn.text, task.name);
  }
  for (const s of http) {
    const task = calledBy.get(s.inFunction!);
    if (task) s.viaTask = { task, helper: s.inFunction! };
  }
}

// `.state`/`.status` reads and ready()/successful()/failed() calls: the code looks at where the task is first
const stateChecks = new WeakSet<CallSite>();

/** get()/join()/wait() on a result whose state the same function read before it (onadata's csv_import). */
function markStateChecked(sites: CallSite[]): void {
  const checked = sites.filter((s) => stateChecks.has(s) || s.kind === 'ready');
  for (const s of sites) {
    if ((s.kind !== 'get' && s.kind !== 'join' && s.kind !== 'wait') || !s.resultOf) continue;
    const from = s.resultOf.span.start.offset;
    if (checked.some((o) => o.resultOf?.span.start.offset === from && o.span.start.offset < s.span.start.offset)) s.afterStateCheck = true;
  }
}

function producerSite(b: Builder, call: Node): void {
  const fn = call.childForFieldName('function');
  if (!fn) return;
  const { c } = b;
  const http = httpClient(b, fn, call);
  if (http) {
    const site = withOptions(c, base(b, call, 'http', fn.text, http), call);
    site.hasTimeout = hasTimeout(call, http.endsWith('urlopen') ? 2 : -1);
    return add(b, call, site);
  }
  if (fn.type === 'attribute') {
    const obj = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')?.text ?? '';
    if (!obj) return;
    const literal = method === 'signature' || method === 'send_task' ? firstString(call) : undefined;
    if (SENDS.has(method) || (SIGNATURES.has(method) && literal === undefined && !isModuleFunction(c, fn))) {
      const kind = method as CallKind;
      const site = base(b, call, kind, obj.text, taskRef(b, obj, call));
      site.options = kind === 'apply_async' ? keywordOptions(c, call) : taskArguments(c, call);
      if (SIGNATURES.has(method)) {
        const canvas = canvasOf(call, (callee) => primitive(c, callee));
        if (canvas) site.canvas = canvas;
      }
      add(b, call, site);
      return;
    }
    if (literal !== undefined) {
      const site = base(b, call, method === 'send_task' ? 'send_task' : 'signature', obj.text, literal);
      site.task = literal;
      site.options = keywordOptions(c, call);
      add(b, call, site);
      return;
    }
    if (method === 'send_task' && hasNameArgument(call)) {
      // A name we cannot read (a variable, an f-string) still sends some task: rules must know such sends exist.
      add(b, call, withOptions(c, base(b, call, 'send_task', obj.text), call));
      return;
    }
    if (method === 'AsyncResult') return add(b, call, withOptions(c, base(b, call, 'AsyncResult', obj.text, taskRef(b, obj, call)), call));
    if (method === 'retry') {
      // self.retry() only inside a task; elsewhere `retry` belongs to some other library
      const target = taskRef(b, obj, call);
      if (target) add(b, call, withOptions(c, base(b, call, 'retry', obj.text, target), call));
    }
    return;
  }
  const resolved = resolveDotted(dottedName(fn), c.bindings);
  if (resolved === 'celery.result.AsyncResult') add(b, call, withOptions(c, base(b, call, 'AsyncResult', fn.text), call));
  else if (resolved === 'celery.result.allow_join_result') add(b, call, base(b, call, 'allow_join_result', fn.text));
  else if (resolved === 'celery.signature' || resolved === 'celery.canvas.signature') {
    const name = firstString(call);
    if (name !== undefined) add(b, call, { ...withOptions(c, base(b, call, 'signature', fn.text, name), call), task: name });
  }
}

function readSite(b: Builder, call: Node): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return;
  const obj = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (!obj) return;
  if (method === 'ping') {
    const dotted = dottedName(obj);
    if (dotted?.endsWith('.control') || dotted === 'control') {
      add(b, call, withOptions(b.c, base(b, call, 'control_ping', obj.text), call));
      return;
    }
    const inspect = inspectCall(obj, call);
    if (inspect) {
      const site = withOptions(b.c, base(b, call, 'inspect_ping', obj.text), call);
      site.options = { ...keywordOptions(b.c, inspect), ...site.options };
      add(b, call, site);
    }
    return;
  }
  if (method === 'json') {
    const source = tracedResult(b, obj, call);
    if (source?.kind === 'http') add(b, call, { ...base(b, call, 'http_body', obj.text), resultOf: resultOf(source) });
    return;
  }
  const kind = RESULT_READS[method];
  if (!kind) return;
  const source = tracedResult(b, obj, call);
  if (!source || !CELERY_PRODUCERS.has(source.kind)) return;
  const site = withOptions(b.c, base(b, call, kind, obj.text), call);
  site.resultOf = resultOf(source);
  if (kind === 'get' || kind === 'join' || kind === 'wait') {
    site.hasTimeout = hasTimeout(call);
    if (eagerOnly(call)) site.eagerOnly = true;
  }
  add(b, call, site);
}

function attributeRead(b: Builder, attr: Node): void {
  const name = attr.childForFieldName('attribute')?.text ?? '';
  const obj = attr.childForFieldName('object');
  if (!obj || (!RESULT_ATTRS.has(name) && !BODY_ATTRS.has(name))) return;
  // `res.result = x` writes; `res.result(...)` is not Celery's attribute
  const parent = attr.parent;
  if (parent?.type === 'call' && parent.childForFieldName('function')?.startIndex === attr.startIndex) return;
  if (parent?.type === 'assignment' && parent.childForFieldName('left')?.startIndex === attr.startIndex) return;
  const source = tracedResult(b, obj, attr);
  if (!source) return;
  const kind = source.kind === 'http' ? (BODY_ATTRS.has(name) ? 'http_body' : undefined) : RESULT_ATTRS.has(name) ? 'result_attr' : undefined;
  if (!kind) return;
  const site = base(b, attr, kind, obj.text);
  site.resultOf = resultOf(source);
  if (name === 'state' || name === 'status') stateChecks.add(site);
  b.sites.push(site);
}

/** The send or AsyncResult a result expression came from: the call itself, or a name bound to one earlier in the same scope. */
function tracedResult(b: Builder, obj: Node, at: Node): CallSite | undefined {
  let node = obj;
  while (node.type === 'parenthesized_expression' && node.namedChildren[0]) node = node.namedChildren[0];
  if (node.type === 'call') return b.producers.get(node.startIndex);
  if (node.type !== 'identifier') return undefined;
  const scope = scopeOf(at);
  let found: CallSite | undefined;
  for (const site of b.producers.values()) {
    if (site.boundTo !== node.text || site.span.start.offset > at.startIndex) continue;
    if ((producerScope.get(site) ?? -1) !== scope.startIndex) continue;
    if (!found || site.span.start.offset > found.span.start.offset) found = site;
  }
  return found;
}

const producerScope = new WeakMap<CallSite, number>();

/** Before linking, resultOf.task holds the producer's literal name or unresolved target; link.ts resolves it. */
function resultOf(source: CallSite): NonNullable<CallSite['resultOf']> {
  const ref = source.task ?? source.target;
  return { ...(ref ? { task: ref } : {}), kind: source.kind, span: source.span };
}

function add(b: Builder, call: Node, site: CallSite): void {
  b.sites.push(site);
  if (PRODUCERS.has(site.kind)) {
    const { usage, boundTo } = resultUsage(call);
    site.resultUsage = usage;
    if (boundTo) site.boundTo = boundTo;
    b.producers.set(call.startIndex, site);
    producerScope.set(site, scopeOf(call).startIndex);
  }
}

function base(b: Builder, node: Node, kind: CallKind, receiver: string, target?: string): CallSite {
  const { py } = b.c;
  const task = enclosingTask(node, b.tasksByOffset);
  const fn = enclosingFunction(node);
  const args = node.type === 'call' ? node.childForFieldName('arguments') : undefined;
  return {
    kind,
    file: py.file,
    span: nodeSpan(py, node),
    ...(target ? { target } : {}),
    receiver: receiver.length > 80 ? `${receiver.slice(0, 80)}…` : receiver,
    options: {},
    ...(task ? { inTask: task.name } : {}),
    ...(fn ? { inFunction: fn } : {}),
    ...(kind === 'inspect_ping' || kind === 'control_ping' ? { inRetry: inRetry(node) } : {}),
    ...(args ? { argsSpan: nodeSpan(py, args) } : {}),
  };
}

function withOptions(c: CallFileContext, site: CallSite, call: Node): CallSite {
  site.options = keywordOptions(c, call);
  return site;
}

/**
 * delay(*args, **kwargs) and s(...) take the task's own arguments: normalised to the `args` / `kwargs` options
 * apply_async would take, so rules read the values passed the same way for every kind of send.
 */
function taskArguments(c: CallFileContext, call: Node): Record<string, TaskOption> {
  const { positional, keywords, splats } = callArguments(call);
  const args = call.childForFieldName('arguments');
  if (!args || splats.length) return {};
  const span = nodeSpan(c.py, args);
  const out: Record<string, TaskOption> = {};
  if (positional.length) out.args = { value: { kind: 'tuple', items: positional.map((p) => evaluate(c.py, p, c.scope)), span }, span };
  if (keywords.length) {
    const entries = keywords.map((k) => ({ key: { kind: 'str' as const, value: k.name, span: nodeSpan(c.py, k.nameNode) }, value: evaluate(c.py, k.value, c.scope), span: nodeSpan(c.py, k.node) }));
    out.kwargs = { value: { kind: 'dict', entries, span }, span };
  }
  return out;
}

function keywordOptions(c: CallFileContext, call: Node): Record<string, TaskOption> {
  const out: Record<string, TaskOption> = {};
  for (const k of callArguments(call).keywords) {
    out[k.name] = { value: evaluate(c.py, k.value, c.scope), span: nodeSpan(c.py, k.node) };
  }
  return out;
}

/** What the receiver of `.delay()` names: a task defined here, an imported one, or `app.tasks["name"]`. */
function taskRef(b: Builder, obj: Node, at: Node): string | undefined {
  if (obj.type === 'identifier') {
    const local = b.c.tasks.find((t) => t.function === obj.text && t.decorator !== 'class');
    if (local && !b.c.bindings.has(obj.text)) return local.name;
    if (obj.text === 'self') return enclosingTask(at, b.tasksByOffset)?.name;
  }
  if (obj.type === 'subscript' && dottedName(obj.childForFieldName('value'))?.endsWith('tasks')) {
    const key = obj.childForFieldName('subscript');
    return key ? stringValue(key) : undefined;
  }
  if (obj.type === 'call') {
    // MyTask().delay() on a class-based task
    const cls = dottedName(obj.childForFieldName('function'));
    const local = b.c.tasks.find((t) => t.function === cls && t.decorator === 'class');
    if (local) return local.name;
    return resolveDotted(cls, b.c.bindings);
  }
  const dotted = dottedName(obj);
  return resolveDotted(dotted, b.c.bindings) ?? (dotted && b.c.tasks.find((t) => t.function === dotted)?.name);
}

/** `signature(...)` called as a module function (`celery.signature`) rather than a task method. */
function isModuleFunction(c: CallFileContext, fn: Node): boolean {
  const resolved = resolveDotted(dottedName(fn), c.bindings);
  return resolved === 'celery.signature' || resolved === 'celery.canvas.signature';
}

function primitive(c: CallFileContext, callee: Node): 'chain' | 'group' | 'chord' | undefined {
  const resolved = resolveDotted(dottedName(callee), c.bindings) ?? '';
  const m = /^celery(?:\.canvas)?\.(chain|group|chord)$/.exec(resolved);
  return m ? (m[1] as 'chain' | 'group' | 'chord') : undefined;
}

/** The `X.control.inspect(...)` call an expression comes from, directly or through a name bound in the same scope. */
function inspectCall(obj: Node, at: Node): Node | undefined {
  const isInspect = (n: Node | null | undefined): boolean => n?.type === 'call' && /(^|\.)control\.inspect$/.test(dottedName(n.childForFieldName('function')) ?? '');
  if (isInspect(obj)) return obj;
  if (obj.type !== 'identifier') return undefined;
  let found: Node | undefined;
  for (const assign of descendants(scopeOf(at), 'assignment')) {
    if (assign.startIndex > at.startIndex || assign.childForFieldName('left')?.text !== obj.text) continue;
    const right = assign.childForFieldName('right');
    found = right && isInspect(right) ? right : undefined;
  }
  return found;
}

function hasNameArgument(call: Node): boolean {
  const { positional, keywords } = callArguments(call);
  return positional.length > 0 || keywords.some((k) => k.name === 'name');
}

function firstString(call: Node): string | undefined {
  const { positional, keywords } = callArguments(call);
  const node = positional[0] ?? keywords.find((k) => k.name === 'name')?.value;
  return node ? stringValue(node) : undefined;
}

/** The HTTP function a call makes (`requests.get`), directly or on a session bound in the same scope. */
function httpClient(b: Builder, fn: Node, at: Node): string | undefined {
  const resolved = resolveDotted(dottedName(fn), b.c.bindings);
  if (resolved && HTTP_FUNCTIONS.test(resolved)) return resolved;
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const obj = fn.childForFieldName('object');
  if (!obj || !HTTP_METHODS.has(method)) return undefined;
  const session = sessionOf(b, obj, at);
  return session ? `${session}.${method}` : undefined;
}

function sessionOf(b: Builder, obj: Node, at: Node): string | undefined {
  const ctor = (n: Node | null | undefined) => {
    if (n?.type !== 'call') return undefined;
    const r = resolveDotted(dottedName(n.childForFieldName('function')), b.c.bindings);
    return r && HTTP_SESSIONS.test(r) ? r : undefined;
  };
  if (obj.type === 'call') return ctor(obj);
  if (obj.type !== 'identifier') return undefined;
  let found: string | undefined;
  const scope = scopeOf(at);
  // `with requests.Session() as s:` and `s = requests.Session()` in the same function
  for (const item of descendants(scope, 'as_pattern')) {
    if (item.startIndex < at.startIndex && item.childForFieldName('alias')?.text === obj.text) found = ctor(namedChildren(item)[0]) ?? found;
  }
  for (const assign of descendants(scope, 'assignment')) {
    if (assign.startIndex < at.startIndex && assign.childForFieldName('left')?.text === obj.text) found = ctor(assign.childForFieldName('right'));
  }
  return found;
}

/**
 * get(timeout=...) / join(timeout=...) / wait(timeout=...): the first positional is the timeout too; None means none.
 * A `**kwargs` splat (or `*args` where the timeout may be positional) may carry one: counted as passed, so rules
 * do not report a timeout they cannot see.
 */
function hasTimeout(call: Node, position = 0): boolean {
  const { positional, keywords, splats } = callArguments(call);
  const t = keywords.find((k) => k.name === 'timeout')?.value ?? (position >= 0 ? positional[position] : undefined);
  if (t) return t.type !== 'none';
  return splats.some((s) => s.type === 'dictionary_splat' || (position >= 0 && s.type === 'list_splat'));
}
