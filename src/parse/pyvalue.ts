import type { DictEntry, Value } from './value.js';
import { callArguments, dottedName, namedChildren, nodeSpan, type Node, type PyFile } from './python.js';

/** Names already bound at module level, so `BROKER = "redis://"; BROKER_URL = BROKER` evaluates. */
export type Scope = ReadonlyMap<string, Value>;

const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'environ.get', 'getenv']);
// django-environ's env("X", default=...), env.str/int/bool/...; python-decouple's config("X", default=...)
const ENV_LIBRARY_CALLS = /^(env|environ\.Env\(\)|config)(\.(str|int|bool|float|list|tuple|dict|url|json|path))?$/;

/** Evaluates a Python expression statically. Anything not provably a literal becomes `unknown`. */
export function evaluate(py: PyFile, node: Node, scope: Scope = new Map()): Value {
  // Deeply nested literals (generated files, fuzzing) would overflow the stack; nobody configures Celery that deep.
  if (depth >= MAX_DEPTH) return { kind: 'unknown', text: node.text.length > 200 ? `${node.text.slice(0, 200)}…` : node.text, span: nodeSpan(py, node) };
  depth++;
  try {
    return evaluateNode(py, node, scope);
  } finally {
    depth--;
  }
}

const MAX_DEPTH = 100;
let depth = 0;

function evaluateNode(py: PyFile, node: Node, scope: Scope): Value {
  const span = nodeSpan(py, node);
  const unknown = (literal?: 'bytes', template?: string): Value => ({
    kind: 'unknown',
    text: node.text.length > 200 ? `${node.text.slice(0, 200)}…` : node.text,
    span,
    ...(literal ? { literal } : {}),
    ...(template !== undefined ? { template } : {}),
  });
  switch (node.type) {
    case 'string': {
      const s = stringValue(node);
      if (s !== undefined) return { kind: 'str', value: s, span };
      const template = fStringTemplate(node);
      return unknown(isBytes(node) ? 'bytes' : undefined, template);
    }
    case 'concatenated_string': {
      let out = '';
      for (const part of namedChildren(node)) {
        const s = stringValue(part);
        if (s === undefined) return unknown(namedChildren(node).every(isBytes) ? 'bytes' : undefined);
        out += s;
      }
      return { kind: 'str', value: out, span };
    }
    case 'integer': {
      const n = parseIntLiteral(node.text);
      return n === undefined ? unknown() : { kind: 'num', value: n, span };
    }
    case 'float': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? { kind: 'num', value: n, span } : unknown();
    }
    case 'true':
      return { kind: 'bool', value: true, span };
    case 'false':
      return { kind: 'bool', value: false, span };
    case 'none':
      return { kind: 'none', span };
    case 'parenthesized_expression': {
      const inner = namedChildren(node).find((c) => c.type !== 'comment');
      return inner ? { ...evaluate(py, inner, scope), span } : unknown();
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items = namedChildren(node).filter((c) => c.type !== 'comment');
      if (items.some((c) => c.type === 'list_splat')) return unknown();
      return { kind: node.type, items: items.map((c) => evaluate(py, c, scope)), span };
    }
    case 'dictionary': {
      const entries: DictEntry[] = [];
      for (const pair of namedChildren(node)) {
        if (pair.type === 'comment') continue;
        if (pair.type !== 'pair') return unknown();
        const k = pair.childForFieldName('key');
        const v = pair.childForFieldName('value');
        if (!k || !v) return unknown();
        entries.push({ key: evaluate(py, k, scope), value: evaluate(py, v, scope), span: nodeSpan(py, pair) });
      }
      return { kind: 'dict', entries, span };
    }
    case 'unary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const arg = node.childForFieldName('argument');
      if (!arg) return unknown();
      const v = evaluate(py, arg, scope);
      if (v.kind === 'num' && op === '-') return { kind: 'num', value: -v.value, span };
      if (v.kind === 'num' && op === '+') return { kind: 'num', value: v.value, span };
      return unknown();
    }
    case 'binary_operator':
      return binary(py, node, scope) ?? unknown();
    case 'identifier': {
      const bound = scope.get(node.text);
      return bound ? { ...bound, span } : unknown();
    }
    case 'subscript': {
      // os.environ["X"]
      const target = dottedName(node.childForFieldName('value'));
      const sub = node.childForFieldName('subscript');
      if ((target === 'os.environ' || target === 'environ') && sub?.type === 'string') {
        const name = stringValue(sub);
        if (name !== undefined) return { kind: 'env', name, span };
      }
      return unknown();
    }
    case 'call':
      return envCall(py, node, scope) ?? unknown();
    default:
      return unknown();
  }
}

