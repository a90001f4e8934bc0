import type { Edit } from './types.js';

/**
 * Applies non-overlapping edits to one file's text. Edits are taken in order of position; an edit that
 * overlaps one already taken is left out (returned in `skipped`) for a later round.
 */
export function applyEdits(text: string, edits: readonly Edit[]): { text: string; applied: Edit[]; skipped: Edit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: Edit[] = [];
  const skipped: Edit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    const dup = applied.find((a) => a.start === e.start && a.end === e.end && a.content === e.content);
    if (dup) continue; // the same edit proposed twice (two findings, one fix) is applied once
    if (e.start < lastEnd || (e.start === lastEnd && e.start === e.end && applied.length > 0 && applied[applied.length - 1]!.start === e.start)) {
      skipped.push(e);
      continue;
    }
    applied.push(e);
    lastEnd = e.end;
  }
  let out = '';
  let pos = 0;
  for (const e of applied) {
    out += text.slice(pos, e.start) + e.content;
    pos = e.end;
  }
  out += text.slice(pos);
  return { text: out, applied, skipped };
}

/** Edits grouped by fix: a fix is applied whole or not at all, so a file never gets half a fix. */
export function selectFixes<T extends { edits: Edit[] }>(fixes: readonly T[]): { chosen: T[]; deferred: T[] } {
  const chosen: T[] = [];
  const deferred: T[] = [];
  const taken: Edit[] = [];
  for (const fix of fixes) {
    const clash = fix.edits.some((e) => taken.some((t) => t.file === e.file && overlaps(t, e) && !same(t, e)));
    if (clash) {
      deferred.push(fix);
      continue;
    }
    chosen.push(fix);
    taken.push(...fix.edits);
  }
  return { chosen, deferred };
}

function overlaps(a: Edit, b: Edit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

function same(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.content === b.content;
}
