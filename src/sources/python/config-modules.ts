import path from 'node:path';
import type { ConfigModule, ParseProblem, SettingFact, Value } from '../../model/types.js';
import { descendants, type PyFile } from '../../parse/python.js';
import { resolveModule } from '../../model/module-names.js';
import { settingFact } from './apps.js';
import { isBinding } from './setting-reads.js';
import { absoluteModule, classAssignments, conditionalAssignments, findClass, fromImports, importedFrom, loadSettingsCalls, splitSettingsIncludes, starImports, topLevelAssignments } from './module-scope.js';

export interface ModuleIndex {
  /** dotted module → file */
  modules: ReadonlyMap<string, string>;
  /** file → dotted module */
  moduleOf: ReadonlyMap<string, string>;
  python(file: string): PyFile | undefined;
}

const MAX_STAR_DEPTH = 10;

/**
 * The settings a config module defines: its module-level assignments, after those pulled in by
 * `from .base import *` (followed across split settings files, loops cut), later ones overriding earlier.
 */
export function loadConfigModule(module: string, file: string, index: ModuleIndex, isDjango: boolean, className?: string): { config: ConfigModule; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const chain: string[] = [];
  const settings: SettingFact[] = [];
  const visiting = new Set<string>();
  const py = className ? index.python(file) : undefined;
  if (className && py) {
    // config_from_object('mod:Config'): Celery reads the class's attributes (its bases' too), not the module's
    for (const { py: owner, assignments } of classSettings(className, py, module, file, index, 0, (n) => !n.startsWith('_'))) {
      if (!chain.includes(owner.file)) chain.push(owner.file);
      for (const a of assignments) settings.push(settingFact(owner, a.name, a.name, a.value, 'module', a.statement, a.nameNode, a.valueNode, 'identifier'));
    }
    return { config: { module: `${module}:${className}`, file, settings, chain, isDjango }, problems };
  }

  const visit = (f: string, mod: string, depth: number) => {
    if (visiting.has(f) || depth > MAX_STAR_DEPTH) return;
    visiting.add(f);
    const py = index.python(f);
    if (!py) return;
    const stars = starImports(py);
    for (const star of stars) {
      const target = absoluteModule(star.module, mod, f.endsWith('__init__.py'));
      const targetFile = resolveModule(target, index.modules);
      if (targetFile) visit(targetFile, target, depth + 1);
      else if (target.split('.')[0] && !isExternal(target)) {
        problems.push({ file: f, severity: 'warning', message: `cannot follow "from ${star.module} import *": module ${target} not found in the project` });
      }
    }
    // django-split-settings: include("base.py", optional("local.py")) runs those files in this module's namespace
    for (const inc of splitSettingsIncludes(py)) {
      const files = matchSettingsFiles(path.posix.join(path.posix.dirname(f), inc.pattern), index);
      if (!files.length && !inc.optional) {
        problems.push({ file: f, severity: 'warning', message: `cannot follow include("${inc.pattern}"): no such file in the project` });
      }
      for (const target of files) visit(target, index.moduleOf.get(target) ?? mod, depth + 1);
    }
    chain.push(f);
    for (const a of topLevelAssignments(py, importedValues(py, mod, f, index, settings))) {
      settings.push(settingFact(py, a.name, a.name, a.value, 'module', a.statement, a.nameNode, a.valueNode, 'identifier'));
    }
    conditional.push({ py, assignments: conditionalAssignments(py) });
    // Class-based settings exported into the module (Read the Docs: `DockerBaseSettings.load_settings(__name__)`)
    for (const cls of loadSettingsCalls(py)) {
      for (const { py: owner, assignments } of classSettings(cls, py, mod, f, index, 0)) {
        if (!chain.includes(owner.file)) chain.splice(chain.length - 1, 0, owner.file);
        for (const a of assignments) settings.push(settingFact(owner, a.name, a.name, a.value, 'module', a.statement, a.nameNode, a.valueNode, 'identifier'));
      }
    }
  };
  const conditional: { py: PyFile; assignments: ReturnType<typeof conditionalAssignments> }[] = [];
  visit(file, module, 0);
  // A name set only under `if`/`try`/`with` is still configured (kitsune: CELERY_BEAT_SCHEDULE in if/else). One that
  // is also set unconditionally keeps that value: `if DEBUG: X = ...` must not become what production runs with.
  const unconditional = new Set(settings.map((s) => s.name));
  for (const { py, assignments } of conditional) {
    for (const a of assignments) {
      if (unconditional.has(a.name)) continue;
      settings.push(settingFact(py, a.name, a.name, a.value, 'module', a.statement, a.nameNode, a.valueNode, 'identifier'));
    }
  }
  const config: ConfigModule = { module, file, settings, chain, isDjango };
  if (isDjango) {
    const reads = localReads(settings, chain, index);
    if (reads.length) config.localReads = reads;
  }
  return { config, problems };
}

