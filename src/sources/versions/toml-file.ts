import { parse, TomlError } from 'smol-toml';
import type { ParseProblem, Span } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import { scanToml, type TomlEntry, type TomlSection } from './toml-spans.js';

export type TomlTable = Record<string, unknown>;

export interface TomlFile {
  file: string;
  doc: TomlTable;
  sections: TomlSection[];
  lines: LineIndex;
  span(start: number, end: number): Span;
}

/** Parses a TOML file for values (smol-toml) and offsets (toml-spans); a syntax error becomes a warning. */
export function readToml(file: string, text: string, problems: ParseProblem[]): TomlFile | undefined {
  const lines = new LineIndex(text);
  let doc: TomlTable;
  try {
    doc = parse(text) as TomlTable;
  } catch (e) {
    const where = e instanceof TomlError ? offsetOf(lines, e.line, e.column) : undefined;
    const message = `cannot parse TOML: ${(e as Error).message.split('\n')[0] ?? 'syntax error'}`;
    problems.push(where === undefined ? { file, message, severity: 'warning' } : { file, span: lines.span(file, where, where), message, severity: 'warning' });
    return undefined;
  }
  return { file, doc, sections: scanToml(text), lines, span: (s, e) => lines.span(file, s, e) };
}

function offsetOf(lines: LineIndex, line: number, column: number): number | undefined {
  if (!Number.isFinite(line) || line < 1) return undefined;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = lines.text.indexOf('\n', offset);
    if (nl === -1) return undefined;
    offset = nl + 1;
  }
  return Math.min(offset + Math.max(0, column - 1), lines.text.length);
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function tableAt(doc: TomlTable, path: readonly string[]): TomlTable | undefined {
  let cur: unknown = doc;
  for (const key of path) {
    if (!isTable(cur)) return undefined;
    cur = cur[key];
  }
  return isTable(cur) ? cur : undefined;
}

/** The entry's span, or the start of the file if the scanner could not place it (not expected for valid TOML). */
export function entrySpan(toml: TomlFile, entry: TomlEntry | undefined): Span {
  return entry ? toml.span(entry.start, entry.end) : toml.span(0, 0);
}
