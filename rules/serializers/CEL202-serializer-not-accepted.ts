import { appConfigs } from '../../src/engine/model-index.js';
import { type AppConfig } from '../../src/engine/app-config.js';
import { knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix } from '../../src/engine/types.js';
import type { CeleryApp, ProjectModel, Span } from '../../src/model/types.js';
import { knownString } from '../../src/parse/pyvalue.js';
import {
  acceptNarrowedSince,
  acceptOf, addSettingsEdits, addToListEdit, admits, appFor, contentType, describeList, fixOf, resultAcceptState, serializerName,
  settingState, short, written, type Accept, type SettingState,
} from './content.js';

/** Serializers whose decoder only builds data: accepting them cannot run code, so the fix is safe. */
const DATA_ONLY = new Set(['json', 'msgpack']);

export default createRule({
  meta: {
    code: 'CEL202',
    name: 'serializer-not-accepted',
    summary: 'A serializer the app sends with is not in the content types the receiving side accepts.',
    why:
      'Kombu refuses to decode a message whose content type is not in the accept list (ContentDisallowed: ' +
      '"Refusing to deserialize untrusted content of type msgpack (application/x-msgpack)"). A task message sent ' +
      'with a serializer missing from accept_content never runs on the worker; a result stored with a serializer ' +
      'missing from result_accept_content (4.3+, else accept_content) makes AsyncResult.get() raise. Since Celery ' +
      '4.0.1 accept_content defaults to json only, so a project that sets task_serializer = "msgpack" and leaves ' +
      'accept_content unset breaks on upgrade from 3.1. Content types may be written as names or MIME types ' +
      '(application/x-msgpack); both are compared. The fix adds the serializer to the accept list: safe for json and ' +
      'msgpack (their decoders only build data, and accepting what the app itself sends is the intent), unsafe for ' +
      'pickle and yaml (pickle runs code chosen by the sender, see CEL203; yaml\'s loader depends on the Kombu version).',
    example: "task_serializer = 'msgpack'\nresult_serializer = 'msgpack'",
    useInstead: "task_serializer = 'msgpack'\nresult_serializer = 'msgpack'\naccept_content = ['json', 'msgpack']",
    fixSafety: 'sometimes',
    versions: { description: 'Every release; the default accept list shrinks to json in 4.0.1 (serializers.yaml).' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#accept-content',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#result-accept-content',
      'https://github.com/celery/celery/blob/v4.0.1/celery/app/defaults.py',
      'https://github.com/celery/kombu/blob/v5.2.4/kombu/serialization.py',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    for (const { app, config } of appConfigs(model, target, k)) {
      const accept = settingState(config, k, 'accept_content');
      if (!accept) continue;
      const acceptList = acceptOf(k, accept.value);
      for (const use of taskUses(model, app, config, k)) {
        if (admits(k, acceptList, use.serializer, true) !== false) continue;
        const name = serializerName(k, use.serializer);
        const type = contentType(k, use.serializer);
        ctx.report({
          message:
            `${use.said}, but ${acceptance(accept, acceptList, target)}: the worker refuses these task ` +
            `messages (ContentDisallowed: Refusing to deserialize untrusted content of type ${name} (${type})) and the task never runs. ` +
            `Add '${name}' to ${written(accept)}.`,
          span: use.span ?? accept.fact?.fact.valueSpan ?? accept.fact?.fact.span ?? app.span,
          fix: addFix(model, app, k, target, accept, acceptList, use.serializer),
          since: acceptNarrowedSince(ctx.versions, k, accept, use.serializer),
        });
      }
      if (!hasResultBackend(config)) continue;
      const result = settingState(config, k, 'result_serializer');
      const resultAccept = resultAcceptState(config, k);
      const serializer = knownString(result?.value);
      if (!result || !resultAccept || !serializer) continue;
      const resultList = acceptOf(k, resultAccept.value);
      if (admits(k, resultList, serializer, true) !== false) continue;
      const name = serializerName(k, serializer);
      ctx.report({
        message:
          `${result.fromDefault ? `result_serializer defaults to '${serializer}'` : `${written(result)} is '${serializer}'`}, ` +
          `but ${acceptance(resultAccept, resultList, target)}: reading a result ` +
          `(AsyncResult.get()) raises ContentDisallowed (Refusing to deserialize untrusted content of type ${name} ` +
          `(${contentType(k, serializer)})). Add '${name}' to ${written(resultAccept)}.`,
        span: result.fact?.fact.valueSpan ?? resultAccept.fact?.fact.valueSpan ?? app.span,
        fix: addFix(model, app, k, target, resultAccept, resultList, serializer),
        since: acceptNarrowedSince(ctx.versions, k, resultAccept, serializer),
      });
    }
  },
});

interface Use {
  serializer: string;
  /** The use in words: "task_serializer is 'msgpack'". */
  said: string;
  span?: Span;
}

/** Every serializer task messages of the app are sent with: the app's, per task, per call. */
function taskUses(model: ProjectModel, app: CeleryApp, config: AppConfig, k: Knowledge): Use[] {
  const out: Use[] = [];
  const own = settingState(config, k, 'task_serializer');
  const appSerializer = knownString(own?.value);
  if (own && appSerializer) {
    out.push({
      serializer: appSerializer,
      said: own.fromDefault ? `${own.name} defaults to '${appSerializer}'` : `${written(own)} is '${appSerializer}'`,
      span: own.fact?.fact.valueSpan,
    });
  }
  for (const task of model.tasks) {
    const opt = task.options.serializer;
    const s = knownString(opt?.value);
    if (!opt || !s || appFor(model, task.file, task.appVariable) !== app) continue;
    out.push({ serializer: s, said: `task ${task.name} sets serializer='${s}'`, span: opt.span });
  }
  for (const call of model.callSites) {
    if (call.kind !== 'apply_async' && call.kind !== 'send_task') continue;
    const opt = call.options.serializer;
    const s = knownString(opt?.value);
    if (!opt || !s || appFor(model, call.file) !== app) continue;
    out.push({ serializer: s, said: `${call.receiver}.${call.kind}(serializer='${s}') sends with ${s}`, span: opt.span });
  }
  return out;
}

function acceptance(state: SettingState, list: Accept, target: string): string {
  return state.fromDefault
    ? `${state.name} is not set and Celery ${short(target)} accepts only ${describeList(list)} by default`
    : `${written(state)} is ${describeList(list)}`;
}

/** A result backend is configured (results are stored and read), as far as the configuration shows. */
function hasResultBackend(config: AppConfig): boolean {
  const { url, fact } = config.resultBackendUrl();
  if (url !== undefined) return url !== 'disabled' && url !== '';
  return fact !== undefined && fact.value.kind !== 'none';
}

function addFix(model: ProjectModel, app: CeleryApp, k: Knowledge, version: string, state: SettingState, list: Accept, serializer: string): Fix | undefined {
  if (list.kind !== 'list') return undefined;
  const name = serializerName(k, serializer);
  // keep the list's style: MIME types when every entry is one
  const mime = list.entries.length > 0 && list.entries.every((e) => e.text.includes('/'));
  const entry = mime ? contentType(k, serializer) ?? serializer : name;
  let edits: Edit[] | undefined;
  if (state.fromDefault) {
    edits = addSettingsEdits(model, app, k, version, [{ setting: state.setting, value: [...list.entries.map((e) => e.text), entry] }]);
  } else {
    const edit = addToListEdit(list.value, entry);
    edits = edit ? [edit] : undefined;
  }
  return fixOf(DATA_ONLY.has(name) ? 'safe' : 'unsafe', `Add '${entry}' to ${written(state)}`, edits);
}
