import type { ParseProblem, RabbitmqServerConf } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { warning } from './common.js';

/**
 * rabbitmq.conf (the sysctl-like `key = value` format): `consumer_timeout`, in milliseconds. Only whole-line `#`
 * comments exist in this format; the last occurrence wins.
 */
export function parseRabbitmqConf(file: string, text: string): { conf: RabbitmqServerConf; problems: ParseProblem[] } {
  const index = new LineIndex(text);
  const conf: RabbitmqServerConf = { file };
  const problems: ParseProblem[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const m = /^(\s*consumer_timeout\s*=[ \t]*)(\S*)/.exec(line);
    if (!m) continue;
    const raw = (m[2] ?? '').replace(/\r$/, '');
    const vs = start + (m[1] ?? '').length;
    if (!/^\d+$/.test(raw)) {
      problems.push(warning(file, index, `consumer_timeout value "${raw}" is not a number of milliseconds`, [vs, vs + raw.length]));
      continue;
    }
    conf.consumerTimeout = { value: Number(raw), span: index.span(file, vs, vs + raw.length) };
  }
  return { conf, problems };
}

export const rabbitmqConfSource: Source = {
  name: 'rabbitmq-conf',
  collect(ctx) {
    const rabbitmqConfs: RabbitmqServerConf[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('rabbitmq.conf')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const r = parseRabbitmqConf(file.path, text);
      rabbitmqConfs.push(r.conf);
      problems.push(...r.problems);
    }
    return { rabbitmqConfs, problems };
  },
};
