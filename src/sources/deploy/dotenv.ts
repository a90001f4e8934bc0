import type { MappedText } from '../../model/shell-words.js';
import type { EnvVar, ParseProblem } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { envVar, warning } from './common.js';

const ASSIGN = /^[ \t]*(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$' };

/**
 * .env files as python-dotenv reads them: `KEY=value`, an optional `export`, single quotes (literal), double
 * quotes (escapes, may span lines), unquoted values ending at ` #`. Every variable is reported.
 */
export function parseDotenv(file: string, text: string): { envVars: EnvVar[]; problems: ParseProblem[] } {
  const index = new LineIndex(text);
  const envVars: EnvVar[] = [];
  const problems: ParseProblem[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(pos, lineEnd).replace(/\r$/, '');
    const m = ASSIGN.exec(line);
    if (!m) {
      if (line.trim() && !line.trimStart().startsWith('#')) {
        problems.push(warning(file, index, 'could not parse this .env line', [pos, pos + line.length]));
      }
      pos = lineEnd + 1;
      continue;
    }
    const entryStart = pos + (m[0].length - m[0].trimStart().length);
    const name = m[2] ?? '';
    const vs = pos + m[0].length;
    const quote = text[vs];
    let value: MappedText;
    let entryEnd: number;
    let next: number;
    if (quote === '"' || quote === "'") {
      value = { text: '', offsets: [] };
      let i = vs + 1;
      while (i < text.length && text[i] !== quote) {
        if (quote === '"' && text[i] === '\\' && Object.hasOwn(ESCAPES, text[i + 1] ?? '')) {
          value.text += ESCAPES[text[i + 1] ?? ''] ?? '';
          value.offsets.push(i);
          i += 2;
        } else {
          value.text += text[i];
          value.offsets.push(i++);
        }
      }
      value.offsets.push(i);
      entryEnd = Math.min(i + 1, text.length);
      const after = text.indexOf('\n', i);
      next = after < 0 ? text.length : after + 1;
    } else {
      const rest = line.slice(m[0].length);
      const comment = /(^|[ \t])#/.exec(rest);
      const raw = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
      value = { text: raw, offsets: Array.from({ length: raw.length + 1 }, (_, k) => vs + k) };
      entryEnd = vs + raw.length;
      next = lineEnd + 1;
    }
    envVars.push(envVar(file, index, 'dotenv', { name, entry: [entryStart, entryEnd], value }));
    pos = next;
  }
  return { envVars, problems };
}

export const dotenvSource: Source = {
  name: 'dotenv',
  collect(ctx) {
    const envVars: EnvVar[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('dotenv')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const r = parseDotenv(file.path, text);
      envVars.push(...r.envVars);
      problems.push(...r.problems);
    }
    return { envVars, problems };
  },
};
