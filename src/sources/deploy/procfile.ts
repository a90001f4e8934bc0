import { celeryCommandsInSlice } from '../../model/celery-cli.js';
import type { CeleryCommand, WebServer } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';

/** Procfile (Heroku, Dokku, honcho): one `type: command` per line; the process type names the process. */
export const procfileSource: Source = {
  name: 'procfile',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('procfile')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const index = new LineIndex(text);
      let offset = 0;
      for (const line of text.split('\n')) {
        const start = offset;
        offset += line.length + 1;
        const m = /^\s*([A-Za-z0-9_-]+)[ \t]*:[ \t]*/.exec(line);
        if (!m || line.trimStart().startsWith('#')) continue;
        const target = { file: file.path, source: 'procfile' as const, index, processName: m[1] ?? '', webServers };
        commands.push(...celeryCommandsInSlice(target, start + m[0].length, start + line.replace(/\r$/, '').length));
      }
    }
    return { commands, webServers };
  },
};
