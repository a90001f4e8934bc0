import type { ProjectModel } from '../model/types.js';
import { effectiveVersion, specBounds } from '../model/versions.js';
import { compareVersions, knowledge, type Knowledge } from './knowledge.js';
import { floorEvidence, floorOf } from './version-floor.js';

export interface DetectedVersion {
  version?: string;
  source: 'pin' | 'inferred' | 'unknown';
  evidence: string[];
  /**
   * Set when, with no pin, the project uses something older releases cannot run: the lowest release it can run on
   * (then also `version`). It is a lower bound, not the release the project runs.
   */
  floor?: string;
  /** Celery 3.1-only things found next to the floor evidence: the project looks part-way through a migration. */
  legacy?: string[];
}

type DetectModel = Pick<ProjectModel, 'versions' | 'imports' | 'commands'> & Partial<Pick<ProjectModel, 'apps' | 'configModules'>>;

export function detectCurrentVersion(model: DetectModel, k: Knowledge = knowledge()): DetectedVersion {
  const eff = effectiveVersion(model.versions, 'celery');
  if (eff?.kind === 'exact') return { version: eff.version, source: 'pin', evidence: [`celery==${eff.version} in ${eff.pin.file}`] };
  if (eff?.kind === 'range' && eff.min) {
    return { version: eff.min.version, source: 'pin', evidence: [`celery${eff.spec} in ${eff.pin.file} (taking the lowest allowed release)`] };
  }
  const legacy = celery31Evidence(model);
  const floorFacts = floorEvidence(model, k);
  const needed = floorOf(floorFacts);
  if (needed) {
    const floor = asLine(needed, k);
    // what sets the floor first: the note names it
    const decisive = [...floorFacts].sort((a, b) => compareVersions(b.since, a.since));
    const out: DetectedVersion = { version: floor, source: 'inferred', evidence: decisive.map((e) => e.text), floor };
    if (legacy.length) out.legacy = legacy;
    return out;
  }
  if (legacy.length) return { version: '3.1', source: 'inferred', evidence: legacy };
  return { source: 'unknown', evidence: [] };
}

/** Things only Celery 3.1 (or older) runs with. */
function celery31Evidence(model: DetectModel): string[] {
  const evidence: string[] = [];
  const djcelery = model.versions.find((v) => v.package === 'django-celery');
  if (djcelery) evidence.push(`django-celery is required in ${djcelery.file} (it supports Celery 3.1 only)`);
  // Not celery.decorators: Celery 3.0-5.1 still provide it as a compatibility module (removed.yaml), so it says
  // nothing about 3.1.
  for (const imp of model.imports) {
    if (imp.module === 'djcelery' || imp.module.startsWith('djcelery.')) evidence.push(`${imp.file} imports ${imp.module}`);
  }
  if (model.commands.some((c) => c.program === 'celeryd' || c.program === 'celerybeat' || c.program.includes('manage.py'))) {
    evidence.push('deploy files run celeryd/celerybeat or manage.py celery (Celery 3.x programs)');
  }
  return [...new Set(evidence)];
}

/** A release that opens a line of the knowledge base is shown as the line (`4.0.0` → `4.0`); any other as itself. */
function asLine(version: string, k: Knowledge): string {
  return k.releases.celery.find((r) => compareVersions(r.first, version) === 0)?.line ?? version;
}

/** The lowest release a version specifier allows (`>=5.3,<6` → 5.3, `^5.3` → 5.3, `~=4.4.0` → 4.4.0). */
export function lowerBound(spec: string): string | undefined {
  return specBounds(spec)?.min?.version;
}
