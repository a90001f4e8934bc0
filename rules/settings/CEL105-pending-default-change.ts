import { appFor } from '../serializers/content.js';
import { appConfig } from '../../src/engine/model-index.js';
import { type AppConfig } from '../../src/engine/app-config.js';
import { inRange, knowledge, type PendingChange } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix } from '../../src/engine/types.js';
import type { CeleryApp, ProjectModel, SettingFact, Span } from '../../src/model/types.js';
import { configSources, mixing, pyLiteral, settingInsertion, SettingNames, shortVersion, type ConfigSource } from './keys.js';

export default createRule({
  meta: {
    code: 'CEL105',
    name: 'pending-default-change',
    summary: 'A setting whose default Celery 6.0 changes is left unset, and the target release warns about it.',
    why:
      'broker_connection_retry_on_startup (5.3+): while unset, broker_connection_retry decides startup retries; 6.0 ' +
      'will use broker_connection_retry_on_startup alone. 5.3 and 5.4 emit a CPendingDeprecationWarning at every ' +
      'worker start while it is unset; from 5.5 only when broker_connection_retry is False. ' +
      'worker_cancel_long_running_tasks_on_connection_loss (5.1+): False by default, True in 6.0, which cancels ' +
      'running acks_late tasks when the broker connection is lost (they are redelivered); while it is False every ' +
      'connection loss logs a CPendingDeprecationWarning (celery/worker/consumer/consumer.py warns whenever it is ' +
      'False, set or not). Setting broker_connection_retry_on_startup explicitly silences its warning; setting either ' +
      'to today\'s value pins the behaviour across the 6.0 upgrade, and only True (opting in now) silences the ' +
      'connection-loss warning.',
    example: "broker_url = 'redis://localhost:6379/0'\ntask_acks_late = True",
    useInstead:
      "broker_url = 'redis://localhost:6379/0'\ntask_acks_late = True\nbroker_connection_retry_on_startup = True\n" +
      'worker_cancel_long_running_tasks_on_connection_loss = False',
    fixSafety: 'safe',
    versions: { description: 'Celery 5.1 and later, until the 6.0 default change.', introduced: '5.1.0', until: '6.0.0' },
    references: [
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-connection-retry-on-startup',
      'https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-cancel-long-running-tasks-on-connection-loss',
      'https://github.com/celery/celery/blob/v5.3.0/celery/worker/consumer/consumer.py',
      'https://github.com/celery/celery/blob/v5.5.0/celery/worker/consumer/consumer.py',
      'https://github.com/celery/celery/pull/9227',
    ],
    defaultSeverity: 'info',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const names = new SettingNames(k, target);
    const t = shortVersion(target);
    const done = new Set<string>();
    for (const src of primarySources(model)) {
      if (done.has(src.app.id)) continue;
      done.add(src.app.id);
      const config = appConfig(model, src.app, target, k);
      // part of the configuration cannot be read (conf.update(flask_app.config), a module outside the project)
      if (config.incomplete()) continue;
      for (const change of k.configLoading.pendingChanges ?? []) {
        if (!names.isNew(change.setting) || config.get(change.setting)) continue;
        const warn = change.warns.find((w) => inRange(target, w.since, w.until));
        if (!warn) continue;
        const today = todayValue(change, config);
        if (today === undefined) continue;
        const since = ctx.versions.mode === 'migrate' ? change.warns[0]?.since : undefined;
        const removal = shortVersion(change.changesIn);
        const fix = appendFix(src, names, change.setting, today);
        if (warn.when === 'unset' || warn.when === 'unset-and-retry-disabled') {
          const retry = config.get('broker_connection_retry');
          if (warn.when === 'unset-and-retry-disabled' && today !== false) continue;
          const message =
            `broker_connection_retry_on_startup is not set: Celery ${t} warns (CPendingDeprecationWarning) at every worker start` +
            (warn.when === 'unset-and-retry-disabled' ? ' because broker_connection_retry is False' : '') +
            ` that from ${removal} broker_connection_retry no longer decides startup retries. ` +
            `Set broker_connection_retry_on_startup = ${pyLiteral(today)} to keep today's behaviour.`;
          ctx.report({ message, span: retry?.fact.nameSpan ?? where(src), fix, since });
        } else {
          const acks = acksLate(model, config);
          if (!acks) continue;
          const message =
            `worker_cancel_long_running_tasks_on_connection_loss is not set while ${acks.what} uses acks_late: Celery ${t} ` +
            `logs a CPendingDeprecationWarning at every broker connection loss, and ${removal} changes the default to True, ` +
            'which cancels running acks_late tasks on connection loss (the broker redelivers them). ' +
            `Set it to ${pyLiteral(today)} to keep today's behaviour (Celery still logs the warning while it is False), or to True to opt in now.`;
          ctx.report({ message, span: acks.span ?? where(src), fix, since });
        }
      }
    }
  },
});

