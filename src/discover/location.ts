/** Where things are in the project's files: the vocabulary every stage shares, from discovery on. */

/** A position: 1-based line and column (column counts UTF-16 code units, as editors do), 0-based offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A range in one file; `file` is relative to the project root, with forward slashes. */
export interface Span {
  file: string;
  start: Position;
  end: Position;
}

/** Something a file could not give: unreadable, too large, a syntax error. */
export interface ParseProblem {
  file: string;
  span?: Span;
  message: string;
  severity: 'warning' | 'error';
}
