import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { celeryCommandsInText, celeryCommandsInWords, joinedCommands } from '../../model/celery-cli.js';
import { alignText, shellTokens, type CommandTarget, type MappedText, type Word } from '../../model/shell-words.js';
import type { CeleryCommand, ParseProblem } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import { mappedRange, warning } from './common.js';

export interface YamlFile {
  file: string;
  /** The file as written. */
  text: string;
  /** The text YAML was parsed from: template tags blanked out, same length, so offsets agree. */
  parsed: string;
  templated: boolean;
  index: LineIndex;
  docs: Document.Parsed[];
  problems: ParseProblem[];
}

const TEMPLATE = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

/**
 * Helm/Jinja tags make YAML unparsable. A tag alone on its line (`{{- if .Values.x }}`) becomes spaces; a tag
 * inside a line (`image: {{ .Values.image }}`) becomes x's, so it parses as a plain scalar. Offsets are kept.
 */
export function maskTemplates(text: string): string | undefined {
  if (!/\{\{|\{%/.test(text)) return undefined;
  const chars = text.split('');
  for (const m of text.matchAll(TEMPLATE)) {
    const s = m.index;
    const e = s + m[0].length;
    const lineStart = text.lastIndexOf('\n', s - 1) + 1;
    const nl = text.indexOf('\n', e);
    const lineEnd = nl < 0 ? text.length : nl;
    const alone = (text.slice(lineStart, s) + text.slice(e, lineEnd)).replace(TEMPLATE, '').trim() === '';
    for (let k = s; k < e; k++) if (chars[k] !== '\n') chars[k] = alone ? ' ' : 'x';
  }
  return chars.join('');
}

/** Parses every document it can; a document with errors is skipped with one warning, never thrown. */
export function parseYaml(file: string, text: string, warnOnErrors = true): YamlFile {
  const masked = maskTemplates(text);
  const parsed = masked ?? text;
  const index = new LineIndex(text);
  const yf: YamlFile = { file, text, parsed, templated: masked !== undefined, index, docs: [], problems: [] };
  let all: Document.Parsed[];
  try {
    const res = parseAllDocuments(parsed, { keepSourceTokens: false, uniqueKeys: false });
    all = Array.isArray(res) ? res : [];
  } catch (e) {
    if (warnOnErrors) yf.problems.push(warning(file, undefined, `skipped: YAML could not be parsed (${(e as Error).message})`));
    return yf;
  }
  all.forEach((doc, n) => {
    if (doc.errors.length === 0) {
      yf.docs.push(doc);
      return;
    }
    if (!warnOnErrors) return;
    const err = doc.errors[0];
    const [s, e] = err?.pos ?? [0, 0];
    const what = yf.templated ? 'templated YAML document' : 'YAML document';
    const message = (err?.message ?? 'parse error').split('\n')[0] ?? 'parse error';
    yf.problems.push(warning(file, index, `skipped ${what} ${n + 1}: ${message}`, [s, Math.max(s, e)]));
  });
  return yf;
}

/** A scalar's value with each character's offset in the file; template text is restored as written. */
export function scalarText(yf: YamlFile, node: unknown): MappedText | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const [s, e] = node.range;
  if (node.value === null || node.value === undefined) return undefined;
  const value = typeof node.value === 'string' ? node.value : yf.parsed.slice(s, e).trim();
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (quoted && value === '') return { text: '', offsets: [s + 1] };
  // A block scalar's header line (`|-`, `>2`) holds no value characters.
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  const from = block ? Math.min(e, yf.parsed.indexOf('\n', s) + 1 || e) : s;
  const m = alignText(value, yf.parsed, from, e);
  if (!yf.templated) return m;
  let text = '';
  for (let i = 0; i < m.text.length; i++) {
    const o = m.offsets[i] ?? 0;
    text += yf.parsed[o] !== yf.text[o] ? (yf.text[o] ?? '') : (m.text[i] ?? '');
  }
  return { text, offsets: m.offsets };
}

export function scalarString(yf: YamlFile, node: unknown): string | undefined {
  return scalarText(yf, node)?.text;
}

/** An alias (`*common`) stands for the node it names. */
export function deref(doc: Document | undefined, node: unknown): unknown {
  return doc && isAlias(node) ? node.resolve(doc) : node;
}

/**
 * The node stored under a plain key in a mapping. Given the document, aliases are followed and `<<: *anchor`
 * merge keys (common in compose files) are searched, so spans point at the anchored text.
 */
export function child(map: unknown, key: string, doc?: Document, depth = 0): Node | undefined {
  const pair = pairOf(map, key);
  if (pair) return deref(doc, pair.value) as Node | undefined;
  if (!doc || !isMap(map) || depth > 8) return undefined;
  for (const p of map.items as Pair[]) {
    if (!isScalar(p.key) || p.key.value !== '<<') continue;
    for (const source of isSeq(p.value) ? p.value.items : [p.value]) {
      const found = child(deref(doc, source), key, doc, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export function pairOf(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** A node's [start, end) offsets; a block collection ends with its last item, not the line break after it. */
export function nodeRange(node: unknown): [number, number] | undefined {
  const r = (node as Node | undefined)?.range;
  if (!r) return undefined;
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length) {
    const last = node.items[node.items.length - 1];
    const end = isPair(last) ? pairRange(last)?.[1] : nodeRange(last)?.[1];
    if (end !== undefined) return [r[0], end];
  }
  return [r[0], r[1]];
}

export function pairRange(pair: Pair): [number, number] | undefined {
  const k = nodeRange(pair.key);
  if (!k) return undefined;
  const v = nodeRange(pair.value);
  return [k[0], v && v[1] > k[1] ? v[1] : k[1]];
}

/** An argument vector: a YAML list of strings, or a string split as shlex would (no shell operators). */
export function argv(yf: YamlFile, node: unknown): Word[] | undefined {
  if (isSeq(node)) {
    const words: Word[] = [];
    for (const item of node.items) {
      const m = scalarText(yf, item);
      const r = nodeRange(item);
      if (!m || !r) return undefined;
      words.push({ value: m.text, offsets: m.offsets, start: r[0], end: r[1] });
    }
    return words;
  }
  const m = scalarText(yf, node);
  if (!m) return undefined;
  const tokens = shellTokens(m);
  if (tokens.some((t) => t.kind === 'op')) return undefined;
  return tokens.flatMap((t) => (t.kind === 'word' ? [t.word] : []));
}

/**
 * Celery commands from an entrypoint/command pair (compose `entrypoint`+`command`, k8s `command`+`args`): the
 * program runs with both lists joined, so that is tried first; otherwise each is read on its own.
 */
export function commandsFromPair(yf: YamlFile, target: CommandTarget, first: unknown, second: unknown): CeleryCommand[] {
  const a = first === undefined ? undefined : argv(yf, first);
  const b = second === undefined ? undefined : argv(yf, second);
  if (a && b) {
    const joined = joinedCommands(target, [...a, ...b]);
    if (joined) return joined;
  }
  return [...commandsFrom(yf, target, first), ...commandsFrom(yf, target, second)];
}

function commandsFrom(yf: YamlFile, target: CommandTarget, node: unknown): CeleryCommand[] {
  if (node === undefined) return [];
  if (isSeq(node)) {
    const words = argv(yf, node);
    return words ? celeryCommandsInWords(target, words) : [];
  }
  const m = scalarText(yf, node);
  return m ? celeryCommandsInText(target, m) : [];
}

/** The content range of a scalar (inside its quotes). */
export function scalarRange(yf: YamlFile, node: unknown): [number, number] | undefined {
  const m = scalarText(yf, node);
  return m ? mappedRange(m) : undefined;
}
