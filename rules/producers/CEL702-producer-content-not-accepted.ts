import { appConfig } from '../../src/engine/model-index.js';
import { knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule, type RuleContext } from '../../src/engine/types.js';
import type { ProducerClient, ProjectModel } from '../../src/model/types.js';
import { knownString } from '../../src/parse/pyvalue.js';
import { acceptNarrowedSince, acceptOf, admits, contentType, describeList, settingState, short, written, type SettingState } from '../serializers/content.js';
import { appOfTask, libraryFacts, producerGets, producerSends, sendSerializer } from './producers.js';

export default createRule({
  meta: {
    code: 'CEL702',
    name: 'producer-content-not-accepted',
    summary: 'A Node.js producer sends messages the workers do not accept, or cannot read the results they store.',
    why:
      'celery-node 0.5.9 sends json only, with task message protocol 2 unless `client.conf.TASK_PROTOCOL = 1`; its ' +
      'protocol 2 messages carry only the lang, task and id headers. celery-ts 1.2.3 sends protocol 2 with every ' +
      'header, as json or (applyAsync({serializer: Serializer.Yaml})) yaml. Both read results with JSON.parse. ' +
      'A worker refuses a content type missing from accept_content (ContentDisallowed; the task never runs). Celery ' +
      'before 3.1.24 reads protocol 1 only and deletes protocol 2 messages as unknown; 3.1.24-3.1.x converts protocol 2 ' +
      'but requires the retries, eta, expires, group and timelimit headers (a TypeError otherwise). Celery 4.0+ reads ' +
      'both protocols. A worker storing results with a serializer other than json (pickle is the 3.1 default) makes ' +
      'the Node side unable to decode any result.',
    example: "accept_content = ['json']\n// reports-ts: task.applyAsync({args, kwargs: {}, serializer: Celery.Serializer.Yaml})",
    useInstead: "accept_content = ['json']\n// reports-ts: task.applyAsync({args, kwargs: {}})",
    fixSafety: 'none',
    versions: { description: 'Every release; protocol 2 is read from 3.1.24 (fully from 4.0); accept_content defaults to json from 4.0.1.' },
    references: [
      'https://docs.celeryq.dev/en/stable/internals/protocol.html',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#accept-content',
      'https://github.com/celery/celery/blob/v3.1.24/celery/worker/consumer.py',
      'https://github.com/actumn/celery.node/blob/master/src/app/client.ts',
      'https://github.com/node-celery-ts/node-celery-ts/blob/master/src/task.ts',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    for (const call of producerSends(model)) {
      const app = appOfTask(model, call.task);
      const serializer = sendSerializer(k, call);
      if (!app || !serializer) continue;
      const accept = settingState(appConfig(model, app, target, k), k, 'accept_content');
      if (!accept) continue;
      const list = acceptOf(k, accept.value);
      if (admits(k, list, serializer) !== false) continue;
      const how = call.producer!.serializerSpan ? `sends ${call.task ?? 'this task'} as ${serializer}` : `sends ${call.task ?? 'this task'} as ${serializer} (its only serializer)`;
      ctx.report({
        message:
          `${call.producer!.library} ${how}, but ${acceptance(accept, describeList(list), target)}: the worker refuses the message ` +
          `(ContentDisallowed: Refusing to deserialize untrusted content of type ${serializer} (${contentType(k, serializer)})) and the task never runs.`,
        span: call.producer!.serializerSpan ?? call.span,
        since: acceptNarrowedSince(ctx.versions, k, accept, serializer),
      });
    }
    for (const client of sendingClients(model)) protocol(ctx, k, client, target);
    for (const get of producerGets(model)) {
      const app = appOfTask(model, get.task);
      if (!app) continue;
      const state = settingState(appConfig(model, app, target, k), k, 'result_serializer');
      const serializer = knownString(state?.value);
      const lib = libraryFacts(k, get.producer!.library);
      if (!state || !serializer || lib.resultSerializers.includes(serializer)) continue;
      const said = state.fromDefault ? `${state.name} defaults to '${serializer}' in Celery ${short(target)}` : `${written(state)} is '${serializer}'`;
      ctx.report({
        message:
          `${lib.name} decodes results with JSON.parse only, but ${said}: this get() cannot read the result the worker ` +
          `stores${get.task ? ` for ${get.task}` : ''}. Store results as json (result_serializer = 'json').`,
        span: get.span,
      });
    }
  },
});

function sendingClients(model: ProjectModel): ProducerClient[] {
  const ids = new Set(producerSends(model).map((c) => c.producer!.client));
  return model.producers.filter((p) => ids.has(p.id));
}

function protocol(ctx: RuleContext, k: Knowledge, client: ProducerClient, target: string): void {
  const lib = libraryFacts(k, client.library);
  const worker = k.workerProtocolAt(target);
  const sent = client.protocol ?? (client.protocolSpan ? undefined : lib.protocol);
  if (!worker || sent === undefined) return;
  const span = client.protocolSpan ?? client.span;
  const readable = lib.protocols.find((p) => worker.reads.includes(p) && (p !== 2 || missing(worker.requiredHeaders, lib.v2Headers).length === 0));
  const advice = readable !== undefined && readable !== sent && lib.protocolOption ? ` Set ${lib.protocolOption} = ${readable}.` : '';
  const setBy = client.protocolSpan ? `${lib.protocolOption} = ${sent}` : `the default protocol ${sent}`;
  if (!worker.reads.includes(sent)) {
    ctx.report({
      message:
        `${lib.name} sends task messages with ${setBy}, but Celery ${short(target)} workers read only protocol ` +
        `${worker.reads.join(' and ')}: they delete these messages as unknown and no task runs.${advice}`,
      span,
    });
    return;
  }
  if (sent !== 2) return;
  const headers = missing(worker.requiredHeaders, lib.v2Headers);
  const embed = missing(worker.requiredEmbed, lib.v2Embed);
  if (headers.length === 0 && embed.length === 0) return;
  ctx.report({
    message:
      `${lib.name} sends protocol 2 messages with only the ${lib.v2Headers.join(', ')} headers, but Celery ${short(target)} ` +
      `workers require ${[...headers, ...embed.map((e) => `embed '${e}'`)].join(', ')} to convert them: the consumer raises ` +
      `TypeError and no task runs.${advice}`,
    span,
  });
}

function missing(required: string[], sent: string[]): string[] {
  return required.filter((r) => !sent.includes(r));
}

function acceptance(state: SettingState, list: string, target: string): string {
  return state.fromDefault ? `${state.name} is not set and Celery ${short(target)} accepts only ${list} by default` : `${written(state)} is ${list}`;
}
