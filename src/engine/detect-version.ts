import type { ProjectModel } from '../model/types.js';
import { effectiveVersion, specBounds } from '../model/versions.js';

export interface DetectedVersion {
  version?: string;
  source: 'pin' | 'inferred' | 'unknown';
  evidence: string[];
}

export function detectCurrentVersion(model: Pick<ProjectModel, 'versions' | 'imports' | 'commands'>): DetectedVersion {
  const eff = effectiveVersion(model.versions, 'celery');
  if (eff?.kind === 'exact') return { version: eff.version, source: 'pin', evidence: [`celery==${eff.version} in ${eff.pin.file}`] };
  if (eff?.kind === 'range' && eff.min) {
    return { version: eff.min.version, source: 'pin', evidence: [`celery${eff.spec} in ${eff.pin.file} (taking the lowest allowed release)`] };
  }
  const evidence: string[] = [];
  const djcelery = model.versions.find((v) => v.package === 'django-celery');
  if (djcelery) evidence.push(`django-celery is required in ${djcelery.file} (it supports Celery 3.1 only)`);
  for (const imp of model.imports) {
    if (imp.module === 'djcelery' || imp.module.startsWith('djcelery.')) evidence.push(`${imp.file} imports ${imp.module}`);
    else if (imp.module === 'celery.decorators') evidence.push(`${imp.file} imports celery.decorators (removed in 4.0)`);
  }
  if (model.commands.some((c) => c.program === 'celeryd' || c.program === 'celerybeat' || c.program.includes('manage.py'))) {
    evidence.push('deploy files run celeryd/celerybeat or manage.py celery (Celery 3.x programs)');
  }
  if (evidence.length) return { version: '3.1', source: 'inferred', evidence: [...new Set(evidence)] };
  return { source: 'unknown', evidence: [] };
}

/** The lowest release a version specifier allows (`>=5.3,<6` → 5.3, `^5.3` → 5.3, `~=4.4.0` → 4.4.0). */
export function lowerBound(spec: string): string | undefined {
  return specBounds(spec)?.min?.version;
}
