import { compareVersions } from './knowledge.js';

/** Release numbers as celery-lint reasons about them: `3.1`, `4.0.1`, `5.5` (pre-release tags ignored). */
export function releaseParts(v: string): number[] {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(v);
  if (!m?.[1]) return [];
  return m[1].split('.').map(Number);
}

/** Numeric release comparison; the knowledge base's comparison, under the name the engine uses. */
export const compareRelease = compareVersions;

/** `4.4.7` → `4.4`. */
export function releaseLine(v: string): string {
  const p = releaseParts(v);
  return `${p[0] ?? 0}.${p[1] ?? 0}`;
}

export interface PathStep {
  /** `3.1 → 4.0` */
  label: string;
  from: string;
  to: string;
}

/**
 * The steps of an upgrade path: one per major release crossed, then the minor releases inside the target
 * major as a single step (`3.1 → 4.0`, `4.x → 5.0`, `5.0 → 5.5`).
 */
export function upgradeSteps(from: string, to: string): PathStep[] {
  const steps: PathStep[] = [];
  const [fm = 0] = releaseParts(from);
  const [tm = 0] = releaseParts(to);
  let cur = releaseLine(from);
  for (let major = fm + 1; major <= tm; major++) {
    const next = `${major}.0`;
    steps.push({ label: `${major - 1 === fm ? cur : `${major - 1}.x`} → ${next}`, from: cur, to: next });
    cur = next;
  }
  const last = releaseLine(to);
  if (compareRelease(last, cur) > 0) steps.push({ label: `${cur} → ${last}`, from: cur, to: last });
  return steps;
}

/** The step whose range (or release line) contains the release where a behaviour starts; the first step when unknown. */
export function stepFor(steps: readonly PathStep[], since: string | undefined): PathStep | undefined {
  if (!since) return steps[0];
  // A patch release belongs to its line's step: 4.0.1 is met when moving to 4.0, not on the way to 5.0.
  const line = steps.find((s) => releaseLine(since) === releaseLine(s.to));
  if (line) return line;
  for (const s of steps) {
    if (compareRelease(since, s.from) > 0 && compareRelease(since, s.to) <= 0) return s;
  }
  return compareRelease(since, steps[0]?.from ?? '0') <= 0 ? steps[0] : steps[steps.length - 1];
}
