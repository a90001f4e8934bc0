import type { CeleryApp, ProjectModel, SettingFact, Span } from '../model/types.js';
import { configModuleOf } from '../model/effective.js';
import { compareVersions, type Knowledge } from './knowledge.js';

/** Something in the project that a release older than `since` cannot run. */
export interface FloorEvidence {
  since: string;
  /** What the project uses and where, for the note (`namespace='CELERY' in config_from_object (proj/celery.py:7)`). */
  text: string;
}

type FloorModel = Partial<Pick<ProjectModel, 'apps' | 'configModules'>>;

/**
 * Evidence that the project needs a Celery newer than 3.1, strongest first. Only what a 3.1 project could not run
 * with: an argument 3.1 rejects, or a configuration written only in names 3.1 never reads.
 */
export function floorEvidence(model: FloorModel, k: Knowledge): FloorEvidence[] {
  const out: FloorEvidence[] = [];
  const apps = model.apps ?? [];
  for (const app of apps) out.push(...namespaceArgument(app, k));
  for (const app of apps) out.push(...newStyleConfig(app, model, k));
  return dedupe(out);
}

/** The highest `since` of the evidence, or undefined when there is none. */
export function floorOf(evidence: readonly FloorEvidence[]): string | undefined {
  return evidence.map((e) => e.since).reduce<string | undefined>((a, b) => (a === undefined || compareVersions(b, a) > 0 ? b : a), undefined);
}

// Celery 3.1's config_from_object(self, obj, silent=False, force=False) has no **kwargs, so namespace= is a
// TypeError there (celery/app/base.py at v3.1.26; the argument appears at v4.0.0).
function namespaceArgument(app: CeleryApp, k: Knowledge): FloorEvidence[] {
  return app.configSources
    .filter((ref) => ref.kind === 'config_from_object' && ref.namespace !== undefined)
    .map((ref) => ({ since: k.configLoading.namespace.since, text: `namespace='${ref.namespace}' in config_from_object (${at(ref.span)})` }));
}

/*
 * A 3.1 worker reads only the upper-case 3.1 names and silently ignores the rest. A configuration source that holds
 * 4.0+ names (lower-case new names, or PREFIX_NEW_NAME keys under a namespace that 3.1 never had) and not one name
 * 3.1 reads would leave a 3.1 app with no configuration at all, broker included. When the same source also holds
 * names 3.1 reads, the lower-case names may be helper variables (`broker_url = ...; BROKER_URL = broker_url`), so
 * it proves nothing.
 */
function newStyleConfig(app: CeleryApp, model: FloorModel, k: Knowledge): FloorEvidence[] {
  const out: FloorEvidence[] = [];
  const mod = model.configModules ? configModuleOf(app, { configModules: model.configModules }) : undefined;
  if (mod) {
    const facts = mod.isDjango ? mod.settings.filter((f) => f.name === f.name.toUpperCase()) : mod.settings;
    const found = onlyNewNames(facts, app.namespace, k);
    if (found) out.push({ since: k.configLoading.mixing.since, text: `4.0-style setting names in ${mod.file}: ${found}` });
  }
  // Celery(broker=..., backend=...) works on every release, so constructor arguments neither prove nor disprove
  const direct = app.directSettings.filter((f) => f.origin !== 'celery-arg');
  const found = onlyNewNames(direct, undefined, k);
  if (found) out.push({ since: k.configLoading.mixing.since, text: `4.0-style setting names set on the app in ${app.file}: ${found}` });
  return out;
}

/** `broker_url (celeryconfig.py:1), task_serializer (celeryconfig.py:2)` when the facts use 4.0+ names only. */
function onlyNewNames(facts: readonly SettingFact[], namespace: string | undefined, k: Knowledge): string | undefined {
  const fresh: SettingFact[] = [];
  for (const f of facts) {
    if (k.celery31Setting(f.name)) return undefined;
    if (isNewOnly(f.name, namespace, k)) fresh.push(f);
  }
  if (!fresh.length) return undefined;
  const shown = fresh.slice(0, 3).map((f) => `${f.name} (${at(f.nameSpan)})`);
  return shown.join(', ') + (fresh.length > 3 ? ` and ${fresh.length - 3} more` : '');
}

function isNewOnly(name: string, namespace: string | undefined, k: Knowledge): boolean {
  if (name === name.toLowerCase()) return k.setting(name) !== undefined;
  if (!namespace) return false;
  const prefix = `${namespace}_`;
  return name.startsWith(prefix) && k.setting(name.slice(prefix.length).toLowerCase()) !== undefined;
}

function at(span: Span): string {
  return `${span.file}:${span.start.line}`;
}

function dedupe(list: FloorEvidence[]): FloorEvidence[] {
  const seen = new Set<string>();
  return list.filter((e) => !seen.has(e.text) && !!seen.add(e.text));
}