/** Per app, the source a new setting goes to: its config module, else its conf.update calls. */
function primarySources(model: ProjectModel): ConfigSource[] {
  const all = configSources(model);
  const out: ConfigSource[] = [];
  for (const app of model.apps) {
    if (isHelperApp(app, model)) continue;
    const mine = all.filter((s) => s.app.id === app.id);
    const src = mine.find((s) => s.place !== 'direct') ?? mine.find((s) => s.place === 'direct');
    if (src) out.push(src);
    else out.push({ app, place: 'direct', keys: [] });
  }
  return out;
}

/**
 * A bare `Celery()` (no name, no configuration, no task of its own) next to a configured app: a helper object such as
 * the one arches builds in a view to send a revoke, not an app a worker runs, so worker-start warnings do not concern it.
 */
function isHelperApp(app: CeleryApp, model: ProjectModel): boolean {
  // h's `Celery(authority)` built to send_task to another service: a name at most, no configuration of its own
  const bare = (a: CeleryApp) => !a.configSources.length && !a.directSettings.some((d) => d.key !== 'broker_url' && d.key !== 'result_backend') && !a.autodiscover.length;
  if (!bare(app) || model.tasks.some((t) => t.file === app.file && t.appVariable === app.variable)) return false;
  return model.apps.some((other) => other !== app && !bare(other));
}

function todayValue(change: PendingChange, config: AppConfig): boolean | undefined {
  if ('value' in change.keepsTodayWith) return typeof change.keepsTodayWith.value === 'boolean' ? change.keepsTodayWith.value : undefined;
  const v = config.value(change.keepsTodayWith.setting).value;
  return v?.kind === 'bool' ? v.value : undefined;
}

function acksLate(model: ProjectModel, config: AppConfig): { what: string; span?: Span } | undefined {
  const setting = config.get('task_acks_late');
  if (setting?.fact.value.kind === 'bool' && setting.fact.value.value) return { what: 'the app (task_acks_late)', span: setting.fact.nameSpan };
  const task = model.tasks.find((t) => {
    const v = t.options.acks_late?.value;
    if (v?.kind !== 'bool' || !v.value) return false;
    const owner = appFor(model, t.file, t.appVariable);
    return owner === undefined || owner === config.app;
  });
  return task ? { what: `task ${task.name}`, span: task.options.acks_late?.span } : undefined;
}

function where(src: ConfigSource): Span {
  return src.ref?.span ?? src.app.span;
}

/**
 * Sets the setting where the app is configured: a line after the last Celery setting of its config module
 * (in the module's style), or a keyword in its last conf.update(...) call.
 */
function appendFix(src: ConfigSource, names: SettingNames, setting: string, value: boolean): Fix | undefined {
  const literal = pyLiteral(value);
  let edit: Edit | undefined;
  if (src.place === 'direct') {
    const last = [...src.keys].reverse().find((x) => x.fact.origin === 'conf-update')?.fact;
    if (!last) return undefined;
    const text = last.nameStyle === 'string' ? `, '${setting}': ${literal}` : `, ${setting}=${literal}`;
    edit = after(last, text);
  } else {
    const name = settingName(src, names, setting);
    if (!name) return undefined;
    const spot = settingInsertion(src);
    if (!spot) return undefined;
    edit = after(spot.fact, `\n${spot.indent}${name} = ${literal}`);
  }
  return { applicability: 'safe', message: `Set ${setting} = ${literal} explicitly`, edits: [edit] };
}

function settingName(src: ConfigSource, names: SettingNames, setting: string): string | undefined {
  if (src.place === 'namespaced') return `${src.namespace}_${setting.toUpperCase()}`;
  // Django without namespace would need an old name, which CEL101 then asks to convert: no fix there
  if (src.place === 'django') return undefined;
  return mixing(src, names)?.winner === 'old' ? names.oldNameFor(setting) : setting;
}

function after(fact: SettingFact, content: string): Edit {
  const at = fact.span.end.offset;
  return { file: fact.span.file, start: at, end: at, content };
}

