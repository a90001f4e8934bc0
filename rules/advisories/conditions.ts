import { AppConfig, workerPools } from '../../src/engine/app-config.js';
import type { AdvisoryCondition, Knowledge } from '../../src/engine/knowledge.js';
import type { ProjectModel, Span } from '../../src/model/types.js';
import { maskSecrets } from '../../src/model/url.js';
import { brokerOf } from '../connections/broker.js';
import { backendName } from '../transports/urls.js';

/** An advisory condition the project meets: the facts that meet it, and what could not be seen (said with "if"). */
export interface ConditionMatch {
  because: string[];
  ifs: string[];
  /** The configuration place that made the broker/backend part true, to point at when there is no pin. */
  anchor?: Span;
}

/**
 * Whether one of the project's apps meets every key of a condition (advisories.yaml documents the vocabulary).
 * An unknown broker or backend URL does not meet a key: the rule stays silent rather than guess.
 */
export function meetsCondition(c: AdvisoryCondition, model: ProjectModel, configs: readonly AppConfig[], k: Knowledge): ConditionMatch | undefined {
  const usage = usageOf(c, model);
  if (usage === null) return undefined;
  const worker = c.worker ? runsWorkers(model) : undefined;
  if (worker === null) return undefined;
  const candidates = configs.length ? configs : c.broker || c.resultBackend || c.pool ? [] : [undefined];
  for (const config of candidates) {
    const because: string[] = [];
    let anchor: Span | undefined;
    if (c.broker) {
      const b = config ? brokerOf(config, k) : undefined;
      const names = b ? [b.transport.name, b.transport.inherits].filter((n): n is string => !!n) : [];
      if (!b || !names.some((n) => c.broker!.includes(n))) continue;
      because.push(`its broker is ${maskSecrets(b.url)}`);
      anchor = b.fact?.valueSpan;
    }
    if (c.resultBackend) {
      const r = config?.resultBackendUrl();
      if (!r?.url || !c.resultBackend.includes(backendName(r.url))) continue;
      because.push(`its result backend is ${maskSecrets(r.url)}`);
      anchor ??= r.fact?.valueSpan;
    }
    if (c.pool) {
      const pools = config ? workerPools(model, config).map((p) => p.pool) : [];
      const pool = (pools.length ? pools : ['prefork']).find((p) => (c.pool as string[]).includes(p));
      if (!pool) continue;
      because.push(`its workers run the ${pool} pool`);
    }
    if (worker) because.push(worker);
    if (usage) because.push(usage);
    const ifs = c.python ? [`it runs on Python ${c.python}`] : [];
    return anchor ? { because, ifs, anchor } : { because, ifs };
  }
  return undefined;
}

/** The first call or deploy command that meets `calls`/`commands` (either is enough); null when neither does. */
function usageOf(c: AdvisoryCondition, model: ProjectModel): string | undefined | null {
  if (!c.calls && !c.commands) return undefined;
  const call = c.calls ? model.callSites.find((s) => s.language === undefined && c.calls!.includes(s.kind)) : undefined;
  if (call) return `it calls ${callText(call.kind, call.receiver)} at ${call.file}:${call.span.start.line}`;
  const cmd = c.commands ? model.commands.find((m) => m.subcommand !== undefined && c.commands!.includes(m.subcommand)) : undefined;
  if (cmd) return `${cmd.file}:${cmd.span.start.line} runs celery ${cmd.subcommand}`;
  return null;
}

function callText(kind: string, receiver: string): string {
  if (kind === 'inspect_ping') return 'inspect().ping()';
  if (kind === 'control_ping') return 'control.ping()';
  return `${receiver}.${kind}()`;
}

/** Workers run when the project defines tasks or starts `celery worker`/`multi`. */
function runsWorkers(model: ProjectModel): string | null {
  const cmd = model.commands.find((m) => m.subcommand === 'worker' || m.subcommand === 'multi');
  if (cmd) return `${cmd.file}:${cmd.span.start.line} starts a worker`;
  const task = model.tasks[0];
  return task ? `it defines tasks (${task.name})` : null;
}
