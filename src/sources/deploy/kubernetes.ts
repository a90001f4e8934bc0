import { isMap, isSeq, visit, type Pair } from 'yaml';
import type { CommandTarget } from '../../model/shell-words.js';
import type { CeleryCommand, EnvVar, ParseProblem, RedisServerConf, WebServer } from '../../model/types.js';
import type { Source } from '../source.js';
import { envVar, isCeleryishName } from './common.js';
import { redisServerArgs } from './redis-conf.js';
import { argv, child, commandsFromPair, nodeRange, pairRange, parseYaml, scalarString, scalarText, type YamlFile } from './yaml.js';

// Plain YAML files are everything from CI configs to mkdocs; a parse failure matters only where Celery may be.
const RELEVANT = /celery|containers\s*:|kind\s*:\s*ConfigMap/i;

/**
 * Kubernetes manifests and Helm templates (any YAML): containers' command+args and env, and ConfigMap data whose
 * keys look like Celery or broker settings. Templated files are parsed with their tags masked.
 */
export const kubernetesSource: Source = {
  name: 'kubernetes',
  collect(ctx) {
    const commands: CeleryCommand[] = [];
    const envVars: EnvVar[] = [];
    const redisConfs: RedisServerConf[] = [];
    const problems: ParseProblem[] = [];
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('yaml')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const yf = parseYaml(file.path, text, RELEVANT.test(text));
      problems.push(...yf.problems);
      const source = yf.templated ? 'helm' : 'kubernetes';
      for (const doc of yf.docs) {
        if (scalarString(yf, child(doc.contents, 'kind')) === 'ConfigMap') {
          envVars.push(...configMapData(yf, child(doc.contents, 'data'), source));
        }
        visit(doc, {
          Map(_, map) {
            for (const key of ['containers', 'initContainers']) {
              const list = child(map, key);
              if (!isSeq(list)) continue;
              for (const container of list.items) {
                if (!isMap(container)) continue;
                const target: CommandTarget = { file: file.path, source, index: yf.index, webServers };
                const name = scalarString(yf, child(container, 'name'));
                if (name !== undefined) target.processName = name;
                commands.push(...commandsFromPair(yf, target, child(container, 'command'), child(container, 'args')));
                envVars.push(...containerEnv(yf, child(container, 'env'), source));
                const redis = redisCommand(yf, child(container, 'command'), child(container, 'args'));
                if (redis) redisConfs.push(redis);
              }
            }
          },
        });
      }
    }
    return { commands, envVars, redisConfs, problems, webServers };
  },
};

/** `env: [{name, value}]`; entries with valueFrom have no literal value and are skipped. */
function containerEnv(yf: YamlFile, node: unknown, source: 'kubernetes' | 'helm'): EnvVar[] {
  if (!isSeq(node)) return [];
  const out: EnvVar[] = [];
  for (const item of node.items) {
    const name = scalarString(yf, child(item, 'name'));
    const value = scalarText(yf, child(item, 'value'));
    const entry = nodeRange(item);
    if (name === undefined || !value || !entry) continue;
    out.push(envVar(yf.file, yf.index, source, { name, entry, value }));
  }
  return out;
}

function configMapData(yf: YamlFile, node: unknown, source: 'kubernetes' | 'helm'): EnvVar[] {
  if (!isMap(node)) return [];
  const out: EnvVar[] = [];
  for (const pair of node.items as Pair[]) {
    const name = scalarString(yf, pair.key);
    const value = scalarText(yf, pair.value);
    const entry = pairRange(pair);
    if (name === undefined || !value || !entry || !isCeleryishName(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    out.push(envVar(yf.file, yf.index, source, { name, entry, value }));
  }
  return out;
}

function redisCommand(yf: YamlFile, command: unknown, args: unknown): RedisServerConf | undefined {
  const words = [...(argv(yf, command) ?? []), ...(argv(yf, args) ?? [])];
  const conf = redisServerArgs(yf.file, yf.index, words);
  return conf && (conf.timeout || conf.tcpKeepalive) ? conf : undefined;
}
