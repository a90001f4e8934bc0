// Text edits on a recognised Celery command, computed from the command's own text (`raw`) and the spans the deploy
// sources give: shell words, YAML/JSON list items and block-list items are all handled the same way.
import type { Edit } from '../../src/engine/types.js';
import type { CeleryCommand, CliOption, Position, Span } from '../../src/model/types.js';

/** Programs whose arguments are Celery 4+/5 `celery` arguments. */
export function isCeleryUmbrella(cmd: CeleryCommand): boolean {
  return cmd.program === 'celery' || cmd.program === 'python -m celery';
}

/**
 * What separates two words: shell blanks (with line continuations), a flow-list comma, a block-list dash, or a line
 * break with indentation (a folded YAML scalar, an ini continuation line).
 */
const GAPS = [/(?:[ \t]|\\\r?\n)+$/, /[ \t]*,\s*$/, /[ \t]*\r?\n[ \t]*-[ \t]+$/, /[ \t]*\r?\n[ \t]+$/];

/** The separator that ends `raw.slice(0, rel)`, or undefined when the preceding text is not a plain separator. */
export function gapBefore(raw: string, rel: number): string | undefined {
  const head = raw.slice(0, rel);
  let best: string | undefined;
  for (const re of GAPS) {
    const m = re.exec(head);
    if (m && m[0].length > (best?.length ?? 0)) best = m[0];
  }
  return best;
}

/** The option's text as written (flag, `name value`, `name=value`, list items with their quotes). */
export function optionText(cmd: CeleryCommand, o: CliOption): string {
  const base = cmd.span.start.offset;
  return cmd.raw.slice(o.span.start.offset - base, o.span.end.offset - base);
}

/** Whether the option's value stands in a word of its own (`-A proj`, `"-A", "proj"`) rather than `--app=proj`. */
export function valueIsOwnWord(text: string): boolean {
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ' ' || c === '\t' || c === '\n' || c === ',') return true;
  }
  return false;
}

/** An edit that deletes an option together with the separator before it; undefined when that separator is not plain. */
export function deleteOption(cmd: CeleryCommand, o: CliOption): Edit | undefined {
  const base = cmd.span.start.offset;
  const gap = gapBefore(cmd.raw, o.span.start.offset - base);
  if (gap === undefined) return undefined;
  return { file: cmd.file, start: o.span.start.offset - gap.length, end: o.span.end.offset, content: '' };
}

/** A span inside the command, from offsets relative to its start (lines and columns counted in `raw`). */
export function spanIn(cmd: CeleryCommand, relStart: number, relEnd: number): Span {
  return { file: cmd.file, start: positionIn(cmd, relStart), end: positionIn(cmd, relEnd) };
}

function positionIn(cmd: CeleryCommand, rel: number): Position {
  const s = cmd.span.start;
  const before = cmd.raw.slice(0, rel);
  const nl = before.lastIndexOf('\n');
  const lines = before.split('\n').length - 1;
  return { line: s.line + lines, column: nl < 0 ? s.column + rel : rel - nl, offset: s.offset + rel };
}

/** The program word(s) as written, found in order (`['celeryd']`, `['manage.py', 'celery']`): up to the last one's end. */
export function programSpan(cmd: CeleryCommand, parts: string[]): Span {
  let end = 0;
  for (const p of parts) {
    const at = cmd.raw.indexOf(p, end);
    if (at < 0) return cmd.span;
    end = at + p.length;
  }
  return spanIn(cmd, 0, end);
}
