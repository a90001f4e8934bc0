import type { MappedText } from '../../model/shell-words.js';
import type { DeploySource, EnvVar, ParseProblem } from '../../model/types.js';
import type { LineIndex } from '../../parse/span.js';

/**
 * Variable names worth reporting from places that also hold unrelated variables (ConfigMaps, shell exports);
 * GUNICORN_CMD_ARGS may set the web server's worker class.
 */
// DJANGO_SETTINGS_MODULE: which settings module a worker started from this deploy reads (django.conf:settings)
const CELERYISH = /CELERY|BROKER|RESULT_BACKEND|REDIS|AMQP|RABBIT|^GUNICORN_CMD_ARGS$|^DJANGO_SETTINGS_MODULE$/i;

export function isCeleryishName(name: string): boolean {
  return CELERYISH.test(name);
}

/** The file range a mapped text came from; an empty text is an empty range where it would be. */
export function mappedRange(m: MappedText): [number, number] {
  const first = m.offsets[0] ?? 0;
  if (m.text.length === 0) return [first, first];
  return [first, (m.offsets[m.text.length - 1] ?? first) + 1];
}

/** The part of a mapped text from `from` on, keeping its offsets. */
export function mappedTail(m: MappedText, from: number): MappedText {
  return { text: m.text.slice(from), offsets: m.offsets.slice(from) };
}

export interface EnvEntry {
  name: string;
  /** The whole entry (`KEY=value`, `KEY: value`, a list item). */
  entry: [number, number];
  value: MappedText;
}

export function envVar(file: string, index: LineIndex, source: DeploySource, e: EnvEntry): EnvVar {
  const [vs, ve] = mappedRange(e.value);
  const valueSpan = index.span(file, vs, ve);
  return {
    name: e.name,
    value: { kind: 'str', value: e.value.text, span: valueSpan },
    file,
    span: index.span(file, e.entry[0], e.entry[1]),
    valueSpan,
    source,
  };
}

/** Splits `KEY=value` (a list-form environment entry or an `export` word) into an env entry. */
export function splitAssignment(m: MappedText, entry: [number, number]): EnvEntry | undefined {
  const eq = m.text.indexOf('=');
  if (eq <= 0) return undefined;
  const name = m.text.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return undefined;
  return { name, entry, value: mappedTail(m, eq + 1) };
}

export function warning(file: string, index: LineIndex | undefined, message: string, at?: [number, number]): ParseProblem {
  const p: ParseProblem = { file, severity: 'warning', message };
  if (index && at) p.span = index.span(file, at[0], at[1]);
  return p;
}
