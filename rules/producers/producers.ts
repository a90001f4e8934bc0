import type { Knowledge, ProducerLibrary } from '../../src/engine/knowledge.js';
import type { CallKind, CallSite, CeleryApp, ProducerClient, ProjectModel } from '../../src/model/types.js';
import { appFor } from '../serializers/content.js';
import { taskNamed } from '../../src/engine/model-index.js';

/*
 * Shared by the producer rules (CEL701-CEL704): the Node.js producer calls of the model (call sites with
 * `language: 'typescript'`), their clients, the library facts of producers.yaml and the app a task belongs to.
 */

const SENDS = new Set<CallKind>(['delay', 'apply_async', 'send_task']);

/** Task messages sent by Node.js producers. */
export function producerSends(model: ProjectModel): CallSite[] {
  return model.callSites.filter((c) => c.language === 'typescript' && c.producer && SENDS.has(c.kind));
}

/** Result reads (`.get()`) in Node.js producers. */
export function producerGets(model: ProjectModel): CallSite[] {
  return model.callSites.filter((c) => c.language === 'typescript' && c.producer && c.kind === 'get');
}

export function clientOf(model: ProjectModel, call: CallSite): ProducerClient | undefined {
  const id = call.producer?.client;
  return id ? model.producers.find((p) => p.id === id) : undefined;
}

export function libraryFacts(k: Knowledge, name: ProducerLibrary['name']): ProducerLibrary {
  const lib = k.producerLibrary(name);
  if (!lib) throw new Error(`producers.yaml has no entry for ${name}`);
  return lib;
}

/** The serializer a send uses: its option, else the library's default (the first it supports). */
export function sendSerializer(k: Knowledge, call: CallSite): string | undefined {
  if (!call.producer) return undefined;
  if (call.producer.serializerSpan) return call.producer.serializer;
  return libraryFacts(k, call.producer.library).serializers[0];
}

/** The app that runs a task: the app of its definition, else the project's only app. */
export function appOfTask(model: ProjectModel, task: string | undefined): CeleryApp | undefined {
  const def = taskNamed(model, task);
  if (def) return appFor(model, def.file, def.appVariable);
  return model.apps.length === 1 ? model.apps[0] : undefined;
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The registered task name a mistyped name most likely means: the same function under another module path
 * (`tasks.add` for `proj.tasks.add`, the celery-node README's style), else the closest name within a third of
 * its length in edits. Ties give no suggestion.
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const last = name.split('.').pop();
  const sameFunction = known.filter((k) => k.split('.').pop() === last);
  if (sameFunction.length === 1) return sameFunction[0];
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = known.map((k) => ({ k, d: editDistance(name, k) })).filter((s) => s.d <= limit).sort((a, b) => a.d - b.d);
  if (scored.length === 0 || (scored.length > 1 && scored[0]!.d === scored[1]!.d)) return undefined;
  return scored[0]!.k;
}
