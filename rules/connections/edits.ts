import type { Edit } from '../../src/engine/types.js';
import type { SettingFact, Value } from '../../src/model/types.js';
import { pyLiteral } from '../settings/keys.js';
import { literalOffset } from '../transports/urls.js';

/*
 * Text edits shared by the connection rules (CEL401, CEL402): new entries in a dict literal written in place, and
 * new parameters in a literal broker/backend URL.
 */

/**
 * Adds `key: value` entries to a dict literal, keeping its layout: after the last entry on the same line for a
 * one-line dict, one entry per line at the last entry's indentation for a multi-line one, or inside `{}`.
 * Only for a literal written as the setting's own value (a dict reached through a name is not edited here).
 */
export function addEntriesEdit(dict: Value, fact: SettingFact, entries: [string, unknown][]): Edit | undefined {
  if (dict.kind !== 'dict' || !dict.span || dict.span.start.offset !== fact.valueSpan.start.offset || !entries.length) return undefined;
  const pairs = entries.map(([k, v]) => `${pyLiteral(k)}: ${pyLiteral(v)}`);
  const file = dict.span.file;
  const last = dict.entries.at(-1);
  if (!last) {
    if (dict.span.end.offset - dict.span.start.offset !== 2) return undefined; // `{ }` or a comment inside
    return { file, start: dict.span.start.offset, end: dict.span.end.offset, content: `{${pairs.join(', ')}}` };
  }
  if (!last.span) return undefined;
  const at = last.span.end.offset;
  if (dict.span.start.line === dict.span.end.line) return { file, start: at, end: at, content: pairs.map((p) => `, ${p}`).join('') };
  const indent = ' '.repeat(last.span.start.column - 1);
  return { file, start: at, end: at, content: pairs.map((p) => `,\n${indent}${p}`).join('') };
}

/**
 * Appends `key=value` pairs to the query string of a literal URL (one plain one-line string that is the whole
 * value). Not for failover lists (`;`): each URL there has its own query.
 */
export function appendQueryEdit(fact: SettingFact | undefined, rawUrl: string, pairs: [string, string | number][], slashBeforeQuery: boolean): Edit | undefined {
  if (!fact || fact.value.kind !== 'str' || fact.value.value !== rawUrl || !fact.value.span || rawUrl.includes(';') || !pairs.length) return undefined;
  const end = literalOffset(fact.value, rawUrl.length);
  if (end === undefined) return undefined;
  const q = rawUrl.indexOf('?');
  let lead: string;
  if (q < 0) {
    const afterScheme = rawUrl.slice(rawUrl.indexOf('://') + 3);
    // pymongo requires a '/' between the host list and the options
    lead = slashBeforeQuery && !afterScheme.includes('/') ? '/?' : '?';
  } else {
    lead = q === rawUrl.length - 1 || rawUrl.endsWith('&') ? '' : '&';
  }
  return { file: fact.value.span.file, start: end, end, content: lead + pairs.map(([k, v]) => `${k}=${v}`).join('&') };
}

/** The query keys of a URL, lower-cased (pymongo compares its option names case-insensitively). */
export function queryKeys(query: Record<string, string>): Set<string> {
  return new Set(Object.keys(query).map((k) => k.toLowerCase()));
}