function envCall(py: PyFile, node: Node, scope: Scope): Value | undefined {
  const callee = dottedName(node.childForFieldName('function'));
  if (!callee) return undefined;
  if (!ENV_GETTERS.has(callee) && !ENV_LIBRARY_CALLS.test(callee)) return undefined;
  const { positional, keywords } = callArguments(node);
  const first = positional[0];
  if (!first || first.type !== 'string') return undefined;
  const name = stringValue(first);
  if (name === undefined) return undefined;
  const defaultNode = keywords.find((k) => k.name === 'default')?.value ?? (ENV_GETTERS.has(callee) ? positional[1] : undefined);
  const span = nodeSpan(py, node);
  return defaultNode ? { kind: 'env', name, default: evaluate(py, defaultNode, scope), span } : { kind: 'env', name, span };
}

function binary(py: PyFile, node: Node, scope: Scope): Value | undefined {
  const l = node.childForFieldName('left');
  const r = node.childForFieldName('right');
  const op = node.childForFieldName('operator')?.text;
  if (!l || !r || !op) return undefined;
  const a = evaluate(py, l, scope);
  const b = evaluate(py, r, scope);
  const span = nodeSpan(py, node);
  if (a.kind === 'str' && b.kind === 'str' && op === '+') return { kind: 'str', value: a.value + b.value, span };
  if (a.kind === 'num' && b.kind === 'num') {
    const n = arith(op, a.value, b.value);
    return n === undefined ? undefined : { kind: 'num', value: n, span };
  }
  if ((a.kind === 'list' || a.kind === 'tuple') && a.kind === b.kind && op === '+') return { kind: a.kind, items: [...a.items, ...b.items], span };
  return undefined;
}

function arith(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '//':
      return b === 0 ? undefined : Math.floor(a / b);
    case '**':
      return a ** b;
    default:
      return undefined;
  }
}

