import { celeryCommandsInText } from '../../model/celery-cli.js';
import { type MappedText } from '../../model/shell-words.js';
import type { CeleryCommand, EnvVar, WebServer } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { envVar, type EnvEntry } from './common.js';
import { readIni } from './ini.js';

const PROGRAM = /^program:(.+)$/;

/** supervisord `[program:x]` sections: `command=` (processName x) and `environment=KEY="v",K2="v2"`. */
export const supervisorSource: Source = {
  name: 'supervisor',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const envVars: EnvVar[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('supervisor', 'conf')) {
      const text = ctx.text(file);
      if (text === undefined || !/^\s*\[program:/m.test(text)) continue;
      const index = new LineIndex(text);
      for (const entry of readIni(text)) {
        const program = PROGRAM.exec(entry.section)?.[1]?.trim();
        if (program === undefined) continue;
        if (entry.key === 'command') {
          // supervisord splits the command with shlex: continuation line breaks are plain whitespace.
          const value = { text: entry.value.text.replace(/\n/g, ' '), offsets: entry.value.offsets };
          commands.push(...celeryCommandsInText({ file: file.path, source: 'supervisor', index, processName: program, webServers }, value));
        } else if (entry.key === 'environment') {
          for (const e of environmentPairs(entry.value)) envVars.push(envVar(file.path, index, 'supervisor', e));
        }
      }
    }
    return { commands, envVars, webServers };
  },
};

/** `KEY="value",KEY2='v',KEY3=plain` with each value mapped onto the file (inside its quotes). */
export function environmentPairs(m: MappedText): EnvEntry[] {
  const t = m.text;
  const out: EnvEntry[] = [];
  const at = (i: number) => m.offsets[i] ?? 0;
  let i = 0;
  while (i < t.length) {
    while (i < t.length && /[\s,]/.test(t[i] ?? '')) i++;
    const keyStart = i;
    while (i < t.length && /[^=\s,]/.test(t[i] ?? '')) i++;
    const name = t.slice(keyStart, i);
    if (!name) break;
    while (t[i] === ' ' || t[i] === '\t') i++;
    if (t[i] !== '=') {
      while (i < t.length && t[i] !== ',') i++;
      continue;
    }
    let end = at(i) + 1;
    i++;
    while (t[i] === ' ' || t[i] === '\t') i++;
    const value: MappedText = { text: '', offsets: [] };
    let valueEnd = end;
    while (i < t.length && !/[\s,]/.test(t[i] ?? '')) {
      const q = t[i];
      if (q === '"' || q === "'") {
        valueEnd = at(i) + 1;
        i++;
        while (i < t.length && t[i] !== q) {
          value.text += t[i];
          value.offsets.push(at(i));
          valueEnd = at(i++) + 1;
        }
        if (i < t.length) end = at(i++) + 1;
      } else {
        value.text += q;
        value.offsets.push(at(i));
        valueEnd = at(i++) + 1;
      }
      end = Math.max(end, valueEnd);
    }
    value.offsets.push(valueEnd);
    if (!value.text) value.offsets = [valueEnd];
    out.push({ name, entry: [at(keyStart), end], value });
  }
  return out;
}
