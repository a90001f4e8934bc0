import type { Position, Span } from '../discover/location.js';

/** Maps string offsets to 1-based line/column positions for one file. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.starts[lo] ?? 0) + 1, offset: clamped };
  }

  span(file: string, start: number, end: number): Span {
    return { file, start: this.position(start), end: this.position(end) };
  }

  lineCount(): number {
    return this.starts.length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    const raw = this.text.slice(start, next === undefined ? this.text.length : next);
    return raw.replace(/\r?\n$/, '');
  }
}

export function spanContains(outer: Span, inner: Span): boolean {
  return outer.file === inner.file && outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

export function formatSpan(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}
