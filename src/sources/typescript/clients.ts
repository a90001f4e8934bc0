import type { Node, SourceFile } from 'ts-morph';
import type { ProducerClient, Value } from '../../model/types.js';
import { calleeExport, type LibraryBinding } from './bindings.js';
import { tsMorph } from './load.js';
import { tsValue, type TsFile } from './ts-value.js';

/** A client bound to a name (`client`, `this.client`) within a scope node (function, class or file). */
export interface ClientBinding {
  client: ProducerClient;
  name?: string;
  scope: Node;
  exported: boolean;
}

/**
 * Client creations in a file: celery-node `createClient(broker, backend, queue)`, celery-ts
 * `createClient({brokerUrl, resultBackend})` and `new Client({brokers: [createBroker(url)], backend: createBackend(id, url)})`.
 */
export function findClients(sf: SourceFile, file: TsFile, bindings: Map<string, LibraryBinding>): ClientBinding[] {
  const { Node: N, SyntaxKind } = tsMorph();
  const out: ClientBinding[] = [];
  const creations = [...sf.getDescendantsOfKind(SyntaxKind.CallExpression), ...sf.getDescendantsOfKind(SyntaxKind.NewExpression)];
  for (const call of creations) {
    const target = calleeExport(call.getExpression(), bindings);
    if (!target) continue;
    const isNew = N.isNewExpression(call);
    const args = call.getArguments();
    let broker: Value | undefined;
    let backend: Value | undefined;
    if (!isNew && target.name === 'createClient' && target.library === 'celery-node') {
      broker = args[0] ? tsValue(file, args[0]) : undefined;
      backend = args[1] ? tsValue(file, args[1]) : undefined;
    } else if (!isNew && target.name === 'createClient' && target.library === 'celery-ts') {
      broker = property(file, args[0], 'brokerUrl');
      backend = property(file, args[0], 'resultBackend');
    } else if (isNew && target.name === 'Client' && target.library === 'celery-ts') {
      broker = factoryUrl(file, bindings, args[0], 'brokers', 'createBroker', 0);
      backend = factoryUrl(file, bindings, args[0], 'backend', 'createBackend', 1);
    } else {
      continue;
    }
    const span = file.span(call);
    const client: ProducerClient = { id: `${file.path}:${span.start.line}:${span.start.column}`, library: target.library, file: file.path, span };
    if (broker) client.broker = broker;
    if (backend) client.backend = backend;
    const bound = bindingOf(call);
    if (bound) client.variable = bound.name;
    out.push({ client, name: bound?.name, scope: bound?.scope ?? sf, exported: bound?.exported ?? false });
  }
  return out;
}

/** The value of `key` in an object-literal argument (`{brokerUrl: ...}`), shorthand included. */
function property(file: TsFile, arg: Node | undefined, key: string): Value | undefined {
  const { Node: N } = tsMorph();
  if (!arg) return undefined;
  if (!N.isObjectLiteralExpression(arg)) return { kind: 'unknown', text: arg.getText(), span: file.span(arg) };
  const node = propertyNode(arg, key);
  return node ? tsValue(file, node) : undefined;
}

function propertyNode(arg: Node | undefined, key: string): Node | undefined {
  const { Node: N } = tsMorph();
  if (!arg || !N.isObjectLiteralExpression(arg)) return undefined;
  const prop = arg.getProperty(key);
  if (prop && N.isPropertyAssignment(prop)) return prop.getInitializer();
  if (prop && N.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return prop;
}

/** celery-ts `new Client({brokers: [createBroker(url)], backend: createBackend(id, url)})`: the URL(s) passed. */
function factoryUrl(file: TsFile, bindings: Map<string, LibraryBinding>, arg: Node | undefined, key: string, factory: string, index: number): Value | undefined {
  const { Node: N } = tsMorph();
  const node = propertyNode(arg, key);
  if (!node) return arg && !N.isObjectLiteralExpression(arg) ? { kind: 'unknown', text: arg.getText(), span: file.span(arg) } : undefined;
  const one = (n: Node): Value =>
    N.isCallExpression(n) && calleeExport(n.getExpression(), bindings)?.name === factory ? tsValue(file, n.getArguments()[index]) : tsValue(file, n);
  if (N.isArrayLiteralExpression(node)) {
    const items = node.getElements().map(one);
    return items.length === 1 ? items[0] : { kind: 'list', items, span: file.span(node) };
  }
  return one(node);
}

/** The name a created value is bound to (`const client = ...`, `this.client = ...`) and the scope of that name. */
export function bindingOf(expr: Node): { name: string; scope: Node; exported: boolean } | undefined {
  const { Node: N } = tsMorph();
  let node: Node = expr;
  let parent = node.getParent();
  while (parent && (N.isAwaitExpression(parent) || N.isParenthesizedExpression(parent) || N.isAsExpression(parent) || N.isNonNullExpression(parent))) {
    node = parent;
    parent = node.getParent();
  }
  if (parent && N.isVariableDeclaration(parent) && parent.getInitializer() === node && N.isIdentifier(parent.getNameNode())) {
    const statement = parent.getVariableStatement();
    return { name: parent.getName(), scope: scopeOf(parent), exported: statement?.isExported() ?? false };
  }
  if (parent && N.isBinaryExpression(parent) && parent.getOperatorToken().getText() === '=' && parent.getRight() === node) {
    const left = parent.getLeft().getText();
    if (left.startsWith('this.')) return { name: left, scope: parent.getFirstAncestor((a) => N.isClassDeclaration(a) || N.isClassExpression(a)) ?? parent.getSourceFile(), exported: false };
    return { name: left, scope: scopeOf(parent), exported: false };
  }
  if (parent && N.isPropertyDeclaration(parent) && parent.getInitializer() === node) {
    return { name: `this.${parent.getName()}`, scope: parent.getParent(), exported: false };
  }
  return undefined;
}

/** The function (or file) a local name lives in. */
export function scopeOf(node: Node): Node {
  const { Node: N } = tsMorph();
  return (
    node.getFirstAncestor((a) => N.isFunctionDeclaration(a) || N.isFunctionExpression(a) || N.isArrowFunction(a) || N.isMethodDeclaration(a) || N.isConstructorDeclaration(a)) ??
    node.getSourceFile()
  );
}

/** Whether `inner` lies inside `scope`. */
export function within(scope: Node, inner: Node): boolean {
  return scope.getPos() <= inner.getPos() && inner.getEnd() <= scope.getEnd();
}