/**
 * The names of `settings` that the files read as bare names, other than where they are bound: such a name builds other
 * settings, so it is a helper variable (`redis_host`, or micromasters' REDIS_MAX_CONNECTIONS feeding CACHES) rather
 * than a misplaced Celery setting.
 */
function localReads(settings: readonly SettingFact[], files: readonly string[], index: ModuleIndex): string[] {
  const dropped = new Set(settings.map((s) => s.name));
  if (!dropped.size) return [];
  const read = new Set<string>();
  for (const f of files) {
    const py = index.python(f);
    if (!py) continue;
    for (const id of descendants(py.tree.rootNode, 'identifier')) {
      if (!dropped.has(id.text) || read.has(id.text) || isBinding(id)) continue;
      const parent = id.parent;
      // `obj.redis_host` names an attribute, not the module-level variable
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === id.startIndex) continue;
      read.add(id.text);
    }
  }
  return [...read].sort();
}

/**
 * The upper-case class attributes of a settings class and of its bases found in the project, bases first (so the
 * subclass overrides), each group with the file it is written in.
 */
function classSettings(
  name: string, py: PyFile, mod: string, file: string, index: ModuleIndex, depth: number,
  keep: (name: string) => boolean = (n) => n === n.toUpperCase() && !n.startsWith('_'),
): { py: PyFile; assignments: ReturnType<typeof classAssignments> }[] {
  if (depth > MAX_STAR_DEPTH) return [];
  let owner = py;
  let ownerMod = mod;
  let cls = findClass(py, name);
  if (!cls) {
    const from = importedFrom(py, name);
    const target = from ? absoluteModule(from.module, mod, file.endsWith('__init__.py')) : undefined;
    const targetFile = target ? resolveModule(target, index.modules) : undefined;
    const targetPy = targetFile ? index.python(targetFile) : undefined;
    cls = targetPy && from ? findClass(targetPy, from.name) : undefined;
    if (!cls || !targetPy || !target) return [];
    owner = targetPy;
    ownerMod = target;
  }
  const out: { py: PyFile; assignments: ReturnType<typeof classAssignments> }[] = [];
  for (const base of cls.bases) out.push(...classSettings(base, owner, ownerMod, owner.file, index, depth + 1, keep));
  out.push({ py: owner, assignments: classAssignments(owner, cls.body).filter((a) => keep(a.name)) });
  return out;
}

/**
 * What a settings file sees before its own lines: the names star-imported so far, and names it imports one by one
 * from a module of the project (`from proj.settings.data_stores import REDIS_URL`, PostHog), with their values there.
 */
function importedValues(py: PyFile, mod: string, file: string, index: ModuleIndex, settings: readonly SettingFact[]): Map<string, Value> {
  const out = new Map<string, Value>(settings.map((s) => [s.name, s.value]));
  const valuesOf = new Map<string, Map<string, Value> | undefined>();
  for (const i of fromImports(py)) {
    if (!valuesOf.has(i.module)) {
      const targetFile = resolveModule(absoluteModule(i.module, mod, file.endsWith('__init__.py')), index.modules);
      const targetPy = targetFile && targetFile !== file ? index.python(targetFile) : undefined;
      valuesOf.set(i.module, targetPy && new Map(topLevelAssignments(targetPy).map((a) => [a.name, a.value])));
    }
    const value = valuesOf.get(i.module)?.get(i.name);
    if (value) out.set(i.bound, value);
  }
  return out;
}

/** Project files a split-settings include pattern names (`components/*.py` globs allowed), sorted as glob.glob is. */
function matchSettingsFiles(pattern: string, index: ModuleIndex): string[] {
  const normal = path.posix.normalize(pattern);
  if (!/[*?]/.test(normal)) return index.moduleOf.has(normal) ? [normal] : [];
  const re = new RegExp(`^${normal.split('*').map((part) => part.split('?').map(escapeRegExp).join('[^/]')).join('[^/]*')}$`);
  return [...index.moduleOf.keys()].filter((f) => re.test(f)).sort();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

// Star imports of third-party modules (e.g. `from kombu import *`) are not project config.
function isExternal(module: string): boolean {
  const top = module.split('.')[0] ?? '';
  return ['celery', 'kombu', 'django', 'os', 'sys', 'datetime'].includes(top);
}

/** The effective value of each name: the last assignment wins, as in Python. */
export function lastByName(settings: readonly SettingFact[]): Map<string, SettingFact> {
  const out = new Map<string, SettingFact>();
  for (const s of settings) out.set(s.name, s);
  return out;
}
