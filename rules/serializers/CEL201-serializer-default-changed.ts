import { appConfig, taskNamed } from '../../src/engine/model-index.js';
import { type AppConfig } from '../../src/engine/app-config.js';
import { compareVersions, inRange, knowledge, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule } from '../../src/engine/types.js';
import type { CallSite, CeleryApp, ProjectModel, Value } from '../../src/model/types.js';
import { knownString, toPlain } from '../../src/parse/pyvalue.js';
import { kombuVersions } from '../transports/kombu.js';
import { addSettingsEdits, appAnchor, appFor, fixOf, settingState, short, type SerializerSetting } from './content.js';

const SETTINGS: SerializerSetting[] = ['task_serializer', 'result_serializer', 'accept_content'];

export default createRule({
  meta: {
    code: 'CEL201',
    name: 'serializer-default-changed',
    summary: 'The project relies on the Celery 3.1 serializer defaults, which the upgrade to 4.0+ changes.',
    why:
      'Celery 3.1 sends task messages and stores results with pickle and accepts json, pickle, msgpack and yaml. ' +
      'Celery 4.0.0 switches task_serializer and result_serializer to json; 4.0.1 also narrows accept_content to ' +
      'json (4.0.0 still accepted all four); 4.3.0 adds result_accept_content, which follows accept_content while ' +
      'unset. With json, arguments and return values JSON cannot carry (sets; bytes before Kombu 5.3) make ' +
      'apply_async raise EncodeError and a task returning them is recorded as failed, datetimes arrive as ISO ' +
      'strings before Kombu 5.3, and a worker still on 3.1 sends pickle messages that an upgraded 4.0.1+ worker ' +
      'refuses. The fix writes today\'s values explicitly. It keeps behaviour but it keeps accepting pickle, a ' +
      'remote-code-execution risk (CEL203), so it is marked unsafe: apply it to upgrade first and move to json ' +
      'afterwards, or set json explicitly instead.',
    example: "BROKER_URL = 'redis://localhost:6379/0'",
    useInstead:
      "BROKER_URL = 'redis://localhost:6379/0'\nCELERY_TASK_SERIALIZER = 'json'\nCELERY_RESULT_SERIALIZER = 'json'\n" +
      "CELERY_ACCEPT_CONTENT = ['json']",
    fixSafety: 'unsafe',
    versions: { description: 'Upgrades from Celery 3.1 to 4.0 or later (migrate mode).', introduced: '4.0.0' },
    references: [
      'https://docs.celeryq.dev/en/stable/history/whatsnew-4.0.html#json-is-now-the-default-serializer',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-serializer',
      'https://github.com/celery/celery/blob/v4.0.1/celery/app/defaults.py',
      'https://github.com/celery/kombu/blob/v5.3.0/kombu/utils/json.py',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const { mode, current, target } = ctx.versions;
    if (mode !== 'migrate' || !current || !target) return;
    if (compareVersions(current, '4.0.0') >= 0 || compareVersions(target, '4.0.0') < 0) return;
    const k = knowledge();
    const kombu = kombuVersions(model, ctx.versions, k);
    for (const app of model.apps) {
      const before = appConfig(model, app, current, k);
      const after = appConfig(model, app, target, k);
      const changes = defaultChanges(k, before, after, current, target);
      if (!changes.length) continue;
      const listed = changes.map((c) => `${c.setting} ${show(c.today)} → ${show(c.next)} (from ${short(c.since)}${c.note ?? ''})`).join(', ');
      const serializerChanges = changes.some((c) => c.setting !== 'accept_content' && c.next === 'json');
      const trouble = serializerChanges && kombu ? jsonTrouble(model, app, after, k, kombu.versions) : undefined;
      const notes: string[] = [];
      if (serializerChanges) notes.push(`With json, ${jsonEffects(k, kombu?.versions)}`);
      if (changes.some((c) => c.setting === 'accept_content')) {
        notes.push(
          'Workers refuse messages in any other format (ContentDisallowed), including pickle messages from 3.1 clients still running' +
            (compareVersions(target, k.serializers.resultAcceptContent.since) >= 0 ? '; results follow accept_content while result_accept_content is unset' : ''),
        );
      }
      const message =
        `Upgrading from Celery ${short(current)} to ${short(target)} changes serializer defaults this app relies on: ${listed}. ` +
        `${notes.join('. ')}.` +
        (trouble ? ` ${trouble}.` : '') +
        ' Set them explicitly to keep today\'s behaviour (pickle stays accepted, see CEL203), or set json everywhere once every task argument and result is JSON-safe.';
      const edits = addSettingsEdits(model, app, k, target, changes.map((c) => ({ setting: c.setting, value: c.today })));
      ctx.report({
        message,
        span: appAnchor(app),
        severity: trouble ? 'error' : undefined,
        since: changes.map((c) => c.since).sort(compareVersions)[0],
        fix: fixOf('unsafe', "Set today's serializer settings explicitly (keeps pickle)", edits),
      });
    }
  },
});

interface Change {
  setting: SerializerSetting;
  today: unknown;
  next: unknown;
  since: string;
  note?: string;
}

/** Settings left to their default at the target whose default differs from what the app runs with today. */
function defaultChanges(k: Knowledge, before: AppConfig, after: AppConfig, current: string, target: string): Change[] {
  const out: Change[] = [];
  for (const setting of SETTINGS) {
    const now = settingState(before, k, setting);
    const then = settingState(after, k, setting);
    if (!now || !then || !then.fromDefault || !now.value) continue;
    const today = toPlain(now.value);
    if (today === undefined || (!now.fromDefault && now.value.kind === 'unknown')) continue;
    let since: string | undefined;
    let last: unknown = today;
    for (const d of k.serializers.defaults) {
      if (compareVersions(d.since, current) <= 0 || compareVersions(d.since, target) > 0) continue;
      const v = d[setting];
      if (v === undefined || same(v, last)) continue;
      since ??= d.since;
      last = v;
    }
    if (!since || same(last, today)) continue;
    // accept_content narrowed in 4.0.1, not with the serializer switch in 4.0.0: say which release still kept it
    const kept = k.serializers.defaults.find(
      (d) => compareVersions(d.since, current) > 0 && compareVersions(d.since, since) < 0 && same(d[setting], today),
    );
    out.push({ setting, today, next: last, since, note: kept ? `; ${short(kept.since)} still had the old default` : undefined });
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}

/** `a, b and c` */
function words(list: string[]): string {
  return list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

type Effect = 'roundTrip' | 'toString' | 'error' | 'list' | 'depends';

/** What Kombu's json does with a value kind at every given Kombu release; 'depends' when they differ. */
function effectAt(k: Knowledge, kind: string, kombu: string[]): Effect | undefined {
  const seen = new Set<Effect>();
  for (const v of kombu) {
    const entry = k.serializers.json.find((j) => inRange(v, j.kombu, j.until));
    const e = entry?.values[kind];
    if (e) seen.add(e);
  }
  if (seen.size === 0) return undefined;
  return seen.size === 1 ? [...seen][0] : 'depends';
}

function jsonEffects(k: Knowledge, kombu: string[] | undefined): string {
  if (!kombu) return 'arguments JSON cannot carry make apply_async raise EncodeError and a task returning them is recorded as failed';
  const kinds = ['set', 'bytes', 'datetime', 'date', 'decimal', 'uuid'];
  const errors = kinds.filter((x) => effectAt(k, x, kombu) === 'error');
  const strings = kinds.filter((x) => effectAt(k, x, kombu) === 'toString');
  const parts = [`${words([...errors, 'custom-object'])} arguments make apply_async raise EncodeError and a task returning them is recorded as failed`];
  if (strings.length) parts.push(`${words(strings)} values arrive as strings`);
  return parts.join('; ');
}

/** A call site that visibly passes a value JSON cannot encode at the target's Kombu, when it is sent as json. */
function jsonTrouble(model: ProjectModel, app: CeleryApp, config: AppConfig, k: Knowledge, kombu: string[]): string | undefined {
  const appSerializer = knownString(settingState(config, k, 'task_serializer')?.value);
  for (const call of model.callSites) {
    if (!SENDS.has(call.kind) || appFor(model, call.file) !== app) continue;
    const task = taskNamed(model, call.task);
    const serializer = knownString(call.options.serializer?.value) ?? knownString(task?.options.serializer?.value) ?? appSerializer;
    if (serializer !== 'json') continue;
    for (const key of ['args', 'kwargs']) {
      const v = call.options[key]?.value;
      const kind = v ? unsupported(v, (x) => effectAt(k, x, kombu) === 'error') : undefined;
      if (kind) return `${where(call)} passes ${kind === 'set' ? 'a set' : kind} to ${call.task ?? call.receiver}, which json cannot encode at that Kombu: the call will raise EncodeError`;
    }
  }
  return undefined;
}

const SENDS = new Set<CallSite['kind']>(['apply_async', 'delay', 'send_task', 's', 'si', 'signature']);

function where(call: CallSite): string {
  return `${call.file}:${call.span.start.line}`;
}

/** The first value kind inside `v` that json cannot encode (sets; bytes literals), per `isError`. */
function unsupported(v: Value, isError: (kind: string) => boolean): string | undefined {
  switch (v.kind) {
    case 'set':
      if (isError('set')) return 'set';
      return first(v.items, isError);
    case 'list':
    case 'tuple':
      return first(v.items, isError);
    case 'dict':
      return first(v.entries.map((e) => e.value), isError);
    case 'unknown':
      // a bytes literal is the one unevaluated value whose type the model knows
      return v.literal === 'bytes' && isError('bytes') ? 'bytes' : undefined;
    default:
      return undefined;
  }
}

function first(items: Value[], isError: (kind: string) => boolean): string | undefined {
  for (const item of items) {
    const r = unsupported(item, isError);
    if (r) return r;
  }
  return undefined;
}
