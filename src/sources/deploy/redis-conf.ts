import type { Word } from '../../model/shell-words.js';
import type { ParseProblem, RedisServerConf, Span } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { warning } from './common.js';

const DIRECTIVES = { timeout: 'timeout', 'tcp-keepalive': 'tcpKeepalive' } as const;

/** redis.conf: `timeout N` and `tcp-keepalive N`; like Redis, the last occurrence wins. */
export function parseRedisConf(file: string, text: string): { conf: RedisServerConf; problems: ParseProblem[] } {
  const index = new LineIndex(text);
  const conf: RedisServerConf = { file };
  const problems: ParseProblem[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const m = /^(\s*)([A-Za-z-]+)([ \t]+)(\S+)/.exec(line);
    if (!m || m[0].trimStart().startsWith('#')) continue;
    const directive = (m[2] ?? '').toLowerCase();
    if (!Object.hasOwn(DIRECTIVES, directive)) continue;
    const raw = m[4] ?? '';
    const vs = start + (m[1] ?? '').length + (m[2] ?? '').length + (m[3] ?? '').length;
    if (!/^\d+$/.test(raw)) {
      problems.push(warning(file, index, `${directive} value "${raw}" is not a number of seconds`, [vs, vs + raw.length]));
      continue;
    }
    conf[DIRECTIVES[directive as keyof typeof DIRECTIVES]] = { value: Number(raw), span: index.span(file, vs, vs + raw.length) };
  }
  return { conf, problems };
}

/** `redis-server [conf] --timeout N --tcp-keepalive N` in a compose or Kubernetes command, if it is one. */
export function redisServerArgs(file: string, index: LineIndex, words: Word[]): RedisServerConf | undefined {
  const at = words.findIndex((w) => w.value.slice(w.value.lastIndexOf('/') + 1) === 'redis-server');
  if (at < 0) return undefined;
  const conf: RedisServerConf = { file };
  for (let i = at + 1; i < words.length; i++) {
    const w = words[i];
    if (!w) break;
    const eq = w.value.indexOf('=');
    const name = (eq > 0 ? w.value.slice(0, eq) : w.value).toLowerCase();
    const key = name === '--timeout' ? 'timeout' : name === '--tcp-keepalive' ? 'tcpKeepalive' : undefined;
    if (!key) continue;
    let raw: string | undefined;
    let span: Span;
    if (eq > 0) {
      raw = w.value.slice(eq + 1);
      span = index.span(file, w.offsets[eq + 1] ?? w.start, w.end);
    } else {
      const v = words[++i];
      if (!v) break;
      raw = v.value;
      span = index.span(file, v.start, v.end);
    }
    if (/^\d+$/.test(raw)) conf[key] = { value: Number(raw), span };
  }
  return conf;
}

export const redisConfSource: Source = {
  name: 'redis-conf',
  collect(ctx) {
    const redisConfs: RedisServerConf[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('redis.conf')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const r = parseRedisConf(file.path, text);
      redisConfs.push(r.conf);
      problems.push(...r.problems);
    }
    return { redisConfs, problems };
  },
};