function parseIntLiteral(text: string): number | undefined {
  const t = text.replace(/_/g, '').toLowerCase();
  let n: number;
  if (t.startsWith('0x')) n = parseInt(t.slice(2), 16);
  else if (t.startsWith('0o')) n = parseInt(t.slice(2), 8);
  else if (t.startsWith('0b')) n = parseInt(t.slice(2), 2);
  else n = Number(t.replace(/l$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** An f-string's text with its literal parts decoded and each replacement field kept as `{expression}`. */
function fStringTemplate(node: Node): string | undefined {
  const start = node.children.find((c) => c?.type === 'string_start')?.text ?? '"';
  if (!start.toLowerCase().includes('f')) return undefined;
  const out = literalText(node, (field) => `{${field.namedChildren[0]?.text ?? ''}}`);
  return out !== undefined && out.length <= 200 ? out : undefined;
}

/** A bytes literal: `b'…'`, `rb"…"`, `Br'…'`. */
function isBytes(node: Node): boolean {
  if (node.type !== 'string') return false;
  const start = node.children.find((c) => c?.type === 'string_start')?.text ?? '';
  return start.replace(/['"]/g, '').toLowerCase().includes('b');
}

/** The value of a plain string literal node; undefined for f-strings with interpolation and bytes. */
export function stringValue(node: Node): string | undefined {
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of namedChildren(node)) {
      const s = stringValue(part);
      if (s === undefined) return undefined;
      out += s;
    }
    return out;
  }
  return node.type === 'string' ? literalText(node, () => undefined) : undefined;
}

/** A str literal's text, escapes decoded (raw strings kept as written); `field` stands for each f-string field. */
function literalText(node: Node, field: (interpolation: Node) => string | undefined): string | undefined {
  const start = node.children.find((c) => c?.type === 'string_start')?.text ?? '"';
  const prefix = start.replace(/['"]/g, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  const raw = prefix.includes('r');
  let out = '';
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'interpolation') {
      const text = field(child);
      if (text === undefined) return undefined;
      out += text;
    } else if (child.type === 'string_content') out += raw ? child.text : contentValue(child);
    else if (child.type === 'escape_sequence') out += raw ? child.text : unescape(child.text);
  }
  return out;
}

// The grammar nests escape_sequence nodes inside string_content; decode each in place.
function contentValue(content: Node): string {
  let out = '';
  let pos = content.startIndex;
  const text = content.text;
  for (const esc of content.children) {
    if (!esc || esc.type !== 'escape_sequence') continue;
    out += text.slice(pos - content.startIndex, esc.startIndex - content.startIndex) + unescape(esc.text);
    pos = esc.endIndex;
  }
  return out + text.slice(pos - content.startIndex);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

function unescape(seq: string): string {
  const body = seq.slice(1);
  if (body.startsWith('\n') || body.startsWith('\r')) return '';
  const simple = SIMPLE_ESCAPES[body];
  if (simple !== undefined) return simple;
  if (/^x[0-9a-fA-F]{2}$/.test(body) || /^u[0-9a-fA-F]{4}$/.test(body) || /^U[0-9a-fA-F]{8}$/.test(body)) {
    return String.fromCodePoint(parseInt(body.slice(1), 16));
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCodePoint(parseInt(body, 8));
  return seq;
}

/** Plain JS view of a value, for JSON output and comparisons; env values become their default or undefined. */
export function toPlain(v: Value): unknown {
  switch (v.kind) {
    case 'str':
    case 'num':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.map(toPlain);
    case 'dict': {
      const o: Record<string, unknown> = {};
      for (const e of v.entries) o[e.key.kind === 'str' ? e.key.value : String(toPlain(e.key))] = toPlain(e.value);
      return o;
    }
    case 'env':
      return v.default === undefined ? undefined : toPlain(v.default);
    case 'unknown':
      return undefined;
  }
}

/** The string value, following an env var's default; undefined when not statically known. */
export function knownString(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'str') return v.value;
  if (v.kind === 'env' && v.default) return knownString(v.default);
  return undefined;
}

export function knownNumber(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'num') return v.value;
  if (v.kind === 'env' && v.default) return knownNumber(v.default);
  return undefined;
}

/** Items of a list/tuple/set value as strings, or a single comma-free string; undefined if not known. */
export function knownStringList(v: Value | undefined): string[] | undefined {
  if (!v) return undefined;
  if (v.kind === 'str') return [v.value];
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') {
    const out: string[] = [];
    for (const item of v.items) {
      if (item.kind !== 'str') return undefined;
      out.push(item.value);
    }
    return out;
  }
  if (v.kind === 'env' && v.default) return knownStringList(v.default);
  return undefined;
}

export function dictGet(v: Value | undefined, key: string): DictEntry | undefined {
  if (!v || v.kind !== 'dict') return undefined;
  return v.entries.find((e) => e.key.kind === 'str' && e.key.value === key);
}

/** A short human rendering of a value for messages (never unmasked secrets: callers mask URLs). */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'str':
      return JSON.stringify(v.value);
    case 'num':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return `[${v.items.map(describeValue).join(', ')}]`;
    case 'tuple':
      return `(${v.items.map(describeValue).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'set':
      return `{${v.items.map(describeValue).join(', ')}}`;
    case 'dict':
      return `{${v.entries.map((e) => `${describeValue(e.key)}: ${describeValue(e.value)}`).join(', ')}}`;
    case 'env':
      return v.default === undefined ? `$${v.name}` : `$${v.name} (default ${describeValue(v.default)})`;
    case 'unknown':
      return `<${v.text}>`;
  }
}
