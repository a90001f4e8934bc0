import type { ProjectModel, Span } from '../model/types.js';
import { isSelected } from './select.js';
import type { Diagnostic, Rule, RuleContext, VersionContext } from './types.js';
import { compareRelease, releaseLine, stepFor, upgradeSteps, type PathStep } from './version-path.js';
import { detectCurrentVersion } from './detect-version.js';

export interface LintOptions {
  mode: 'check' | 'migrate';
  rules: readonly Rule[];
  /** Newest release in the knowledge base: the default migrate target and the assumption when nothing says. */
  newest: string;
  from?: string;
  to?: string;
  select?: readonly string[];
  ignore?: readonly string[];
  /** The files whose findings are kept (all when absent): rules may skip work for the others. */
  scope?: (file: string) => boolean;
  /** Measure each rule's time (CELERY_LINT_TIMING=1, as ESLint's TIMING). */
  timing?: boolean;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  versions: VersionContext;
  steps: PathStep[];
  /** Things the user should know about how the run was set up (inferred versions). */
  notes: string[];
  /** Milliseconds per rule that ran, when asked for. */
  timings?: { code: string; name: string; ms: number }[];
}

/** Runs every selected rule that applies to the version context; sorts findings by file and position. */
export function lint(model: ProjectModel, opts: LintOptions): LintResult {
  const notes: string[] = [];
  const detected = detectCurrentVersion(model);
  let current = opts.from ?? detected.version;
  let currentSource: VersionContext['currentSource'] = opts.from ? 'option' : detected.source;
  if (!current) {
    current = opts.mode === 'migrate' ? undefined : opts.newest;
    currentSource = 'unknown';
  }
  if (currentSource === 'inferred' && detected.floor) {
    // A floor is a lower bound: it starts a migration path, but check mode still judges the newest release
    if (opts.mode === 'check') {
      current = opts.newest;
      currentSource = 'unknown';
    }
    notes.push(floorNote(detected.evidence, detected.floor, detected.legacy, opts.mode, opts.newest));
  } else if (currentSource === 'inferred') {
    notes.push(`No pinned Celery version found; inferred ${current} from: ${detected.evidence.join('; ')}. Pass --from to override.`);
  } else if (currentSource === 'unknown' && !usesCelery(model)) {
    notes.push('No Celery found in this project (no app, task, import, deploy command or pin): nothing to check.');
    // no upgrade path to walk: judged at the release asked for
    if (opts.mode === 'migrate') current = opts.to ?? opts.newest;
  } else if (currentSource === 'unknown') {
    notes.push(opts.mode === 'migrate'
      ? 'No Celery version found (no pin, no evidence); pass --from. Checking the whole path from 3.1.'
      : `No Celery version found (no pin, no evidence); assuming the newest release, ${opts.newest}.`);
    if (opts.mode === 'migrate') current = '3.1';
  }
  let target = opts.mode === 'migrate' ? opts.to ?? opts.newest : current;
  if (opts.mode === 'migrate' && current && target && compareRelease(releaseLine(target), releaseLine(current)) < 0) {
    // Nothing to upgrade: judging an older release than the one the project runs would report what no longer holds.
    notes.push(`The project already runs Celery ${current}, past --to ${target}: there is no upgrade step to check; judging at ${current}.`);
    target = current;
  }
  const versions: VersionContext = { mode: opts.mode, current, currentSource, evidence: detected.evidence, target };
  const steps = opts.mode === 'migrate' && current && target ? upgradeSteps(current, target) : [];

  const diagnostics: Diagnostic[] = [];
  const timings: LintResult['timings'] = opts.timing ? [] : undefined;
  for (const rule of opts.rules) {
    if (!isSelected(rule.meta.code, opts.select, opts.ignore)) continue;
    if (!appliesTo(rule, target)) continue;
    const ctx: RuleContext = {
      model,
      versions,
      wants: opts.scope ?? everyFile,
      report(d) {
        const diag: Diagnostic = { ...d, code: rule.meta.code, name: rule.meta.name, severity: d.severity ?? rule.meta.defaultSeverity };
        if (steps.length) diag.step = stepFor(steps, d.since ?? rule.meta.versions.introduced)?.label;
        diagnostics.push(diag);
      },
    };
    const started = timings ? performance.now() : 0;
    try {
      rule.check(model, ctx);
    } catch (e) {
      model.problems.push({ file: '.', severity: 'error', message: `internal error in rule ${rule.meta.code}: ${(e as Error).message}` });
    }
    timings?.push({ code: rule.meta.code, name: rule.meta.name, ms: performance.now() - started });
  }
  diagnostics.sort(byPosition);
  return { diagnostics: dedupe(diagnostics), versions, steps, notes, timings };
}

function floorNote(evidence: string[], floor: string, legacy: string[] | undefined, mode: LintOptions['mode'], newest: string): string {
  // the first piece of evidence is one that sets the floor; the rest are in the report's evidence list
  const uses = `No pinned Celery version found; the project uses ${evidence[0] ?? 'features'}, which needs Celery ≥ ${floor}`;
  if (mode === 'check') return `${uses}: assuming the newest release, ${newest}. Pass --from to override.`;
  if (!legacy?.length) return `${uses}: checking from ${floor}. Pass --from to override.`;
  return (
    `${uses}, but also ${legacy.join('; ')}, which only Celery 3.1 runs with: the project looks part-way through the move to ${floor}. ` +
    `Checking from ${floor}; the 3.1 leftovers are still judged at the target. Pass --from 3.1 to check the whole path from 3.1.`
  );
}

const everyFile = () => true;

function appliesTo(rule: Rule, target: string | undefined): boolean {
  if (!target) return true;
  const { introduced, until } = rule.meta.versions;
  if (introduced && compareRelease(target, introduced) < 0) return false;
  if (until && compareRelease(target, until) >= 0) return false;
  return true;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return cmpSpan(a.span, b.span) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function cmpSpan(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start.offset - b.start.offset || a.end.offset - b.end.offset;
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.code}:${d.span.file}:${d.span.start.offset}:${d.span.end.offset}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Kiwi TCMS, fx-private-relay: a project without a trace of Celery gets a plain note, not a guessed version. */
function usesCelery(model: ProjectModel): boolean {
  return model.apps.length > 0 || model.tasks.length > 0 || model.imports.length > 0 || model.commands.length > 0 || model.producers.length > 0 || model.versions.some((v) => /celery|^kombu$/.test(v.package));
}
