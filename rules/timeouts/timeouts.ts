import { siteAt } from '../../src/engine/model-index.js';
import type { Edit } from '../../src/engine/types.js';
import type { CallSite, ProjectModel, Value } from '../../src/model/types.js';

/*
 * Shared by the timeout rules (CEL403-CEL406): Python call sites and an edit that adds a keyword argument to a call.
 */

/** Python call sites (Node.js producer calls carry `language: 'typescript'`; CEL703 judges those). */
export function pythonCalls(model: ProjectModel, kinds: readonly CallSite['kind'][]): CallSite[] {
  return model.callSites.filter((c) => c.language === undefined && kinds.includes(c.kind));
}

/** The call site a `resultOf` reference points at (same file, same start). */
export function sourceCall(model: ProjectModel, site: CallSite): CallSite | undefined {
  const ref = site.resultOf;
  if (!ref) return undefined;
  return siteAt(model, ref.kind, ref.span.file, ref.span.start.offset);
}

export function location(site: { span: { file: string; start: { line: number } } }): string {
  return `${site.span.file}:${site.span.start.line}`;
}

/**
 * An edit that makes a call pass `name=value`: replaces a literal None already passed for it, else appends the
 * keyword after the last keyword argument (which also keeps a trailing comma valid), else fills an empty `()`,
 * else (when `afterPositional`) appends after positional arguments on a one-line call. Multi-line calls without
 * keywords get no edit: the model has no span for their last positional argument, and a trailing comma would make
 * the insertion invalid. `afterPositional` is false where a positional argument may be the timeout itself
 * (`result.get(None)`): appending would pass it twice.
 */
export function keywordEdit(site: CallSite, name: string, value: string, afterPositional = true): Edit | undefined {
  const args = site.argsSpan;
  if (!args) return undefined;
  const file = site.file;
  const own = site.options[name]?.value;
  if (own?.kind === 'none' && own.span) return { file, start: own.span.start.offset, end: own.span.end.offset, content: value };
  if (own) return undefined;
  const keywords = Object.values(site.options);
  if (keywords.length) {
    const at = Math.max(...keywords.map((o) => o.span.end.offset));
    return { file, start: at, end: at, content: `, ${name}=${value}` };
  }
  if (args.end.offset - args.start.offset === 2) return { file, start: args.start.offset + 1, end: args.start.offset + 1, content: `${name}=${value}` };
  if (afterPositional && args.start.line === args.end.line) return { file, start: args.end.offset - 1, end: args.end.offset - 1, content: `, ${name}=${value}` };
  return undefined;
}

/** A `(connect, read)` timeout tuple whose read part is None: no limit on waiting for data. */
export function readTimeoutNone(v: Value | undefined): Value | undefined {
  if (!v || (v.kind !== 'tuple' && v.kind !== 'list') || v.items.length !== 2) return undefined;
  const read = v.items[1];
  return read?.kind === 'none' ? read : undefined;
}
