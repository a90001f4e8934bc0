import { celeryCommandsInText } from '../../model/celery-cli.js';
import { shellTokens, simpleCommands, sliceText } from '../../model/shell-words.js';
import type { CeleryCommand, EnvVar, WebServer } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { envVar, isCeleryishName, splitAssignment } from './common.js';

/** Shell scripts: every command that runs Celery, and `export X=...` of Celery/broker variables. */
export const shellSource: Source = {
  name: 'shell',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const envVars: EnvVar[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('shell')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const index = new LineIndex(text);
      const src = sliceText(text, 0, text.length);
      commands.push(...celeryCommandsInText({ file: file.path, source: 'shell', index, webServers }, src));
      for (const words of simpleCommands(shellTokens(src))) {
        if (words[0]?.value !== 'export') continue;
        for (const w of words.slice(1)) {
          const e = splitAssignment({ text: w.value, offsets: w.offsets }, [w.start, w.end]);
          if (e && isCeleryishName(e.name)) envVars.push(envVar(file.path, index, 'shell', e));
        }
      }
    }
    return { commands, envVars, webServers };
  },
};
