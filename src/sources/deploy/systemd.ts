import path from 'node:path';
import { celeryCommandsInText } from '../../model/celery-cli.js';
import { shellTokens, sliceText } from '../../model/shell-words.js';
import type { CeleryCommand, EnvVar, ParseProblem, WebServer } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { envVar, splitAssignment, warning } from './common.js';

export interface UnitSetting {
  section: string;
  key: string;
  /** The value's [start, end) in the file, continuation lines included. */
  value: [number, number];
}

/** systemd unit syntax: `[Section]`, `Key=Value`, `#`/`;` comments, a trailing backslash continues the line. */
export function readUnit(text: string): UnitSetting[] {
  const out: UnitSetting[] = [];
  const lines = text.split('\n');
  let section = '';
  let offset = 0;
  for (let n = 0; n < lines.length; n++) {
    const start = offset;
    let line = (lines[n] ?? '').replace(/\r$/, '');
    offset += (lines[n] ?? '').length + 1;
    const trimmed = line.trim();
    if (trimmed === '' || /^[#;]/.test(trimmed)) continue;
    const sec = /^\s*\[([^\]]*)\]/.exec(line);
    if (sec) {
      section = sec[1] ?? '';
      continue;
    }
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*/.exec(line);
    if (!m) continue;
    const vs = start + m[0].length;
    let ve = start + line.trimEnd().length;
    while (line.trimEnd().endsWith('\\') && n + 1 < lines.length) {
      n++;
      const next = (lines[n] ?? '').replace(/\r$/, '');
      const nextStart = offset;
      offset += (lines[n] ?? '').length + 1;
      if (/^\s*[#;]/.test(next)) continue; // comment lines inside a continuation are dropped
      line = next;
      ve = nextStart + next.trimEnd().length;
    }
    out.push({ section, key: m[1] ?? '', value: [vs, Math.max(vs, ve)] });
  }
  return out;
}

const EXEC = new Set(['ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost']);

/** systemd .service units: Exec*= commands, Environment= variables; EnvironmentFile= is reported as unread. */
export const systemdSource: Source = {
  name: 'systemd',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const envVars: EnvVar[] = [];
    const problems: ParseProblem[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('systemd')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const index = new LineIndex(text);
      const processName = path.posix.basename(file.path).replace(/\.service$/, '');
      for (const s of readUnit(text)) {
        if (s.section !== 'Service') continue;
        let [vs, ve] = s.value;
        if (EXEC.has(s.key)) {
          // Prefixes such as `-` (ignore failure), `@`, `+`, `!`, `:` are not part of the command.
          while (vs < ve && '-@+!:'.includes(text[vs] ?? '')) vs++;
          commands.push(...celeryCommandsInText({ file: file.path, source: 'systemd', index, processName, webServers }, blankComments(text, vs, ve)));
        } else if (s.key === 'Environment') {
          for (const tok of shellTokens(blankComments(text, vs, ve))) {
            if (tok.kind !== 'word') continue;
            const e = splitAssignment({ text: tok.word.value, offsets: tok.word.offsets }, [tok.word.start, tok.word.end]);
            if (e) envVars.push(envVar(file.path, index, 'systemd', e));
          }
        } else if (s.key === 'EnvironmentFile') {
          const ref = text.slice(vs, ve).replace(/^-/, '');
          problems.push(warning(file.path, index, `EnvironmentFile ${ref} is not read: its variables are not checked`, [vs, ve]));
        }
      }
    }
    return { commands, envVars, problems, webServers };
  },
};

/** The value's text with comment lines inside a continuation turned to spaces, so offsets are kept. */
function blankComments(text: string, s: number, e: number): ReturnType<typeof sliceText> {
  const m = sliceText(text, s, e);
  m.text = m.text.replace(/(?<=\n)[ \t]*[#;][^\n]*\n/g, (c) => ' '.repeat(c.length));
  return m;
}
