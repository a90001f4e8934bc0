// Version knowledge for rules: PEP 440 parsing/comparison/matching (via @renovatebot/pep440, Renovate's port of
// `packaging`), Poetry's `^`/`~` operators on top, and "which version runs" from a project's pins.
import { compare, explain, satisfies as pep440Satisfies, validRange } from '@renovatebot/pep440';
import type { VersionPin } from './types.js';

/** The packages whose versions change what celery-lint reports; other dependencies are not collected. */
export const VERSION_PACKAGES: ReadonlySet<string> = new Set([
  'celery', 'kombu', 'redis', 'gevent', 'eventlet', 'django-celery', 'django-celery-results', 'django-celery-beat',
  'pymongo', 'django', 'amqp', 'billiard', 'vine', 'librabbitmq', 'flower',
]);

/** PEP 503 normalisation: `Django_Celery` → `django-celery`. */
export function normalisePackage(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

export interface ParsedVersion {
  epoch: number;
  /** `5.3.0rc1` → [5, 3, 0]; trailing zeros are kept as written (comparison ignores them). */
  release: number[];
  pre?: { label: 'a' | 'b' | 'rc'; number: number };
  post?: number;
  dev?: number;
  local?: string;
  isPrerelease: boolean;
}

/** Parses a PEP 440 version (`4.2.1`, `5.3.0rc1`, `3.1`, `v1.0.post2`); undefined when it is not one. */
export function parseVersion(version: string): ParsedVersion | undefined {
  const v = safe(() => explain(version.trim()));
  if (!v) return undefined;
  const out: ParsedVersion = { epoch: v.epoch, release: [...v.release], isPrerelease: v.is_prerelease };
  if (v.pre) out.pre = { label: v.pre[0] as 'a' | 'b' | 'rc', number: Number(v.pre[1]) };
  const post = segmentNumber(v.post);
  const dev = segmentNumber(v.dev);
  if (post !== undefined) out.post = post;
  if (dev !== undefined) out.dev = dev;
  if (v.local) out.local = v.local;
  return out;
}

// The library's typings say `['post', 2]`; at run time post and dev are plain numbers. Accept both.
function segmentNumber(segment: unknown): number | undefined {
  if (segment === null || segment === undefined) return undefined;
  const n = Number(Array.isArray(segment) ? segment[1] : segment);
  return Number.isFinite(n) ? n : undefined;
}

/** PEP 440 ordering (`3.1` = `3.1.0` < `5.3.0rc1` < `5.3.0`); undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  if (!parseVersion(a) || !parseVersion(b)) return undefined;
  const c = safe(() => compare(a.trim(), b.trim()));
  return c === undefined ? undefined : Math.sign(c);
}

/**
 * Whether `version` matches `spec`: PEP 440 specifiers (`==`, `!=`, `>=`, `<=`, `>`, `<`, `~=`, `===`, `==4.*`,
 * comma-joined), Poetry's `^`, `~`, bare versions, `*` and `||`. An empty spec matches everything. Pre-releases
 * match when they are in range: the version is known to run, so PEP 440's "exclude pre-releases" default does not
 * apply. Undefined when the version or the spec cannot be read.
 */
export function satisfies(version: string, spec: string): boolean | undefined {
  if (!parseVersion(version)) return undefined;
  const groups = toPep440(spec);
  if (!groups) return undefined;
  let any = false;
  for (const group of groups) {
    if (group === '') return true;
    if (!safe(() => validRange(group))) return undefined;
    if (safe(() => pep440Satisfies(version.trim(), group, { prereleases: true }))) any = true;
  }
  return any;
}

/**
 * A spec as PEP 440 specifier sets, one per `||` alternative (Poetry); `''` means "anything".
 * `^5.3` → `>=5.3,<6`, `~5.3` → `>=5.3,<5.4`, `5.3.4` → `==5.3.4`, `>= 5.3 < 6` → `>=5.3,<6`.
 */
export function toPep440(spec: string): string[] | undefined {
  const out: string[] = [];
  for (const alternative of spec.split('||')) {
    const clauses: string[] = [];
    // Poetry also separates constraints with spaces (`>= 1.2 < 1.5`); an operator may be followed by a space.
    const parts = alternative.replace(/[()]/g, '').trim().replace(/(===|==|!=|~=|<=|>=|<|>|\^|~)\s+/g, '$1').split(/\s*,\s*|\s+/);
    for (const part of parts) {
      if (part === '' || part === '*') continue;
      const clause = clauseToPep440(part);
      if (clause === undefined) return undefined;
      clauses.push(clause);
    }
    out.push(clauses.join(','));
  }
  return out;
}

function clauseToPep440(clause: string): string | undefined {
  const m = /^(===|==|!=|~=|<=|>=|<|>|\^|~)?v?(.+)$/.exec(clause);
  if (!m?.[2]) return undefined;
  const op = m[1];
  const version = m[2];
  if (op === '===') return `===${version}`;
  if (op !== '^' && op !== '~') return `${op ?? '=='}${version}`;
  const parsed = parseVersion(version);
  if (!parsed) return undefined;
  const r = parsed.release;
  let index: number;
  if (op === '~') index = r.length === 1 ? 0 : 1;
  else {
    // ^ keeps the left-most non-zero component: ^1.2 <2, ^0.2.3 <0.3, ^0.0.3 <0.0.4, ^0.0 <0.1, ^0 <1
    const nonZero = r.findIndex((n) => n !== 0);
    index = nonZero === -1 ? r.length - 1 : nonZero;
  }
  return `>=${version},<${bump(r, index)}`;
}

/** `[4, 4, 7]`, index 1 → `4.5`. */
function bump(release: readonly number[], index: number): string {
  const head = release.slice(0, index);
  return [...head, (release[index] ?? 0) + 1].join('.');
}

export interface Bound {
  version: string;
  inclusive: boolean;
}

/**
 * The interval a spec allows (ignoring `!=` holes): `>=5.3,<6` → [5.3, 6), `==4.*` → [4, 5), `~=4.4.0` →
 * [4.4.0, 4.5), `^5.3` → [5.3, 6), `==4.2.1` → [4.2.1, 4.2.1]. With `||`, the hull of the alternatives.
 * Undefined when the spec cannot be read.
 */
export function specBounds(spec: string): { min?: Bound; max?: Bound } | undefined {
  const groups = toPep440(spec);
  if (!groups) return undefined;
  let hull: { min?: Bound; max?: Bound } | undefined;
  for (const group of groups) {
    const b = groupBounds(group);
    if (!b) return undefined;
    if (!hull) {
      hull = b;
      continue;
    }
    hull = { min: b.min && hull.min ? pick(hull.min, b.min, -1) : undefined, max: b.max && hull.max ? pick(hull.max, b.max, 1) : undefined };
  }
  return clean(hull ?? {});
}

function groupBounds(group: string): { min?: Bound; max?: Bound } | undefined {
  let min: Bound | undefined;
  let max: Bound | undefined;
  const raise = (b: Bound) => (min = min ? pick(min, b, 1, false) : b);
  const lower = (b: Bound) => (max = max ? pick(max, b, -1, false) : b);
  for (const clause of group ? group.split(',') : []) {
    const m = /^(===|==|!=|~=|<=|>=|<|>)(.+)$/.exec(clause);
    if (!m?.[1] || !m[2]) return undefined;
    const [, op, v] = m;
    if (op === '!=') continue;
    if (op === '==' && v.endsWith('.*')) {
      const base = v.slice(0, -2);
      const parsed = parseVersion(base);
      if (!parsed) return undefined;
      raise({ version: base, inclusive: true });
      lower({ version: bump(parsed.release, parsed.release.length - 1), inclusive: false });
      continue;
    }
    const parsed = parseVersion(v);
    if (!parsed) return op === '===' ? {} : undefined;
    if (op === '>=') raise({ version: v, inclusive: true });
    else if (op === '>') raise({ version: v, inclusive: false });
    else if (op === '<=') lower({ version: v, inclusive: true });
    else if (op === '<') lower({ version: v, inclusive: false });
    else if (op === '==' || op === '===') {
      raise({ version: v, inclusive: true });
      lower({ version: v, inclusive: true });
    } else if (op === '~=') {
      if (parsed.release.length < 2) return undefined;
      raise({ version: v, inclusive: true });
      lower({ version: bump(parsed.release, parsed.release.length - 2), inclusive: false });
    }
  }
  return clean({ min, max });
}

/**
 * The larger (dir 1) or smaller (dir -1) of two bounds. On a tie, `widen` keeps the inclusive one (a hull),
 * otherwise the exclusive one (an intersection).
 */
function pick(a: Bound, b: Bound, dir: 1 | -1, widen = true): Bound {
  const c = compareVersions(a.version, b.version) ?? 0;
  if (c === 0) return a.inclusive === b.inclusive ? a : (a.inclusive === widen ? a : b);
  return c * dir > 0 ? a : b;
}

function clean(b: { min?: Bound; max?: Bound }): { min?: Bound; max?: Bound } {
  const out: { min?: Bound; max?: Bound } = {};
  if (b.min) out.min = b.min;
  if (b.max) out.max = b.max;
  return out;
}

export type EffectiveVersion =
  /** One version is known to run: from a lock file, else an `==` pin (requirements first). */
  | { kind: 'exact'; version: string; pin: VersionPin; pins: VersionPin[] }
  /** Only ranges: `spec` is every range pin's spec joined with `,` (usable with `satisfies`), bounds intersected. */
  | { kind: 'range'; spec: string; min?: Bound; max?: Bound; pin: VersionPin; pins: VersionPin[] }
  /** The package is required but nothing constrains its version. */
  | { kind: 'any'; pin: VersionPin; pins: VersionPin[] };

const EXACT_RANK: Record<VersionPin['source'], number> = {
  'uv.lock': 0, 'poetry.lock': 0, 'pipfile.lock': 0, requirements: 1, pipfile: 2, pyproject: 2, poetry: 2, 'setup.cfg': 2, 'setup.py': 2, 'package.json': 9,
};

/**
 * The best knowledge of which version of `pkg` runs: an exact pin from a lock file beats an `==` in requirements,
 * which beats any other `==`, which beats ranges. `pins` lists every pin of the package, so rules can spot
 * disagreements. Undefined when the package is not required at all.
 */
export function effectiveVersion(pins: readonly VersionPin[], pkg: string): EffectiveVersion | undefined {
  const name = normalisePackage(pkg);
  const all = pins.filter((p) => p.package === name);
  const first = all[0];
  if (!first) return undefined;
  const exact = all.filter((p) => p.exact).sort((a, b) => EXACT_RANK[a.source] - EXACT_RANK[b.source])[0];
  if (exact?.exact) return { kind: 'exact', version: exact.exact, pin: exact, pins: all };
  const ranged = all.filter((p) => p.spec.trim() !== '' && p.spec.trim() !== '*');
  const head = ranged[0];
  if (!head) return { kind: 'any', pin: first, pins: all };
  const specs = [...new Set(ranged.map((p) => p.spec.trim()))];
  // `||` alternatives cannot be joined with `,` without changing their meaning: keep the first spec alone then.
  const spec = specs.some((s) => s.includes('||')) ? head.spec.trim() : specs.join(',');
  const bounds = specBounds(spec) ?? {};
  return { kind: 'range', spec, ...bounds, pin: head, pins: all };
}

/**
 * Whether every version the knowledge allows is at least `version` (true), every one is below it (false), or
 * it cannot be told (undefined): "is this project on Celery ≥ 4.0?".
 */
export function atLeast(effective: EffectiveVersion | undefined, version: string): boolean | undefined {
  if (!effective || effective.kind === 'any') return undefined;
  if (effective.kind === 'exact') {
    const c = compareVersions(effective.version, version);
    return c === undefined ? undefined : c >= 0;
  }
  const { min, max } = effective;
  if (min) {
    const c = compareVersions(min.version, version);
    if (c !== undefined && (c > 0 || (c === 0 && min.inclusive))) return true;
  }
  if (max) {
    const c = compareVersions(max.version, version);
    if (c !== undefined && (c < 0 || (c === 0 && !max.inclusive))) return false;
  }
  return undefined;
}

/** The major release every allowed version shares (`>=4.1,<5` → 4, `~=4.4.0` → 4), if there is one. */
export function singleMajor(effective: EffectiveVersion | undefined): number | undefined {
  if (!effective || effective.kind === 'any') return undefined;
  if (effective.kind === 'exact') return parseVersion(effective.version)?.release[0];
  const major = effective.min ? parseVersion(effective.min.version)?.release[0] : undefined;
  if (major === undefined) return undefined;
  return atLeast(effective, `${major + 1}`) === false ? major : undefined;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
