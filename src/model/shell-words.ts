// Shell words with the file offsets of their characters: the tokenizer the deploy sources share for finding Celery
// and web server commands in Procfile lines, compose commands, ExecStart= and scripts.
import type { LineIndex } from '../parse/span.js';
import type { DeploySource, WebServer } from './types.js';

/** Text whose characters each come from a known offset in a file (a slice, or a decoded YAML/JSON string). */
export interface MappedText {
  text: string;
  /** offsets[i] is the file offset of text[i]; one extra last entry is where the text ends. */
  offsets: number[];
}

/** One shell word: its value after quote removal, where each value character came from, and the raw token's range. */
export interface Word {
  value: string;
  offsets: number[];
  start: number;
  end: number;
}

export type ShellToken = { kind: 'word'; word: Word } | { kind: 'op'; op: string; start: number; end: number };

/** Where recognised commands are recorded. */
export interface CommandTarget {
  file: string;
  source: DeploySource;
  index: LineIndex;
  processName?: string;
  /** Where gunicorn/uWSGI commands met on the way are recorded, when the caller collects them. */
  webServers?: WebServer[];
}

export function sliceText(fileText: string, start: number, end: number): MappedText {
  const offsets: number[] = [];
  for (let i = start; i <= end; i++) offsets.push(i);
  return { text: fileText.slice(start, end), offsets };
}

/**
 * Maps a decoded string (a YAML or JSON scalar's value) back onto its source text by matching characters in
 * order: quotes, escapes, indentation and folded line breaks are stepped over, so word spans stay exact.
 */
export function alignText(value: string, source: string, from: number, to: number): MappedText {
  const offsets: number[] = [];
  let p = from;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    // A backslash ending a line inside a double-quoted scalar joins the lines and stands for nothing.
    while (c !== '\\' && source[p] === '\\' && (source[p + 1] === '\n' || source[p + 1] === '\r')) {
      p += source[p + 1] === '\r' ? 3 : 2;
      while (source[p] === ' ' || source[p] === '\t') p++;
    }
    if (source[p] === '\\' && c !== '\\' && source[p + 1] !== c) {
      // An escape such as \t or \n whose decoded character does not appear in the source.
      offsets.push(p);
      p = Math.min(to, p + 2);
      continue;
    }
    let q = p;
    while (q < to && source[q] !== c && !(c === ' ' && source[q] === '\n')) q++;
    if (q < to) {
      offsets.push(q);
      p = q + 1;
    } else {
      offsets.push(Math.max(from, Math.min(p, to - 1)));
    }
  }
  offsets.push(p);
  return { text: value, offsets };
}

const OPERATORS = ['<<-', '&&', '||', ';;', '>>', '<<', '>&', '<&', '&>', '>|', '|&', ';', '&', '|', '(', ')', '<', '>'];
const REDIRECTS = new Set(['>>', '<<', '<<-', '>&', '<&', '&>', '>|', '<', '>']);

