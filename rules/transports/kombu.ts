import { lowerBound } from '../../src/engine/detect-version.js';
import { compareVersions, type Knowledge } from '../../src/engine/knowledge.js';
import type { VersionContext } from '../../src/engine/types.js';
import { releaseLine } from '../../src/engine/version-path.js';
import type { ProjectModel } from '../../src/model/types.js';
import { effectiveVersion } from '../../src/model/versions.js';

/** The Kombu releases a judgement is made for, and how they were chosen (said in messages). */
export interface KombuVersions {
  versions: string[];
  /** `Kombu 4.6.11 (pinned in requirements.txt)`, `kombu>=5.5.2,<5.6 (what Celery 5.5 requires; no Kombu pin found)`
   * or `(…; the kombu 3.0.37 pin in requirements.txt has to move for it)`. */
  label: string;
}

/**
 * The Kombu the project runs at the judged Celery version: the pinned Kombu, unless a migration to a Celery whose
 * requirement excludes it (the upgrade brings a new Kombu); else every Kombu line the Celery requirement admits
 * (its floor and the newest patch of each line), so a finding holds whichever the resolver picks.
 */
export function kombuVersions(model: ProjectModel, versions: VersionContext, k: Knowledge): KombuVersions | undefined {
  const target = versions.target;
  const line = target ? k.celeryLine(target) : undefined;
  // A lock file's exact version wins over a requirement's range (effectiveVersion ranks them).
  const effective = effectiveVersion(model.versions, 'kombu');
  const pin = effective?.kind === 'exact' ? effective.pin : undefined;
  const pinned = effective?.kind === 'exact' ? effective.version : undefined;
  if (pin && pinned) {
    const admitted = !line || line.kombuLines.includes(releaseLine(pinned));
    if (versions.mode === 'check' || admitted) return { versions: [pinned], label: `Kombu ${pinned} (pinned in ${pin.file})` };
  }
  const floor0 = effective?.kind === 'range' ? lowerBound(effective.spec) : undefined;
  if (effective?.kind === 'range' && floor0 && versions.mode === 'check') {
    // a range without a lock: judge its floor, and say that it is one
    return { versions: [floor0], label: `Kombu ${floor0} (the lowest ${effective.spec} in ${effective.pin.file} allows)` };
  }
  if (!line || !target) return undefined;
  const requirement = compareVersions(target, line.newest) >= 0 ? line.kombu.newest : line.kombu.first;
  const floor = lowerBound(requirement.replace(/^kombu/, ''));
  const out = new Set<string>();
  if (floor) out.add(floor.split('.').length === 2 ? `${floor}.0` : floor);
  for (const l of line.kombuLines) {
    const newest = k.releases.kombu.find((r) => r.line === l)?.newest;
    if (newest) out.add(newest);
  }
  const list = [...out].sort(compareVersions);
  const why =
    effective?.kind === 'exact'
      ? `the kombu ${effective.version} pin in ${effective.pin.file} has to move for it`
      : effective?.kind === 'range'
        ? `kombu ${effective.spec} in ${effective.pin.file} has to allow it`
        : 'no Kombu pin found';
  return { versions: list, label: `${requirement} (what Celery ${target} requires; ${why})` };
}

/** The first Celery release that ships with a Kombu release (for placing a Kombu change on the upgrade path). */
export function celeryForKombu(k: Knowledge, kombuVersion: string): string | undefined {
  const l = releaseLine(kombuVersion);
  return k.releases.celery.find((r) => r.kombuLines.includes(l))?.first;
}
