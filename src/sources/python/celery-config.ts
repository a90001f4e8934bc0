import { knownString } from '../../parse/pyvalue.js';
import type { DiscoveredFile } from '../../discover/walk.js';
import type { CeleryApp, CeleryCommand, ConfigModule, ParseProblem } from '../../model/types.js';
import { isTestFile, moduleNamesFor } from '../../model/module-names.js';
import { resolveModule } from '../../model/module-names.js';
import type { Source, SourceContext } from '../source.js';
import { fileFacts } from '../file-facts.js';
import { collectApps, type AppsInFile } from './apps.js';
import { loadConfigModule, type ModuleIndex } from './config-modules.js';
import { findClass, importedFrom } from './module-scope.js';

/**
 * Celery apps and the configuration they read: `Celery(...)` arguments, `app.conf` changes, and the
 * config modules named by `config_from_object` (a celeryconfig or Django settings, split settings followed).
 */
// Cheap filter: only files that mention Celery, Django's settings module or config_from_object can define apps.
const mentions = (text: string) => text.includes('Celery') || text.includes('DJANGO_SETTINGS_MODULE') || text.includes('config_from_object') || text.includes('.conf.update');

export const celeryConfigSource: Source = {
  name: 'python-celery-config',
  collect(ctx, earlier) {
    const index = moduleIndex(ctx);
    const apps: CeleryApp[] = [];
    const problems: ParseProblem[] = [];
    const djangoHints: DjangoHint[] = [];
    const perFile: { f: DiscoveredFile; found: AppsInFile }[] = [];
    for (const f of ctx.filesOfKind('python')) {
      const module = index.moduleOf.get(f.path) ?? '';
      const compute = () => {
        const py = ctx.python(f);
        return py ? collectApps(py, module) : undefined;
      };
      const found = fileFacts(ctx, 'python-apps', f, module, mentions, compute);
      if (found) perFile.push({ f, found });
    }
    // Celery subclasses of the whole project: an instance of one created in another module is an app too
    const subclasses = new Map(perFile.flatMap(({ found }) => (found.subclasses ?? []).map((c) => [c.name, c.plain] as const)));
    perFile.push(...subclassUsers(ctx, index, subclasses, new Set(perFile.map((p) => p.f))));
    // commands whose -A names no app outside the test folders: one may run an app that lives there
    const outside = perFile.filter(({ f }) => !isTestFile(f.path)).flatMap(({ found }) => found.apps);
    const unclaimed = (earlier?.commands ?? []).filter((c) => !outside.some((a) => runByDeploy(a, [c])));
    for (const { f, found } of perFile) {
      // a Celery() built in a test (warehouse's `task.app = Celery()`) is a fixture no worker runs: taken for the
      // project's app, every task would be judged by its empty configuration
      if (!isTestFile(f.path) || found.apps.some((a) => runByDeploy(a, unclaimed))) {
        apps.push(...found.apps);
        for (const c of found.candidates ?? []) {
          const plain = subclasses.get(c.constructor);
          if (plain === undefined) continue;
          if (!plain) c.app.configSources.push({ kind: 'subclass', target: { kind: 'unknown', text: c.constructor }, span: c.app.span });
          apps.push(c.app);
        }
      }
      if (found.djangoSettingsModule) djangoHints.push({ file: f.path, module: found.djangoSettingsModule, forced: found.djangoSettingsForced === true });
    }
    handOver(apps, perFile);
    // DJANGO_SETTINGS_MODULE given by the deploy files (compose, Dockerfile ENV, .env, Kubernetes), when they agree
    const deployedValues = new Set((earlier?.envVars ?? []).filter((e) => e.name === 'DJANGO_SETTINGS_MODULE').map((e) => settingsModuleName(knownString(e.value))));
    const deployed = deployedValues.size === 1 && !deployedValues.has(undefined) ? [...deployedValues][0] : undefined;
    const configModules = new Map<string, ConfigModule>();
    for (const app of apps) {
      for (const ref of app.configSources) {
        if (ref.kind === 'conf_update' || ref.kind === 'subclass') continue; // configured at run time, not a module to load
        const target = resolveTarget(ref.target, app, djangoHints, deployed);
        if (!target) continue;
        let file = resolveModule(target.module, index.modules);
        // "pkg.settings.CeleryConfig": a class in a module, as symbol_by_name resolves it
        if (!file && !target.className && !target.django) {
          const dot = target.module.lastIndexOf('.');
          const owner = dot > 0 ? resolveModule(target.module.slice(0, dot), index.modules) : undefined;
          const py = owner ? index.python(owner) : undefined;
          if (owner && py && findClass(py, target.module.slice(dot + 1))) {
            file = owner;
            target.className = target.module.slice(dot + 1);
            target.module = target.module.slice(0, dot);
          }
        }
        if (!file) {
          problems.push({ file: app.file, span: ref.span, severity: 'warning', message: `config module ${target.module} not found in the project; its settings are not analysed` });
          continue;
        }
        if (target.className && !classIn(index, file, target.className)) continue; // an object we cannot read: not all known
        ref.module = target.className ? `${target.module}:${target.className}` : target.module;
        ref.file = file;
        if (!configModules.has(file)) {
          const loaded = loadConfigModule(target.module, file, index, target.django, target.className);
          configModules.set(file, loaded.config);
          problems.push(...loaded.problems);
        }
      }
    }
    return { apps, configModules: [...configModules.values()], problems };
  },
};

function classIn(index: ModuleIndex, file: string, name: string): boolean {
  const py = index.python(file);
  return !!py && (!!findClass(py, name) || !!importedFrom(py, name));
}