/** Splits shell text into words and operators (POSIX quoting, escapes, line continuations, comments, heredocs). */
export function shellTokens(src: MappedText): ShellToken[] {
  const t = src.text;
  const n = t.length;
  const at = (i: number) => src.offsets[Math.min(i, src.offsets.length - 1)] ?? 0;
  const out: ShellToken[] = [];
  let cur: { value: string; offs: number[]; startIdx: number; endIdx: number; quoted: boolean } | undefined;
  const heredocs: { delim: string; strip: boolean }[] = [];
  let heredocNext: boolean | undefined;

  const begin = (i: number) => (cur ??= { value: '', offs: [], startIdx: i, endIdx: i, quoted: false });
  const add = (i: number, ch = t[i] ?? '') => {
    const w = begin(i);
    w.value += ch;
    w.offs.push(at(i));
  };
  const finish = () => {
    if (!cur) return;
    const end = at(cur.endIdx - 1) + 1;
    const word: Word = { value: cur.value, offsets: [...cur.offs, end], start: at(cur.startIdx), end };
    out.push({ kind: 'word', word });
    if (heredocNext !== undefined) heredocs.push({ delim: word.value, strip: heredocNext });
    heredocNext = undefined;
    cur = undefined;
  };
  const copyUntil = (i: number, open: string, close: string): number => {
    // $(...), ${...} and `...` are kept verbatim: values like ${POOL:-gevent} stay as written.
    let depth = 0;
    let j = i;
    for (; j < n; j++) {
      const ch = t[j] ?? '';
      add(j);
      if (j > i && ch === close) {
        if (depth === 0) return j + 1;
        depth--;
      } else if (j > i && ch === open && open !== close) depth++;
    }
    return n;
  };

  let i = 0;
  while (i < n) {
    const c = t[i] ?? '';
    if (c === '\\' && (t[i + 1] === '\n' || (t[i + 1] === '\r' && t[i + 2] === '\n'))) {
      i += t[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      finish();
      i++;
      continue;
    }
    if (c === '\n') {
      finish();
      out.push({ kind: 'op', op: '\n', start: at(i), end: at(i) + 1 });
      i++;
      if (heredocs.length) i = skipHeredocBodies(t, i, heredocs.splice(0));
      continue;
    }
    if (c === '#' && !cur) {
      while (i < n && t[i] !== '\n') i++;
      continue;
    }
    if (';&|()<>'.includes(c)) {
      if ((c === '<' || c === '>') && cur && !cur.quoted && /^\d+$/.test(cur.value)) cur = undefined; // 2>&1
      else finish();
      const op = OPERATORS.find((o) => t.startsWith(o, i)) ?? c;
      out.push({ kind: 'op', op, start: at(i), end: at(i + op.length - 1) + 1 });
      if (op === '<<' || op === '<<-') heredocNext = op === '<<-';
      i += op.length;
      continue;
    }
    const w = begin(i);
    if (c === "'") {
      w.quoted = true;
      let j = i + 1;
      while (j < n && t[j] !== "'") add(j++);
      i = Math.min(n, j + 1);
    } else if (c === '"') {
      w.quoted = true;
      let j = i + 1;
      while (j < n && t[j] !== '"') {
        if (t[j] === '\\' && j + 1 < n && '$`"\\\n'.includes(t[j + 1] ?? '')) {
          if (t[j + 1] !== '\n') add(j + 1);
          j += 2;
        } else add(j++);
      }
      i = Math.min(n, j + 1);
    } else if (c === '\\') {
      if (i + 1 < n) add(i + 1);
      i += 2;
    } else if (c === '$' && (t[i + 1] === '(' || t[i + 1] === '{')) {
      add(i);
      i = t[i + 1] === '(' ? copyUntil(i + 1, '(', ')') : copyUntil(i + 1, '{', '}');
    } else if (c === '`') {
      i = copyUntil(i, '`', '`');
    } else {
      add(i);
      i++;
    }
    w.endIdx = Math.min(i, n);
  }
  finish();
  return out;
}

function skipHeredocBodies(t: string, from: number, docs: { delim: string; strip: boolean }[]): number {
  let pos = from;
  for (const doc of docs) {
    while (pos < t.length) {
      const nl = t.indexOf('\n', pos);
      const lineEnd = nl < 0 ? t.length : nl;
      const line = t.slice(pos, lineEnd).replace(/\r$/, '');
      pos = lineEnd + 1;
      if ((doc.strip ? line.replace(/^\t+/, '') : line) === doc.delim) break;
    }
  }
  return Math.min(pos, t.length);
}

/** Groups tokens into simple commands; redirection targets are dropped. */
export function simpleCommands(tokens: ShellToken[]): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  let skipNext = false;
  for (const tok of tokens) {
    if (tok.kind === 'word') {
      if (skipNext) skipNext = false;
      else cur.push(tok.word);
      continue;
    }
    if (REDIRECTS.has(tok.op)) {
      skipNext = true;
      continue;
    }
    if (cur.length) out.push(cur);
    cur = [];
    skipNext = false;
  }
  if (cur.length) out.push(cur);
  return out;
}
