import type { Diagnostic } from '../engine/types.js';
import { maskSecrets, maskSecretsInLine } from '../model/url.js';

export interface TextOptions {
  color: boolean;
  /** File texts by path, for the source excerpt. */
  source(file: string): string | undefined;
  /** Whether unsafe fixes count as applicable (shown as [*]). */
  unsafeFixes: boolean;
  /** Files with syntax errors (analysed only where they parse): "all checks passed" would not be true. */
  unparsed?: number;
}

const C = { bold: '\x1b[1m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', blue: '\x1b[34m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function fixable(d: Diagnostic, unsafe: boolean): boolean {
  return !!d.fix && (d.fix.applicability === 'safe' || (unsafe && d.fix.applicability === 'unsafe'));
}

/** Ruff-style full output: location, code, message, an excerpt with the range underlined, and a fix hint. */
export function renderText(diags: readonly Diagnostic[], opts: TextOptions): string {
  const paint = (code: string, s: string) => (opts.color ? `${code}${s}${C.reset}` : s);
  const out: string[] = [];
  for (const d of diags) {
    const mark = fixable(d, opts.unsafeFixes) ? ' [*]' : '';
    const where = `${d.span.file}:${d.span.start.line}:${d.span.start.column}`;
    out.push(`${paint(C.bold, where)}: ${paint(d.severity === 'error' ? C.red : C.yellow, d.code)}${mark} ${maskSecrets(d.message)}`);
    const excerpt = renderExcerpt(d, opts.source(d.span.file), paint);
    if (excerpt) out.push(excerpt);
    if (d.fix) {
      const how = d.fix.applicability === 'safe' ? '' : d.fix.applicability === 'unsafe' ? ' (unsafe fix: --unsafe-fixes)' : ' (manual)';
      out.push(`   = help: ${maskSecrets(d.fix.message)}${how}`);
    }
    out.push('');
  }
  out.push(summary(diags, opts.unsafeFixes, opts.unparsed));
  return `${out.join('\n')}\n`;
}

export function renderConcise(diags: readonly Diagnostic[], unsafe: boolean, unparsed = 0): string {
  const lines = diags.map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.code}${fixable(d, unsafe) ? ' [*]' : ''} ${maskSecrets(d.message)}`);
  return `${[...lines, summary(diags, unsafe, unparsed)].join('\n')}\n`;
}

export function summary(diags: readonly Diagnostic[], unsafe: boolean, unparsed = 0): string {
  const partly = unparsed ? ` ${unparsed} file${unparsed === 1 ? ' has' : 's have'} syntax errors and ${unparsed === 1 ? 'was' : 'were'} checked only where ${unparsed === 1 ? 'it parses' : 'they parse'}.` : '';
  if (diags.length === 0) return unparsed ? `0 findings.${partly}` : 'All checks passed: 0 findings.';
  const n = diags.filter((d) => fixable(d, unsafe)).length;
  const hidden = unsafe ? 0 : diags.filter((d) => d.fix?.applicability === 'unsafe').length;
  const extra = hidden ? ` (${hidden} more with --unsafe-fixes)` : '';
  return `${diags.length} finding${diags.length === 1 ? '' : 's'}, ${n} fixable with --fix${extra}.${partly}`;
}

function renderExcerpt(d: Diagnostic, text: string | undefined, paint: (c: string, s: string) => string): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const first = d.span.start.line;
  const last = Math.min(d.span.end.line, first + 4);
  const width = String(last).length;
  const gutter = ' '.repeat(width);
  const out = [`${gutter} ${paint(C.blue, '|')}`];
  for (let ln = first; ln <= last; ln++) {
    const raw = (lines[ln - 1] ?? '').replace(/\r$/, '');
    out.push(`${paint(C.blue, String(ln).padStart(width))} ${paint(C.blue, '|')} ${maskSecretsInLine(raw)}`);
    const from = ln === first ? d.span.start.column : 1;
    const to = ln === d.span.end.line ? d.span.end.column : raw.length + 1;
    const len = Math.max(1, to - from);
    out.push(`${gutter} ${paint(C.blue, '|')} ${' '.repeat(Math.max(0, from - 1))}${paint(C.red, '^'.repeat(len))}${ln === last ? ` ${paint(C.red, d.code)}` : ''}`);
  }
  out.push(`${gutter} ${paint(C.blue, '|')}`);
  return out.join('\n');
}
