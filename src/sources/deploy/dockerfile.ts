import { celeryCommandsInText, celeryCommandsInWords, joinedCommands } from '../../model/celery-cli.js';
import { shellTokens, type CommandTarget, type MappedText, type Word } from '../../model/shell-words.js';
import type { CeleryCommand, EnvVar, WebServer } from '../../model/types.js';
import { addWebServer } from '../../model/web-cli.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { envVar, mappedRange, splitAssignment } from './common.js';

export interface Instruction {
  keyword: string;
  /** The arguments with line continuations and interleaved comment lines removed, mapped onto the file. */
  args: MappedText;
}

/** Dockerfile instructions, honouring the `# escape=` parser directive. */
export function readInstructions(text: string): Instruction[] {
  const escape = /^#\s*escape\s*=\s*`/im.test(text.slice(0, 200)) ? '`' : '\\';
  const out: Instruction[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let cur: Instruction | undefined;
  for (const rawLine of lines) {
    const start = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, '');
    if (/^\s*#/.test(line)) continue; // comments, also those inside a continued instruction
    let body = line;
    let bodyStart = start;
    if (!cur) {
      const m = /^\s*([A-Za-z]+)(\s+|$)/.exec(line);
      if (!m) continue;
      cur = { keyword: (m[1] ?? '').toUpperCase(), args: { text: '', offsets: [] } };
      out.push(cur);
      body = line.slice(m[0].length);
      bodyStart = start + m[0].length;
    }
    const continued = body.trimEnd().endsWith(escape);
    const content = continued ? body.trimEnd().slice(0, -1) : body;
    if (cur.args.text && !cur.args.text.endsWith(' ')) {
      cur.args.text += ' ';
      cur.args.offsets.push(bodyStart);
    }
    for (let i = 0; i < content.length; i++) {
      cur.args.text += content[i];
      cur.args.offsets.push(bodyStart + i);
    }
    if (!continued) {
      cur.args.offsets.push(bodyStart + content.length);
      cur = undefined;
    }
  }
  if (cur) cur.args.offsets.push(cur.args.offsets.at(-1) ?? 0);
  return out;
}

/** The JSON exec form `["celery", "-A", "proj"]`, or undefined when it is not valid JSON (then it is shell form). */
export function execForm(args: MappedText): Word[] | undefined {
  const t = args.text;
  const at = (i: number) => args.offsets[i] ?? 0;
  let i = 0;
  const ws = () => {
    while (/\s/.test(t[i] ?? '')) i++;
  };
  ws();
  if (t[i] !== '[') return undefined;
  i++;
  ws();
  const words: Word[] = [];
  if (t[i] === ']') return trailingOnly(t, i + 1) ? words : undefined;
  for (;;) {
    if (t[i] !== '"') return undefined;
    const start = at(i);
    i++;
    let value = '';
    const offsets: number[] = [];
    while (i < t.length && t[i] !== '"') {
      if (t[i] === '\\') {
        const esc = t[i + 1] ?? '';
        const decoded = esc === 'u' ? String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16)) : ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[esc] ?? esc;
        value += decoded;
        offsets.push(at(i));
        i += esc === 'u' ? 6 : 2;
      } else {
        value += t[i];
        offsets.push(at(i));
        i++;
      }
    }
    if (i >= t.length) return undefined;
    const end = at(i) + 1;
    offsets.push(at(i));
    words.push({ value, offsets, start, end });
    i++;
    ws();
    if (t[i] === ',') {
      i++;
      ws();
      continue;
    }
    if (t[i] === ']') return trailingOnly(t, i + 1) ? words : undefined;
    return undefined;
  }
}

function trailingOnly(t: string, from: number): boolean {
  return t.slice(from).trim() === '';
}

interface Program {
  words?: Word[];
  commands: CeleryCommand[];
  webServers: WebServer[];
}

/** Dockerfiles: CMD and ENTRYPOINT (exec and shell form), and ENV variables. */
export const dockerfileSource: Source = {
  name: 'dockerfile',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const envVars: EnvVar[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('dockerfile')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const index = new LineIndex(text);
      let target: CommandTarget = { file: file.path, source: 'dockerfile', index };
      // Only a stage's last ENTRYPOINT and last CMD take effect.
      let entry: Program | undefined;
      let cmd: Program | undefined;
      const flushStage = () => {
        // `ENTRYPOINT ["celery"]` + `CMD ["-A", "proj", "worker"]` run as one argument vector.
        const joined = entry?.words && cmd?.words ? joinedCommands({ ...target, webServers }, [...entry.words, ...cmd.words]) : undefined;
        commands.push(...(joined ?? [...(entry?.commands ?? []), ...(cmd?.commands ?? [])]));
        if (!joined) for (const ws of [...(entry?.webServers ?? []), ...(cmd?.webServers ?? [])]) addWebServer(webServers, ws);
        entry = cmd = undefined;
      };
      for (const ins of readInstructions(text)) {
        if (ins.keyword === 'FROM') {
          flushStage();
          const stage = /\sAS\s+(\S+)/i.exec(ins.args.text)?.[1];
          target = { file: file.path, source: 'dockerfile', index };
          if (stage) target.processName = stage;
        } else if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') {
          const words = execForm(ins.args);
          // Web servers of a part are kept until the stage ends: the joined ENTRYPOINT + CMD may be what runs.
          const own: WebServer[] = [];
          const partTarget = { ...target, webServers: own };
          const program: Program = { commands: words ? celeryCommandsInWords(partTarget, words) : celeryCommandsInText(partTarget, ins.args), webServers: own };
          if (words) program.words = words;
          if (ins.keyword === 'CMD') cmd = program;
          else entry = program;
        } else if (ins.keyword === 'ENV') {
          envVars.push(...envInstruction(file.path, index, ins.args));
        }
      }
      flushStage();
    }
    return { commands, envVars, webServers };
  },
};

/** `ENV K=V K2="v 2"`, or the legacy `ENV K the rest of the line`. */
function envInstruction(file: string, index: LineIndex, args: MappedText): EnvVar[] {
  const words = shellTokens(args).flatMap((t) => (t.kind === 'word' ? [t.word] : []));
  const first = words[0];
  if (!first) return [];
  if (!first.value.includes('=')) {
    const restStart = args.text.search(/\s/);
    if (restStart < 0) return [];
    let s = restStart;
    while (/\s/.test(args.text[s] ?? '')) s++;
    const value: MappedText = { text: args.text.slice(s).trimEnd(), offsets: args.offsets.slice(s) };
    value.offsets = value.offsets.slice(0, value.text.length + 1);
    const [, ve] = mappedRange(value);
    return [envVar(file, index, 'dockerfile', { name: first.value, entry: [first.start, ve], value })];
  }
  return words.flatMap((w) => {
    const e = splitAssignment({ text: w.value, offsets: w.offsets }, [w.start, w.end]);
    return e ? [envVar(file, index, 'dockerfile', e)] : [];
  });
}
