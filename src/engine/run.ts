import type { ProjectModel, Span } from '../model/types.js';
import { isSelected } from './select.js';
import type { Diagnostic, Rule, RuleContext, VersionContext } from './types.js';
import { compareRelease, stepFor, upgradeSteps, type PathStep } from './version-path.js';
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
  if (currentSource === 'inferred') notes.push(`No pinned Celery version found; inferred ${current} from: ${detected.evidence.join('; ')}. Pass --from to override.`);
  if (currentSource === 'unknown') {
    notes.push(opts.mode === 'migrate'
      ? 'No Celery version found (no pin, no evidence); pass --from. Checking the whole path from 3.1.'
      : `No Celery version found (no pin, no evidence); assuming the newest release, ${opts.newest}.`);
    if (opts.mode === 'migrate') current = '3.1';
  }
  const target = opts.mode === 'migrate' ? opts.to ?? opts.newest : current;
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
