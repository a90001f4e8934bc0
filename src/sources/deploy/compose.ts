import path from 'node:path';
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import type { CeleryCommand, EnvVar, ParseProblem, RedisServerConf, WebServer } from '../../model/types.js';
import type { Source, SourceContext } from '../source.js';
import { envVar, splitAssignment, warning } from './common.js';
import { redisServerArgs } from './redis-conf.js';
import { argv, child, commandsFromPair, deref, nodeRange, pairRange, scalarString, scalarText, type YamlFile, parseYaml } from './yaml.js';

/** docker-compose files: each service's entrypoint/command, its environment, and redis-server flags. */
export const composeSource: Source = {
  name: 'compose',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const envVars: EnvVar[] = [];
    const redisConfs: RedisServerConf[] = [];
    const problems: ParseProblem[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('compose', 'yaml')) {
      // Compose files are also named freely (`deploy/stack.yml`, `docker/production.yml`).
      const named = file.kind === 'compose';
      const text = ctx.text(file);
      if (text === undefined || (!named && !looksLikeCompose(text))) continue;
      const yf = parseYaml(file.path, text, named);
      problems.push(...yf.problems);
      for (const doc of yf.docs) {
        const services = child(doc.contents, 'services', doc);
        if (!isMap(services)) continue;
        for (const pair of services.items as Pair[]) {
          const name = scalarString(yf, pair.key);
          const svc = deref(doc, pair.value);
          if (name === undefined || !isMap(svc)) continue;
          const target = { file: file.path, source: 'compose' as const, index: yf.index, processName: name, webServers };
          // Airflow's image runs its command under `airflow` (`command: celery worker` is `airflow celery worker`),
          // unless the service replaces the entrypoint
          const image = scalarString(yf, child(svc, 'image', doc)) ?? '';
          const airflow = /(^|\/)airflow(:|$)/.test(image) && !child(svc, 'entrypoint', doc);
          if (!airflow) commands.push(...commandsFromPair(yf, target, child(svc, 'entrypoint', doc), child(svc, 'command', doc)));
          // An anchored environment shared by several services is one set of variables in the file.
          for (const v of environment(yf, child(svc, 'environment', doc))) {
            if (!envVars.some((e) => e.file === v.file && e.span.start.offset === v.span.start.offset)) envVars.push(v);
          }
          problems.push(...envFiles(ctx, yf, child(svc, 'env_file', doc)));
          const words = argv(yf, child(svc, 'command', doc));
          const redis = words && redisServerArgs(file.path, yf.index, words);
          if (redis && (redis.timeout || redis.tcpKeepalive)) redisConfs.push(redis);
        }
      }
    }
    return { commands, envVars, redisConfs, problems, webServers };
  },
};

function looksLikeCompose(text: string): boolean {
  return /^services:[ \t]*(#.*)?\r?$/m.test(text) && !/^(apiVersion|kind):/m.test(text);
}

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`); variables passed through without a value are skipped. */
function environment(yf: YamlFile, node: unknown): EnvVar[] {
  const out: EnvVar[] = [];
  if (isMap(node)) {
    for (const pair of node.items as Pair[]) {
      const name = scalarString(yf, pair.key);
      const value = scalarText(yf, pair.value);
      const entry = pairRange(pair);
      if (name === undefined || !value || !entry) continue;
      out.push(envVar(yf.file, yf.index, 'compose', { name, entry, value }));
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const m = scalarText(yf, item);
      const r = nodeRange(item);
      const e = m && r ? splitAssignment(m, r) : undefined;
      if (e) out.push(envVar(yf.file, yf.index, 'compose', e));
    }
  }
  return out;
}

/** env_file entries are read only when they are dotenv files in the project; others are reported as unread. */
function envFiles(ctx: SourceContext, yf: YamlFile, node: unknown): ParseProblem[] {
  const items = isSeq(node) ? node.items : node === undefined ? [] : [node];
  const out: ParseProblem[] = [];
  for (const item of items) {
    const pathNode = isMap(item) ? child(item, 'path') : item;
    if (!isScalar(pathNode)) continue;
    const ref = scalarString(yf, pathNode);
    if (!ref) continue;
    const rel = path.posix.normalize(path.posix.join(path.posix.dirname(yf.file), ref));
    if (ctx.files.some((f) => f.path === rel && f.kind === 'dotenv')) continue;
    out.push(warning(yf.file, yf.index, `env_file ${ref} is not read: its variables are not checked`, nodeRange(pathNode)));
  }
  return out;
}
