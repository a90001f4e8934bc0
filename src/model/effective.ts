import type { CeleryApp, ConfigModule, ProjectModel, SettingFact } from './types.js';

export interface AppSetting {
  /** The key Celery looks the value up by, after the namespace prefix is stripped (`CELERY_TASK_SERIALIZER` → `task_serializer`). */
  key: string;
  fact: SettingFact;
  from: 'config-module' | 'direct';
  /** Set when Celery never reads this assignment, with the reason. */
  notRead?: string;
}

/** The config module an app reads: the last config_from_object whose module was found (each call replaces the previous). */
export function configModuleOf(app: CeleryApp, model: Pick<ProjectModel, 'configModules'>): ConfigModule | undefined {
  for (let i = app.configSources.length - 1; i >= 0; i--) {
    const ref = app.configSources[i];
    if (!ref?.file) continue;
    return model.configModules.find((m) => m.file === ref.file);
  }
  return undefined;
}

/**
 * Every assignment that may configure the app, in the order Celery applies them, each with the key it is read
 * under. Later entries override earlier ones for the same key; direct changes (conf.update etc.) win over the
 * config module.
 */
export function appSettings(app: CeleryApp, model: Pick<ProjectModel, 'configModules'>): AppSetting[] {
  const out: AppSetting[] = [];
  const mod = configModuleOf(app, model);
  const ns = app.namespace;
  if (mod) {
    for (const fact of mod.settings) {
      if (mod.isDjango && fact.name !== fact.name.toUpperCase()) continue; // Django settings only hold upper-case names
      if (ns) {
        const prefix = `${ns}_`;
        if (fact.name.startsWith(prefix)) out.push({ key: fact.name.slice(prefix.length).toLowerCase(), fact, from: 'config-module' });
        else if (!mod.isDjango && fact.name === fact.name.toLowerCase()) out.push({ key: fact.name, fact, from: 'config-module' });
        else out.push({ key: fact.name, fact, from: 'config-module', notRead: `outside the ${ns} namespace` });
      } else {
        out.push({ key: fact.name, fact, from: 'config-module' });
      }
    }
  }
  for (const fact of app.directSettings) out.push({ key: fact.key === fact.name ? fact.name : fact.key, fact, from: 'direct' });
  return out;
}

/** The last assignment of each key that Celery reads: what the app runs with, as far as the source says. */
export function effectiveSettings(app: CeleryApp, model: Pick<ProjectModel, 'configModules'>): Map<string, AppSetting> {
  const out = new Map<string, AppSetting>();
  for (const s of appSettings(app, model)) {
    if (s.notRead) continue;
    out.set(s.key, s);
  }
  return out;
}
