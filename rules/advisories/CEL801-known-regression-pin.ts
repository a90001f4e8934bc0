import { appConfig } from '../../src/engine/model-index.js';
import { knowledge, type Advisory, type Knowledge } from '../../src/engine/knowledge.js';
import { createRule, type Fix, type RuleContext } from '../../src/engine/types.js';
import { effectiveVersion, satisfies, specBounds, compareVersions, type EffectiveVersion } from '../../src/model/versions.js';
import type { ProjectModel, Span, VersionPin } from '../../src/model/types.js';
import { appAnchor } from '../serializers/content.js';
import { kombuVersions } from '../transports/kombu.js';
import { meetsCondition, type ConditionMatch } from './conditions.js';

export default createRule({
  meta: {
    code: 'CEL801',
    name: 'known-regression-pin',
    summary: 'A pinned celery/kombu release has a known severe bug that applies to this project\'s configuration.',
    why:
      'Some releases shipped regressions that only bite with a particular setup: Celery 4.2.x producers on Python 2 ' +
      'never free AsyncResult objects (a promise cycle plus __del__ in celery/result.py, fixed in 4.3.0); Kombu 4.6.0-4.6.1 ' +
      'and 4.6.4-4.6.5 lose remote-control replies with the Redis transport, so inspect().ping() and `celery status` see ' +
      'no workers (fixed in 4.6.2 and 4.6.6); Kombu 5.2-5.3 workers on Redis stop consuming after a reconnection ' +
      '("Connection closed by server", a restart, a failover), fixed in Kombu 5.4.0. The facts, affected ranges, fixed ' +
      'releases and sources are in rules/knowledge/advisories.yaml. The rule reports an advisory only when the project ' +
      'meets its condition too (the broker or result backend in use, a call or deploy command that exercises the bug), ' +
      'never on a version number alone. A range pin is reported only when every release it allows is affected. ' +
      'migrate-check --to X also reports when X itself is an affected Celery release and names the nearest safe one. ' +
      'The fix bumps an exact requirements.txt pin to the fixed release; choosing a release is the user\'s call, so it is unsafe.',
    example: "# requirements.txt\nkombu==4.6.4\n# web/health.py\ncelery_app.control.inspect(timeout=1).ping()",
    useInstead: '# requirements.txt\nkombu==4.6.6',
    fixSafety: 'unsafe',
    versions: { description: 'The releases listed in rules/knowledge/advisories.yaml (Celery 4.2.x; Kombu 4.6.0-4.6.5 and 5.2-5.3).' },
    references: [
      'https://github.com/celery/celery/pull/4839',
      'https://github.com/celery/kombu/issues/1081',
      'https://github.com/celery/kombu/pull/2007',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    const configs = model.apps.map((app) => appConfig(model, app, target, k));
    const matched: { advisory: Advisory; match: ConditionMatch }[] = [];
    for (const advisory of k.advisories.advisories) {
      const match = meetsCondition(advisory.condition, model, configs, k);
      if (match) matched.push({ advisory, match });
    }
    for (const { advisory, match } of matched) {
      if (advisory.package === 'celery' && ctx.versions.mode === 'migrate') migrateTarget(ctx, model, advisory, match, matched.map((m) => m.advisory), target);
      else pinned(ctx, model, k, advisory, match);
    }
  },
});

/** The project's pin of the advisory's package, when it runs (exact) or allows (range) only affected releases. */
function pinned(ctx: RuleContext, model: ProjectModel, k: Knowledge, advisory: Advisory, match: ConditionMatch): void {
  const ev = effectiveVersion(model.versions, advisory.package);
  if (!ev || ev.kind === 'any') return;
  if (ev.kind === 'exact' && advisory.package === 'kombu' && ctx.versions.mode === 'migrate') {
    // The pinned Kombu survives the upgrade only if the target Celery admits it.
    if (!kombuVersions(model, ctx.versions, k)?.versions.includes(ev.version)) return;
  }
  const range = ev.kind === 'exact' ? advisory.affected.find((a) => satisfies(ev.version, a.range)) : advisory.affected.find((a) => rangeWithin(ev, a.range));
  if (!range) return;
  const pin = ev.pin;
  const runs = ev.kind === 'exact' ? `${advisory.package} ${ev.version} (${pinWhere(pin)})` : `${advisory.package}${ev.spec} (${pinWhere(pin)}) allows only affected releases, and`;
  ctx.report({
    message: `${runs} ${ev.kind === 'exact' ? 'has' : 'they have'} a known bug that applies to this project: ${advisory.title}. ${advisory.summary} ${applies(match)} Fixed in ${advisory.package} ${range.fixedIn} (${advisory.sources[0]!.url}).`,
    span: pin.span,
    fix: bumpFix(pin, ev, advisory.package, range.fixedIn),
    // A condition the model cannot see (the Python version) is said with "if": informational, not a warning.
    ...(match.ifs.length ? { severity: 'info' as const } : {}),
  });
}

/** migrate-check --to X: X itself is an affected Celery release; name the nearest one no matched advisory affects. */
function migrateTarget(ctx: RuleContext, model: ProjectModel, advisory: Advisory, match: ConditionMatch, matched: Advisory[], target: string): void {
  const range = advisory.affected.find((a) => satisfies(target, a.range));
  if (!range) return;
  const safe = nearestSafe(range.fixedIn, matched.filter((a) => a.package === 'celery'));
  const pin = effectiveVersion(model.versions, 'celery')?.pin;
  const app = model.apps[0];
  const span = pin?.span ?? match.anchor ?? (app ? appAnchor(app) : undefined);
  if (!span) return;
  ctx.report({
    message: `Celery ${target}, the migration target, has a known bug that applies to this project: ${advisory.title}. ${advisory.summary} ${applies(match)} Migrate to Celery ${safe} instead, the nearest release without it (${advisory.sources[0]!.url}).`,
    span,
    since: target,
    ...(match.ifs.length ? { severity: 'info' as const } : {}),
  });
}

function nearestSafe(start: string, advisories: Advisory[]): string {
  let v = start;
  for (let i = 0; i < advisories.length; i++) {
    const hit = advisories.flatMap((a) => a.affected).find((r) => satisfies(v, r.range));
    if (!hit) break;
    v = hit.fixedIn;
  }
  return v;
}

function applies(m: ConditionMatch): string {
  const text = `It applies because ${m.because.join(', ')}`;
  return m.ifs.length ? `${text} - only if ${m.ifs.join(' and ')}.` : `${text}.`;
}

function pinWhere(pin: VersionPin): string {
  return `${pin.file}:${pin.span.start.line}`;
}

/** Every release the range pin allows lies in the affected range (both need a lower and an upper bound). */
function rangeWithin(ev: EffectiveVersion & { kind: 'range' }, affected: string): boolean {
  const a = specBounds(affected);
  if (!a?.min || !a.max || !ev.min || !ev.max) return false;
  const lo = compareVersions(ev.min.version, a.min.version);
  const hi = compareVersions(ev.max.version, a.max.version);
  if (lo === undefined || hi === undefined) return false;
  const lowOk = lo > 0 || (lo === 0 && (a.min.inclusive || !ev.min.inclusive));
  const highOk = hi < 0 || (hi === 0 && (a.max.inclusive || !ev.max.inclusive));
  return lowOk && highOk;
}

/** Only an exact `==` pin in a requirements file is bumped: elsewhere the version lives in a lock or a range. */
function bumpFix(pin: VersionPin, ev: EffectiveVersion, pkg: string, fixedIn: string): Fix | undefined {
  if (ev.kind !== 'exact' || pin.source !== 'requirements' || !pin.versionSpan || !/^==\d/.test(pin.spec)) return undefined;
  const s: Span = pin.versionSpan;
  return {
    applicability: 'unsafe',
    message: `Pin ${pkg}==${fixedIn}`,
    edits: [{ file: s.file, start: s.start.offset, end: s.end.offset, content: fixedIn }],
  };
}
