import type { CallExpression, Node, SourceFile } from 'ts-morph';
import type { CallKind, CallSite, ProducerClient, ResultUsage, Span } from '../../model/types.js';
import { bindingOf, within, type ClientBinding } from './clients.js';
import { tsMorph } from './load.js';
import { tsValue, type TsFile } from './ts-value.js';

/** A task handle: `const add = client.createTask('proj.tasks.add')`. */
interface Handle {
  client: ProducerClient;
  task?: string;
  nameSpan?: Span;
  name?: string;
  scope: Node;
  /** Offsets of the createTask call, for `client.createTask(...).delay()`. */
  start: number;
  end: number;
}

/** A send or AsyncResult whose value is bound to a name, for tracing `.get()` back to it. */
interface Sent {
  site: CallSite;
  name: string;
  scope: Node;
  end: number;
}

/**
 * The calls of one file that go through producer clients: `createTask(name)` handles, their `applyAsync` /
 * `delay`, celery-node's `client.sendTask(name, ...)` and `client.asyncResult(id)`, `.get(timeout?)` on their
 * results, and `client.conf.TASK_PROTOCOL = n`.
 */
export function findCalls(sf: SourceFile, file: TsFile, clients: ClientBinding[]): CallSite[] {
  const { Node: N, SyntaxKind } = tsMorph();
  const clientOf = (expr: Node): ProducerClient | undefined => {
    const own = clients.find((c) => c.client.file === file.path && c.client.span.start.offset === expr.getStart() && c.client.span.end.offset === expr.getEnd());
    if (own) return own.client;
    const text = expr.getText();
    return innermost(clients.filter((c) => c.name === text && within(c.scope, expr)))?.client;
  };

  for (const bin of sf.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    const left = bin.getLeft();
    if (bin.getOperatorToken().getText() !== '=' || !N.isPropertyAccessExpression(left) || left.getName() !== 'TASK_PROTOCOL') continue;
    const conf = left.getExpression();
    if (!N.isPropertyAccessExpression(conf) || conf.getName() !== 'conf') continue;
    const client = clientOf(conf.getExpression());
    if (!client || client.library !== 'celery-node') continue;
    const v = tsValue(file, bin.getRight());
    if (v.kind === 'num') client.protocol = v.value;
    else delete client.protocol;
    client.protocolSpan = file.span(bin);
  }

  const calls = sf.getDescendantsOfKind(SyntaxKind.CallExpression);
  const handles: Handle[] = [];
  for (const call of calls) {
    const m = method(call);
    if (m?.name !== 'createTask') continue;
    const client = clientOf(m.target);
    if (!client) continue;
    const handle: Handle = { client, scope: sf, start: call.getStart(), end: call.getEnd(), ...taskName(file, call.getArguments()[0]) };
    const bound = bindingOf(call);
    if (bound) Object.assign(handle, { name: bound.name, scope: bound.scope });
    handles.push(handle);
  }
  const handleOf = (expr: Node): Handle | undefined => {
    if (N.isCallExpression(expr)) return handles.find((h) => h.start === expr.getStart() && h.end === expr.getEnd());
    const text = expr.getText();
    return innermost(handles.filter((h) => h.name === text && within(h.scope, expr)));
  };

  const out: CallSite[] = [];
  const sent: Sent[] = [];
  const record = (call: CallExpression, site: CallSite) => {
    out.push(site);
    const bound = bindingOf(call);
    if (bound) sent.push({ site, name: bound.name, scope: bound.scope, end: call.getEnd() });
  };
  for (const call of calls) {
    const m = method(call);
    if (!m) continue;
    if (m.name === 'applyAsync' || m.name === 'delay') {
      const handle = handleOf(m.target);
      if (!handle) continue;
      const site = sendSite(file, call, m.name === 'delay' ? 'delay' : 'apply_async', handle.client, m.target.getText(), handle.task, handle.nameSpan);
      if (m.name === 'applyAsync' && handle.client.library === 'celery-ts') applyOptions(file, call.getArguments()[0], site);
      record(call, site);
    } else if (m.name === 'sendTask' || m.name === 'asyncResult') {
      const client = clientOf(m.target);
      if (!client || client.library !== 'celery-node') continue;
      const kind: CallKind = m.name === 'sendTask' ? 'send_task' : 'AsyncResult';
      const name = kind === 'send_task' ? taskName(file, call.getArguments()[0]) : {};
      record(call, sendSite(file, call, kind, client, m.target.getText(), name.task, name.nameSpan));
    }
  }

  for (const call of calls) {
    const m = method(call);
    if (m?.name !== 'get') continue;
    const target = unwrap(m.target);
    const from = N.isCallExpression(target)
      ? out.find((s) => s.span.start.offset === target.getStart() && s.span.end.offset === target.getEnd())
      : innermostSent(sent.filter((s) => s.name === target.getText() && within(s.scope, call) && s.end <= call.getStart()))?.site;
    if (!from?.producer) continue;
    const site: CallSite = {
      kind: 'get',
      file: file.path,
      span: file.span(call),
      receiver: m.target.getText(),
      options: {},
      hasTimeout: hasTimeout(call, from.producer.library),
      resultOf: { kind: from.kind, span: from.span, ...(from.task ? { task: from.task } : {}) },
      language: 'typescript',
      producer: { library: from.producer.library, ...(from.producer.client ? { client: from.producer.client } : {}) },
    };
    if (from.task) site.task = from.task;
    const args = call.getArguments();
    if (args.length) site.argsSpan = file.lines.span(file.path, args[0]!.getStart(), args.at(-1)!.getEnd());
    out.push(site);
  }
  return out.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

function sendSite(file: TsFile, call: CallExpression, kind: CallKind, client: ProducerClient, receiver: string, task?: string, nameSpan?: Span): CallSite {
  const usage = resultUsage(call);
  const site: CallSite = {
    kind,
    file: file.path,
    span: file.span(call),
    receiver,
    options: {},
    resultUsage: usage.usage,
    language: 'typescript',
    producer: { library: client.library, client: client.id, ...(nameSpan ? { nameSpan } : {}) },
  };
  if (task !== undefined) site.task = task;
  if (usage.boundTo) site.boundTo = usage.boundTo;
  const args = call.getArguments();
  if (args.length) site.argsSpan = file.lines.span(file.path, args[0]!.getStart(), args.at(-1)!.getEnd());
  return site;
}

/** celery-ts `applyAsync({serializer: Serializer.Yaml, ignoreResult: true, ...})`. */
function applyOptions(file: TsFile, arg: Node | undefined, site: CallSite): void {
  const { Node: N } = tsMorph();
  if (!arg || !N.isObjectLiteralExpression(arg) || !site.producer) return;
  const serializer = arg.getProperty('serializer');
  if (serializer && N.isPropertyAssignment(serializer)) {
    const init = serializer.getInitializerOrThrow();
    const v = tsValue(file, init);
    const name = v.kind === 'str' ? v.value : N.isPropertyAccessExpression(init) ? init.getName().toLowerCase() : undefined;
    if (name) site.producer.serializer = name;
    site.producer.serializerSpan = file.span(serializer);
  }
  const ignore = arg.getProperty('ignoreResult');
  if (ignore && N.isPropertyAssignment(ignore)) {
    const v = tsValue(file, ignore.getInitializerOrThrow());
    if (v.kind === 'bool') site.producer.ignoreResult = v.value;
  }
}

/** A literal task name and the span of its text without quotes. */
function taskName(file: TsFile, arg: Node | undefined): { task?: string; nameSpan?: Span } {
  const { Node: N } = tsMorph();
  if (!arg) return {};
  if (N.isStringLiteral(arg) || N.isNoSubstitutionTemplateLiteral(arg)) return { task: arg.getLiteralValue(), nameSpan: file.innerSpan(arg) };
  const v = tsValue(file, arg);
  if (v.kind !== 'str') return {};
  // a str Value's span is its string literal: the name is inside the quotes
  const quoted = v.span ? file.lines.span(file.path, v.span.start.offset + 1, v.span.end.offset - 1) : undefined;
  return { task: v.value, ...(quoted ? { nameSpan: quoted } : {}) };
}

/** `x.name(...)`: the method name and its receiver. */
function method(call: CallExpression): { name: string; target: Node } | undefined {
  const { Node: N } = tsMorph();
  const callee = call.getExpression();
  return N.isPropertyAccessExpression(callee) ? { name: callee.getName(), target: callee.getExpression() } : undefined;
}

function unwrap(node: Node): Node {
  const { Node: N } = tsMorph();
  let n = node;
  while (N.isParenthesizedExpression(n) || N.isAwaitExpression(n) || N.isAsExpression(n) || N.isNonNullExpression(n)) n = n.getExpression();
  return n;
}

/** celery-node's get(timeout) checks `if (timeout)`: 0, null and undefined wait forever; celery-ts treats only null/undefined so. */
function hasTimeout(call: CallExpression, library: string): boolean {
  const arg = call.getArguments()[0];
  if (!arg) return false;
  const text = arg.getText();
  if (text === 'undefined' || text === 'null') return false;
  return !(library === 'celery-node' && /^0+(\.0*)?$/.test(text));
}

/** How the value of a send is used, following `await`/parentheses outwards (sends return results, not promises). */
function resultUsage(call: CallExpression): { usage: ResultUsage; boundTo?: string } {
  const { Node: N, SyntaxKind } = tsMorph();
  let node: Node = call;
  let parent = node.getParent();
  while (parent && (N.isAwaitExpression(parent) || N.isParenthesizedExpression(parent) || N.isAsExpression(parent) || N.isNonNullExpression(parent))) {
    node = parent;
    parent = node.getParent();
  }
  if (!parent) return { usage: 'used' };
  if (N.isExpressionStatement(parent) || N.isVoidExpression(parent)) return { usage: 'discarded' };
  if (N.isReturnStatement(parent) || (N.isArrowFunction(parent) && parent.getBody() === node)) return { usage: 'returned' };
  if (N.isPropertyAccessExpression(parent) && parent.getExpression() === node) return { usage: 'chained' };
  if ((N.isCallExpression(parent) || N.isNewExpression(parent)) && parent.getArguments().includes(node)) return { usage: 'argument' };
  const bound = bindingOf(call);
  if (!bound) return { usage: 'used' };
  if (bound.name.includes('.') || bound.exported) return { usage: 'assigned', boundTo: bound.name };
  // `const r = add.applyAsync()` with `r` never read again is the same as discarding it
  const reads = bound.scope.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === bound.name && id.getStart() > call.getEnd());
  return { usage: reads.length ? 'assigned' : 'discarded', boundTo: bound.name };
}

function innermost<T extends { scope: Node }>(list: T[]): T | undefined {
  return list.sort((a, b) => a.scope.getEnd() - a.scope.getPos() - (b.scope.getEnd() - b.scope.getPos()))[0];
}

function innermostSent(list: Sent[]): Sent | undefined {
  return list.sort((a, b) => b.end - a.end)[0];
}

