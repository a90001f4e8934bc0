import { appSettings } from '../model/effective.js';
import type { CeleryApp, ProjectModel, Value } from '../model/types.js';
import { describeValue } from '../parse/pyvalue.js';
import { formatSpan } from '../parse/span.js';
import { isSecretName, maskSecrets } from '../model/url.js';

export const INSPECT_JSON_VERSION = 1;

/** `inspect --json`: the whole model, versioned, secrets masked by the caller. */
export function inspectJson(model: ProjectModel): unknown {
  return { version: INSPECT_JSON_VERSION, ...model };
}

/** A readable summary: apps with their settings and where each came from, tasks, calls, deploy, versions. */
export function inspectText(model: ProjectModel): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  line(`Project ${model.root}`);
  line(`  ${model.files.length} files analysed (${countBy(model.files.map((f) => f.kind))})`);
  line();
  if (model.apps.length === 0) line('No Celery app found.');
  for (const app of model.apps) appSection(app, model, line);
  line(`Tasks (${model.tasks.length})`);
  for (const t of model.tasks) {
    const opts = Object.entries(t.options).map(([k, o]) => `${k}=${show(k, o.value)}`).join(', ');
    line(`  ${t.name}  [${t.decorator}]  ${formatSpan(t.decoratorSpan)}${opts ? `  ${opts}` : ''}`);
  }
  if (model.producers.length) producerSection(model, line);
  line();
  line(`Call sites (${model.callSites.length})`);
  const byKind = countBy(model.callSites.map((c) => c.kind));
  if (byKind) line(`  ${byKind}`);
  const perTask = new Map<string, typeof model.callSites>();
  for (const c of model.callSites) if (c.task) perTask.set(c.task, [...(perTask.get(c.task) ?? []), c]);
  for (const [task, calls] of [...perTask].sort(([a], [b]) => a.localeCompare(b))) {
    const usage = countBy(calls.flatMap((c) => (c.resultUsage ? [c.resultUsage] : [])));
    line(`  ${task}: ${countBy(calls.map((c) => c.kind))}${usage ? `; results ${usage}` : ''}`);
  }
  const unlinked = model.callSites.filter((c) => !c.task).length;
  if (unlinked) line(`  (${unlinked} not linked to a task)`);
  line();
  line(`Deploy commands (${model.commands.length})`);
  for (const c of model.commands) {
    const parts = [c.program, c.subcommand && `subcommand=${c.subcommand}`, c.app && `app=${c.app}`, c.pool && `pool=${c.pool}`, c.concurrency !== undefined && `concurrency=${c.concurrency}`]
      .filter(Boolean)
      .join(' ');
    line(`  ${formatSpan(c.span)} [${c.source}${c.processName ? `:${c.processName}` : ''}] ${parts}${c.globalOptionsAfterSubcommand ? '  (global options after the subcommand)' : ''}`);
  }
  if (model.envVars.length) {
    line();
    line(`Environment (${model.envVars.length})`);
    for (const e of model.envVars) line(`  ${e.name}=${show(e.name, e.value)}  ${formatSpan(e.span)} [${e.source}]`);
  }
  for (const r of model.redisConfs) {
    line();
    line(`redis.conf ${r.file}: timeout ${r.timeout ? r.timeout.value : '(unset: 0)'}${r.tcpKeepalive ? `, tcp-keepalive ${r.tcpKeepalive.value}` : ''}`);
  }
  line();
  line(`Versions (${model.versions.length})`);
  for (const v of model.versions) line(`  ${v.package} ${v.exact ? `==${v.exact}` : v.spec || '(any)'}  ${formatSpan(v.span)} [${v.source}]`);
  if (model.problems.length) {
    line();
    line(`Problems (${model.problems.length})`);
    for (const p of model.problems) line(`  ${p.span ? formatSpan(p.span) : p.file}: ${p.severity}: ${p.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** Node.js clients (celery-node, celery-ts) and the tasks they send, marked when no Python task has the name. */
function producerSection(model: ProjectModel, line: (s?: string) => void): void {
  const registered = new Set(model.tasks.map((t) => t.name));
  line();
  line(`Node producers (${model.producers.length})`);
  for (const p of model.producers) {
    const parts = [p.broker && `broker=${show('broker', p.broker)}`, p.backend && `backend=${show('backend', p.backend)}`, p.protocol !== undefined && `protocol=${p.protocol}`].filter(Boolean);
    line(`  ${p.library}${p.variable ? ` ${p.variable}` : ''}  ${formatSpan(p.span)}${parts.length ? `  ${parts.join('  ')}` : ''}`);
    for (const c of model.callSites) {
      if (c.producer?.client !== p.id || c.kind === 'get') continue;
      const reads = model.callSites.filter((g) => g.kind === 'get' && g.resultOf?.span.start.offset === c.span.start.offset && g.resultOf.span.file === c.file);
      const notes = [
        c.task !== undefined && !registered.has(c.task) && c.kind !== 'AsyncResult' ? 'no Python task has this name' : '',
        c.producer.serializer ? `serializer=${c.producer.serializer}` : '',
        ...reads.map((g) => `get(${g.hasTimeout ? 'timeout' : 'no timeout'}) ${formatSpan(g.span)}`),
      ].filter(Boolean);
      line(`    ${c.kind} ${c.task ?? '(name not static)'}  ${formatSpan(c.span)}${notes.length ? `  ${notes.join('; ')}` : ''}`);
    }
  }
}

function appSection(app: CeleryApp, model: ProjectModel, line: (s?: string) => void): void {
  const main = app.main ? describeValue(app.main) : '(no main name)';
  line(`App ${app.variable} = Celery(${main})  ${formatSpan(app.span)}`);
  for (const ref of app.configSources) {
    const target = describeValue(ref.target);
    line(`  ${ref.kind}(${target}${ref.namespace ? `, namespace=${JSON.stringify(ref.namespace)}` : ''}) → ${ref.file ?? (ref.kind === 'conf_update' ? 'a mapping not read statically' : ref.kind === 'subclass' ? 'a Celery subclass of the project, whose methods are not read' : 'not found in the project')}`);
  }
  for (const a of app.autodiscover) line(`  autodiscover_tasks(${a.packages ? describeValue(a.packages) : ''})`);
  const settings = appSettings(app, model);
  const celeryish = settings.filter((s) => s.from === 'direct' || looksCelery(s.fact.name, app.namespace));
  const last = new Map<string, number>();
  celeryish.forEach((s, i) => {
    if (!s.notRead) last.set(s.key, i);
  });
  line(`  Settings (${celeryish.length}):`);
  celeryish.forEach((s, i) => {
    const state = s.notRead ? `  (not read: ${s.notRead})` : last.get(s.key) !== i ? '  (overridden)' : '';
    line(`    ${s.fact.name} = ${show(s.fact.name, s.fact.value)}  ${formatSpan(s.fact.nameSpan)}${state}`);
  });
  line();
}

// Django settings hold many unrelated names; show the ones that can concern Celery.
function looksCelery(name: string, namespace: string | undefined): boolean {
  if (namespace && name.startsWith(`${namespace}_`)) return true;
  return /^(CELERY|CELERYD|CELERYBEAT|CELERYMON|BROKER|CELERY_RESULT|EMAIL_CELERY|ENABLE_UTC|RESULT|REDIS|DATABASES|CONN_MAX_AGE|INSTALLED_APPS)/.test(name) || name === name.toLowerCase();
}

function show(name: string, v: Value): string {
  if (isSecretName(name) && v.kind === 'str') return '****';
  return maskSecrets(describeValue(v));
}

function countBy(items: string[]): string {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
}
