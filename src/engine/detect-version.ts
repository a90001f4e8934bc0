import type { ProjectModel, VersionPin } from '../model/types.js';
import { compareRelease } from './version-path.js';

export interface DetectedVersion {
  version?: string;
  source: 'pin' | 'inferred' | 'unknown';
  evidence: string[];
}

const SOURCE_RANK: Record<VersionPin['source'], number> = {
  'uv.lock': 0, 'poetry.lock': 0, 'pipfile.lock': 0, requirements: 1, pipfile: 2, pyproject: 2, poetry: 2, 'setup.cfg': 3, 'setup.py': 3, 'package.json': 9,
};

/**
 * The Celery version the project runs: an exact pin (lock files first), else the lower bound of a range;
 * without any pin, inferred from evidence in the code (djcelery, pre-4.0 modules).
 */
export function detectCurrentVersion(model: Pick<ProjectModel, 'versions' | 'imports' | 'commands'>): DetectedVersion {
  const pins = model.versions.filter((v) => v.package === 'celery').sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source]);
  const exact = pins.find((p) => p.exact);
  if (exact?.exact) return { version: exact.exact, source: 'pin', evidence: [`celery==${exact.exact} in ${exact.file}`] };
  for (const p of pins) {
    const low = lowerBound(p.spec);
    if (low) return { version: low, source: 'pin', evidence: [`celery${p.spec} in ${p.file} (taking the lowest allowed release)`] };
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

/** The lowest release a version specifier allows (`>=5.3,<6` → 5.3, `^5.3` → 5.3, `~=4.4.0` → 4.4.0, `==4.*` → 4.0). */
export function lowerBound(spec: string): string | undefined {
  let best: string | undefined;
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const m = /^(===|==|>=|~=|\^|~|>)?\s*v?(\d+(?:\.\d+)*)(\.\*)?/.exec(part);
    if (!m || !m[2]) continue;
    const op = m[1] ?? '==';
    if (op === '<' || op === '<=' || op === '!=') continue;
    const v = m[2];
    if (!best || compareRelease(v, best) > 0) best = v;
  }
  return best;
}