/** Configuration given to an app in another module joins the app's own, in the order the files were read. */
function handOver(apps: CeleryApp[], perFile: { f: DiscoveredFile; found: AppsInFile }[]): void {
  const byName = new Map(apps.map((a) => [`${a.module}.${a.variable}`, a]));
  for (const { f, found } of perFile) {
    if (isTestFile(f.path)) continue;
    for (const given of found.foreign ?? []) {
      const app = byName.get(given.target);
      if (!app) continue;
      app.configSources.push(...given.configSources);
      app.directSettings.push(...given.directSettings);
      if (given.namespace && !app.namespace) app.namespace = given.namespace;
    }
  }
}

/**
 * Files the pre-filter turned down that may still create an app: `app = ProjApp('x')` never says "Celery" when
 * ProjApp, a Celery subclass, is imported from another module. Looked for only when the project has such classes.
 */
function subclassUsers(ctx: SourceContext, index: ModuleIndex, subclasses: Map<string, boolean>, seen: Set<DiscoveredFile>): { f: DiscoveredFile; found: AppsInFile }[] {
  const names = [...new Set([...subclasses.keys()].map((n) => n.slice(n.lastIndexOf('.') + 1)))].sort();
  if (!names.length) return [];
  const filter = (text: string) => !mentions(text) && names.some((n) => text.includes(n));
  const out: { f: DiscoveredFile; found: AppsInFile }[] = [];
  for (const f of ctx.filesOfKind('python')) {
    if (seen.has(f)) continue;
    const module = index.moduleOf.get(f.path) ?? '';
    const compute = () => {
      const py = ctx.python(f);
      return py ? collectApps(py, module) : undefined;
    };
    const found = fileFacts(ctx, 'python-apps-subclass', f, `${module} ${names.join(',')}`, filter, compute);
    if (found) out.push({ f, found });
  }
  return out;
}

/**
 * A deploy command's `-A` names the app (Celery's find_app: the module's app/celery attribute, module:attr, or the
 * module's `celery` submodule): openwisp's only app lives under tests/ and its shipped Dockerfile runs it.
 */
function runByDeploy(app: CeleryApp, commands: readonly CeleryCommand[]): boolean {
  // the module as the worker imports it may be a tail of ours: `tests.openwisp2.celery` run from tests/ is openwisp2.celery
  const parts = app.module.split('.');
  const tails = parts.map((_, i) => parts.slice(i).join('.'));
  return commands.some(({ app: a }) => !!a && tails.some((m) => a === m || a === `${m}:${app.variable}` || a === `${m}.${app.variable}` || `${a}.celery` === m));
}

/** `proj.settings`, or the default of `${DJANGO_SETTINGS_MODULE:-proj.settings}`; anything else names no module we can know. */
function settingsModuleName(value: string | undefined): string | undefined {
  const text = /^\$\{DJANGO_SETTINGS_MODULE:?-([^}]*)\}$/.exec(value ?? '')?.[1] ?? value;
  return text && /^[A-Za-z_][\w.]*$/.test(text) ? text : undefined;
}

interface DjangoHint {
  file: string;
  module: string;
  /** os.environ[...] = ...: the environment's value does not matter */
  forced: boolean;
}

function resolveTarget(
  target: CeleryApp['configSources'][number]['target'], app: CeleryApp, hints: DjangoHint[], deployed: string | undefined,
): { module: string; django: boolean; className?: string } | undefined {
  const text = target.kind === 'str' ? target.value : target.kind === 'unknown' ? target.text : undefined;
  if (!text) return undefined;
  if (text === 'django.conf:settings' || text === 'django.conf.settings' || text === 'settings') {
    const hint = hints.find((h) => h.file === app.file) ?? hints.find((h) => h.file.endsWith('manage.py')) ?? hints[0];
    // os.environ.setdefault only applies when the deploy set nothing
    if (deployed && !(hint?.forced && hint.file === app.file)) return { module: deployed, django: true };
    return hint ? { module: hint.module, django: true } : undefined;
  }
  // "pkg.module:Class" names a class inside a module (celery/loaders/base.py _smart_import: symbol_by_name)
  const [moduleText = text, attribute] = text.split(':');
  if (!/^[A-Za-z_][\w.]*$/.test(moduleText)) return undefined;
  if (attribute !== undefined && /^[A-Za-z_]\w*$/.test(attribute)) return { module: moduleText, django: false, className: attribute };
  return { module: moduleText, django: false };
}

// Both Python sources need the index of the same context: built once (naming 10,000 modules takes ~25 ms).
const indexes = new WeakMap<SourceContext, ModuleIndex>();

export function moduleIndex(ctx: SourceContext): ModuleIndex {
  let index = indexes.get(ctx);
  if (!index) indexes.set(ctx, (index = buildModuleIndex(ctx)));
  return index;
}

function buildModuleIndex(ctx: SourceContext): ModuleIndex {
  const pyFiles = ctx.filesOfKind('python');
  const paths = new Set(pyFiles.map((f) => f.path));
  const modules = new Map<string, string>();
  const moduleOf = new Map<string, string>();
  const names = moduleNamesFor(pyFiles.map((f) => f.path), paths);
  pyFiles.forEach((f, i) => {
    const m = names[i]!;
    moduleOf.set(f.path, m);
    if (!modules.has(m)) modules.set(m, f.path);
  });
  const byPath = new Map(pyFiles.map((f) => [f.path, f]));
  return {
    modules,
    moduleOf,
    python: (file) => {
      const f = byPath.get(file);
      return f ? ctx.python(f) : undefined;
    },
  };
}
