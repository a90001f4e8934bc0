import type { MappedText } from '../../model/shell-words.js';

export interface IniEntry {
  section: string;
  key: string;
  keyStart: number;
  /** The value with continuation lines joined by '\n' (as configparser does), mapped onto the file. */
  value: MappedText;
}

/**
 * A configparser-style reader (supervisord): `key = value` or `key: value`, indented continuation lines,
 * whole-line and whitespace-prefixed inline `;`/`#` comments.
 */
export function readIni(text: string): IniEntry[] {
  const out: IniEntry[] = [];
  let section = '';
  let current: IniEntry | undefined;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const start = offset;
    offset += rawLine.length + 1;
    const line = stripComment(rawLine.replace(/\r$/, ''));
    const trimmed = line.trim();
    if (trimmed === '' || /^[;#]/.test(trimmed)) {
      if (trimmed === '' && !/^\s*[;#]/.test(rawLine)) current = undefined;
      continue;
    }
    if (current && /^\s/.test(line)) {
      const lead = line.length - line.trimStart().length;
      appendSegment(current.value, text, start - 1, start + lead, start + line.trimEnd().length);
      continue;
    }
    const sec = /^\s*\[([^\]]*)\]/.exec(line);
    if (sec) {
      section = (sec[1] ?? '').trim();
      current = undefined;
      continue;
    }
    const m = /^(\s*)([^=:]+?)\s*[=:][ \t]*/.exec(line);
    if (!m) {
      current = undefined;
      continue;
    }
    const vs = start + m[0].length;
    const ve = start + line.trimEnd().length;
    const offsets: number[] = [];
    for (let o = vs; o <= Math.max(vs, ve); o++) offsets.push(o);
    current = {
      section,
      key: (m[2] ?? '').trim().toLowerCase(),
      keyStart: start + (m[1] ?? '').length,
      value: { text: text.slice(vs, Math.max(vs, ve)), offsets },
    };
    out.push(current);
  }
  return out;
}

function stripComment(line: string): string {
  const m = /\s[;#]/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

function appendSegment(m: MappedText, text: string, newline: number, s: number, e: number): void {
  m.offsets.pop();
  if (m.text.length) {
    m.text += '\n';
    m.offsets.push(newline);
  }
  m.text += text.slice(s, e);
  for (let o = s; o <= e; o++) m.offsets.push(o);
}
