import { Parser as YamlParser } from 'yaml';
import type { FileKind } from '../discover/classify.js';
import type { Span } from '../discover/location.js';
import { descendants, parsePython, type PyFile } from './python.js';
import { LineIndex } from './span.js';

/** One comment in a file: its text from the comment marker to the end of the comment. */
export interface Comment {
  /** Starts with the marker (`#` or `;`), without the line break. */
  text: string;
  span: Span;
  /** Offset where the run of spaces/tabs before the comment on its line starts (for deleting it cleanly). */
  gapStart: number;
}

/** Comments of a Python file, from tree-sitter `comment` nodes (never text that only looks like one in a string). */
export function pythonComments(py: PyFile): Comment[] {
  return descendants(py.tree.rootNode, 'comment').map((n) => make(py.file, py.text, py.lines, n.startIndex, n.endIndex));
}

/** Comments of a YAML file, from the comment tokens of the `yaml` CST (a `#` inside a block scalar is not one). */
export function yamlComments(file: string, text: string): Comment[] {
  const lines = new LineIndex(text);
  const out: Comment[] = [];
  const visit = (tok: unknown): void => {
    if (Array.isArray(tok)) {
      for (const t of tok) visit(t);
      return;
    }
    if (!tok || typeof tok !== 'object') return;
    const t = tok as { type?: unknown; offset?: unknown; source?: unknown };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string') {
      out.push(make(file, text, lines, t.offset, t.offset + t.source.length));
      return;
    }
    for (const v of Object.values(tok)) visit(v);
  };
  for (const tok of new YamlParser().parse(text)) visit(tok);
  return out.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

export interface LineCommentStyle {
  /** Characters that start a comment when they are the first non-blank character of a line. */
  fullLine: string;
  /** Characters that also start a comment after whitespace later on a line (empty: only full-line comments). */
  inline: string;
  /** Whether `'…'` / `"…"` on the line hide comment characters (shell, .env, TOML). */
  quotes: boolean;
}

/**
 * Comments of line-oriented files. A marker counts at the start of a line (after indentation) or, where the
 * format allows inline comments, after whitespace outside quotes: `celery worker -Q a#b` has no comment.
 */
export function lineComments(file: string, text: string, style: LineCommentStyle): Comment[] {
  const lines = new LineIndex(text);
  const out: Comment[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const at = commentStart(line, style);
    if (at >= 0) out.push(make(file, text, lines, offset + at, offset + line.length));
    offset += raw.length + 1;
  }
  return out;
}

function commentStart(line: string, style: LineCommentStyle): number {
  const first = line.search(/\S/);
  if (first < 0) return -1;
  if (style.fullLine.includes(line[first] ?? '')) return first;
  if (!style.inline) return -1;
  let quote: string | undefined;
  for (let i = first; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (style.quotes && (c === '"' || c === "'")) {
      quote = c;
    } else if (c === '\\') {
      i++;
    } else if (style.inline.includes(c) && /[ \t]/.test(line[i - 1] ?? '')) {
      return i;
    }
  }
  return -1;
}

const HASH_INLINE: LineCommentStyle = { fullLine: '#', inline: '#', quotes: true };
// systemd and redis.conf have no inline comments: a `#` after a command is passed on as an argument.
const HASH_FULL_LINE: LineCommentStyle = { fullLine: '#', inline: '', quotes: false };
// supervisor (and INI files): `;` or `#` lines, and `;` after whitespace.
const INI: LineCommentStyle = { fullLine: '#;', inline: ';', quotes: false };

/** The comment style of a line-oriented file kind, or undefined for kinds whose comments are not read this way. */
export function lineCommentStyle(kind: FileKind): LineCommentStyle | undefined {
  switch (kind) {
    case 'procfile':
    case 'dotenv':
    case 'shell':
    case 'dockerfile':
    case 'requirements':
    case 'pyproject':
    case 'pipfile':
      return HASH_INLINE;
    case 'systemd':
    case 'redis.conf':
    case 'rabbitmq.conf':
      return HASH_FULL_LINE;
    case 'supervisor':
    case 'conf':
    case 'setup.cfg':
      return INI;
    default:
      return undefined;
  }
}

/** Comments of any file celery-lint reports on; Python needs `initPython()` to have been awaited. */
export function commentsOf(kind: FileKind, file: string, text: string): Comment[] {
  if (kind === 'python') {
    const py = parsePython(file, text);
    try {
      return pythonComments(py);
    } finally {
      py.tree.delete();
    }
  }
  if (kind === 'yaml' || kind === 'compose') return yamlComments(file, text);
  const style = lineCommentStyle(kind);
  return style ? lineComments(file, text, style) : [];
}

function make(file: string, text: string, lines: LineIndex, start: number, endAt: number): Comment {
  const end = text[endAt - 1] === '\r' ? endAt - 1 : endAt;
  let gapStart = start;
  while (gapStart > 0 && (text[gapStart - 1] === ' ' || text[gapStart - 1] === '\t')) gapStart--;
  return { text: text.slice(start, end), span: lines.span(file, start, end), gapStart };
}
