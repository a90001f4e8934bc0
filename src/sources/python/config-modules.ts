import type { ConfigModule, ParseProblem, SettingFact } from '../../model/types.js';
import type { PyFile } from '../../parse/python.js';
import { resolveModule } from '../../model/module-names.js';
import { settingFact } from './apps.js';
import { absoluteModule, starImports, topLevelAssignments } from './module-scope.js';

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
export function loadConfigModule(module: string, file: string, index: ModuleIndex, isDjango: boolean): { config: ConfigModule; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const chain: string[] = [];
  const settings: SettingFact[] = [];
  const visiting = new Set<string>();

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
    chain.push(f);
    for (const a of topLevelAssignments(py)) {
      settings.push(settingFact(py, a.name, a.name, a.value, 'module', a.statement, a.nameNode, a.valueNode, 'identifier'));
    }
  };
  visit(file, module, 0);
  return { config: { module, file, settings, chain, isDjango }, problems };
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
