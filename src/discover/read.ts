import fs from 'node:fs';
import type { ParseProblem } from './location.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export type ReadResult = { ok: true; text: string; bom: boolean } | { ok: false; problem: ParseProblem };

/** Reads a project file as UTF-8 text; binary, non-UTF-8 and unreadable files come back as a warning. */
export function readText(abs: string, relPath: string): ReadResult {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, problem: { file: relPath, severity: 'warning', message: `skipped: cannot read file (${code})` } };
  }
  const probe = buf.subarray(0, 8192);
  if (probe.includes(0)) {
    return { ok: false, problem: { file: relPath, severity: 'warning', message: 'skipped: binary file' } };
  }
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { ok: false, problem: { file: relPath, severity: 'warning', message: 'skipped: not valid UTF-8' } };
  }
  // Offsets are taken on the text without its BOM; a fix writes the BOM back.
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  return { ok: true, text, bom };
}
