import type { ProjectModel, SettingFact, Span, Value } from '../../src/model/types.js';
import { knownString } from '../../src/parse/pyvalue.js';

/** The result backend name Celery looks up: the URL scheme (before `+`), or the whole value when it is no URL. */
export function backendName(url: string): string {
  const i = url.indexOf('://');
  const scheme = i < 0 ? url : url.slice(0, i);
  return (scheme.split('+')[0] ?? scheme).toLowerCase();
}

/**
 * The source offset just before the closing quote of a plain one-line string literal whose characters map one to
 * one onto its value (no prefix, escapes or implicit concatenation: the literal is exactly the value plus quotes).
 */
export function literalOffset(v: Value, length: number): number | undefined {
  if (v.kind !== 'str' || !v.span || v.value.length !== length) return undefined;
  const { start, end } = v.span;
  if (start.line !== end.line || end.offset - start.offset !== length + 2) return undefined;
  return end.offset - 1;
}

/** The span of `value[from, to)` inside such a literal. */
function innerSpan(v: Value & { kind: 'str' }, from: number, to: number): Span | undefined {
  if (literalOffset(v, v.value.length) === undefined || !v.span) return undefined;
  const s = v.span.start;
  const at = (i: number) => ({ line: s.line, column: s.column + 1 + i, offset: s.offset + 1 + i });
  return { file: v.span.file, start: at(from), end: at(to) };
}

/**
 * Where a broker URL is written: its literal setting, else the deploy-file environment variable that gives it.
 * With `needle`, the `key=value` part of the query inside a literal (falls back to undefined when not mappable).
 */
export function urlSpanFor(model: ProjectModel, fact: SettingFact | undefined, url: string, needle?: string): Span | undefined {
  if (fact?.value.kind === 'str' && fact.value.value === url) {
    if (!needle) return fact.valueSpan;
    const q = url.indexOf('?');
    const i = q < 0 ? -1 : url.indexOf(needle, q);
    if (i < 0 || (url[i - 1] !== '?' && url[i - 1] !== '&')) return undefined;
    const amp = url.indexOf('&', i);
    return innerSpan(fact.value, i, amp < 0 ? url.length : amp);
  }
  if (needle) return undefined;
  if (fact?.value.kind === 'unknown' && fact.value.template === url) return fact.valueSpan;
  const env = model.envVars.find((e) => knownString(e.value) === url);
  return env?.valueSpan;
}
