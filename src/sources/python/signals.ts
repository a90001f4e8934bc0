import type { SignalHandler } from '../../model/types.js';
import { callArguments, descendants, dottedName, nodeSpan, type Node, type PyFile } from '../../parse/python.js';
import type { ImportBinding } from './imports.js';

// A file that never calls `.connect` connects no handler: skip the extra walk.
const CONNECT = /\.connect\b/;

/**
 * Handlers connected to Celery signals: `@worker_process_init.connect`, `@signals.task_prerun.connect(sender=...)`,
 * `worker_process_init.connect(close_db)`. The signal must resolve through the file's imports to `celery.signals.<name>`
 * (`from celery.signals import worker_process_init`, `from celery import signals`, `import celery`), so Django's
 * signals of the same shape are not taken for Celery's.
 */
export function collectSignalHandlers(py: PyFile, bindings: ReadonlyMap<string, ImportBinding>): SignalHandler[] {
  if (!CONNECT.test(py.text)) return [];
  const out: SignalHandler[] = [];
  for (const node of descendants(py.tree.rootNode, ['decorator', 'call'])) {
    if (node.type === 'decorator') {
      const h = fromDecorator(py, node, bindings);
      if (h) out.push(h);
    } else if (node.parent?.type !== 'decorator') {
      const h = fromCall(py, node, bindings);
      if (h) out.push(h);
    }
  }
  return out;
}

function fromDecorator(py: PyFile, decorator: Node, bindings: ReadonlyMap<string, ImportBinding>): SignalHandler | undefined {
  const expr = decorator.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? undefined;
  if (!expr) return undefined;
  const target = expr.type === 'call' ? expr.childForFieldName('function') : expr;
  const signal = signalOf(dottedName(target), bindings);
  if (!signal) return undefined;
  const definition = decorator.parent?.childForFieldName('definition');
  const name = definition?.type === 'function_definition' ? definition.childForFieldName('name')?.text : undefined;
  if (!name) return undefined;
  return { signal, function: name, file: py.file, span: nodeSpan(py, decorator) };
}

function fromCall(py: PyFile, call: Node, bindings: ReadonlyMap<string, ImportBinding>): SignalHandler | undefined {
  const signal = signalOf(dottedName(call.childForFieldName('function')), bindings);
  if (!signal) return undefined;
  const first = callArguments(call).positional[0];
  const fn = dottedName(first);
  if (!fn) return undefined;
  return { signal, function: fn, file: py.file, span: nodeSpan(py, call) };
}

/** `worker_process_init.connect` → `worker_process_init` when the receiver is celery.signals.worker_process_init. */
function signalOf(callee: string | undefined, bindings: ReadonlyMap<string, ImportBinding>): string | undefined {
  if (!callee?.endsWith('.connect')) return undefined;
  const receiver = callee.slice(0, -'.connect'.length);
  const [head = '', ...rest] = receiver.split('.');
  const bound = bindings.get(head);
  if (!bound) return undefined;
  const full = [bound.target, ...rest].join('.');
  const m = /^celery\.signals\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(full);
  return m?.[1];
}
