import type { LintResult } from '../engine/run.js';
import type { Applicability, Diagnostic, RuleMeta } from '../engine/types.js';
import { compareRelease, releaseParts, type PathStep } from '../engine/version-path.js';
import { maskSecretsInLine } from '../model/url.js';
import type { VersionPin } from '../model/types.js';
import { redact } from './redact.js';

/** One finding as the plan shows it: where (with a link relative to the report), what, and how it is fixed. */
export interface PlanFinding {
  code: string;
  file: string;
  line: number;
  column: number;
  /** Relative link from the report to the line: `../proj/settings.py#L61`. */
  href: string;
  message: string;
  /** The reported line of source, secrets masked. */
  excerpt?: string;
  fix?: { applicability: Applicability; message: string };
}

/** The findings of one rule on one step, under the rule's one-line summary. */
export interface PlanRuleGroup {
  code: string;
  rule: string;
  summary: string;
  findings: PlanFinding[];
}

export interface PlanCounts {
  findings: number;
  /** Applied by `--fix`. */
  safe: number;
  /** Applied by `--fix --unsafe-fixes`, to review first. */
  unsafe: number;
  /** No automatic fix: a person decides. */
  manual: number;
}

/** A to-do item of a step besides its findings: move the pin, re-check, deploy. */
export interface PlanTask {
  label: string;
  /** A command to run, shown as code after the label. */
  command?: string;
  /** What the place to change says now (a pin as written), shown as code. */
  now?: string;
  /** A link to the place to change, relative to the report. */
  href?: string;
  where?: string;
}

export interface PlanStep {
  /** 1-based position in the plan. */
  number: number;
  title: string;
  /** The upgrade path step (`3.1 → 4.0`); none for the findings no step claims. */
  label?: string;
  intro?: string;
  groups: PlanRuleGroup[];
  counts: PlanCounts;
  tasks: PlanTask[];
}

export interface UpgradePlan {
  title: string;
  project: string;
  current?: string;
  /** How the current version was found, in words. */
  currentSource: string;
  target?: string;
  notes: string[];
  steps: PlanStep[];
  totals: PlanCounts;
  /** The migrate-check command line the plan came from, without fix options. */
  command: string;
  generator: string;
}

export interface PlanOptions {
  /** A name for the project (its folder). */
  project: string;
  /** Relative link from the report to a project file (posix, URL-encoded); the plan adds `#Lline`. */
  link(file: string): string;
  source(file: string): string | undefined;
  rules: readonly RuleMeta[];
  /** Celery version pins of the project: each step's checklist says which to move. */
  pins: readonly VersionPin[];
  /** How to run migrate-check on this project, without --to: `celery-lint migrate-check proj`. */
  command: string;
  generator: string;
}

// Celery's 4.0 upgrade guide, "Step 1: Upgrade to Celery 3.1.25": that release reads the new message protocol, so
// workers on it can take messages from 4.0 clients while the rest moves over.
const BRIDGE_RELEASE = '3.1.25';

/**
 * The upgrade plan a migrate-check result makes: the path's steps in order, each with its findings grouped by rule,
 * what `--fix` can do about them, and what is left to do on that step. Every string is redacted.
 */
export function buildPlan(result: LintResult, opts: PlanOptions): UpgradePlan {
  const { versions } = result;
  const metas = new Map(opts.rules.map((m) => [m.code, m]));
  const byStep = new Map<string, Diagnostic[]>();
  const loose: Diagnostic[] = [];
  const known = new Set(result.steps.map((s) => s.label));
  for (const d of result.diagnostics) {
    if (d.step && known.has(d.step)) byStep.set(d.step, [...(byStep.get(d.step) ?? []), d]);
    else loose.push(d);
  }

  const steps: PlanStep[] = [];
  const bridge = needsBridge(versions.current, result.steps);
  if (bridge) {
    steps.push({
      number: 1,
      title: `Celery ${versions.current} → ${BRIDGE_RELEASE}`,
      intro: `Move every worker and client to Celery ${BRIDGE_RELEASE} before 4.0: it reads the message protocol 4.0 clients send, so workers and clients can then move to 4.0 one at a time.`,
      groups: [],
      counts: countOf([]),
      tasks: upgradeTasks(BRIDGE_RELEASE, undefined, opts),
    });
  }
  for (const [i, s] of result.steps.entries()) {
    const diags = byStep.get(s.label) ?? [];
    steps.push({
      number: steps.length + 1,
      title: `Celery ${s.label}`,
      label: s.label,
      intro: stepIntro(s, diags.length),
      groups: groupsOf(diags, metas, opts),
      counts: countOf(diags),
      tasks: upgradeTasks(s.to, result.steps[i + 1], opts),
    });
  }
  if (loose.length) {
    steps.push({
      number: steps.length + 1,
      title: result.steps.length ? 'Other findings' : `Findings for Celery ${versions.target ?? 'the target release'}`,
      intro: 'These findings belong to no single step of the path: fix them along the way.',
      groups: groupsOf(loose, metas, opts),
      counts: countOf(loose),
      tasks: [],
    });
  }

  const plan: UpgradePlan = {
    title: `Celery upgrade plan: ${versions.current ?? 'unknown'} → ${versions.target ?? 'unknown'}`,
    project: opts.project,
    current: versions.current,
    currentSource: sourceWords(versions.currentSource, versions.evidence),
    target: versions.target,
    notes: result.notes,
    steps,
    totals: countOf(result.diagnostics),
    command: versions.target ? `${opts.command} --to ${versions.target}` : opts.command,
    generator: opts.generator,
  };
  return redact(plan);
}

function needsBridge(current: string | undefined, steps: readonly PathStep[]): boolean {
  if (!current || !steps.some((s) => s.to === '4.0')) return false;
  return compareRelease(current, BRIDGE_RELEASE) < 0;
}

function stepIntro(s: PathStep, n: number): string {
  const what = n === 0 ? 'celery-lint found nothing to change for this step' : `${n} finding${n === 1 ? '' : 's'} to settle before or while moving`;
  return `Upgrade from Celery ${s.from} to ${s.to}: ${what}.`;
}

function groupsOf(diags: readonly Diagnostic[], metas: ReadonlyMap<string, RuleMeta>, opts: PlanOptions): PlanRuleGroup[] {
  const groups = new Map<string, PlanRuleGroup>();
  for (const d of diags) {
    let g = groups.get(d.code);
    if (!g) {
      g = { code: d.code, rule: d.name, summary: metas.get(d.code)?.summary ?? '', findings: [] };
      groups.set(d.code, g);
    }
    g.findings.push(findingOf(d, opts));
  }
  return [...groups.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function findingOf(d: Diagnostic, opts: PlanOptions): PlanFinding {
  const { file, start } = d.span;
  const f: PlanFinding = { code: d.code, file, line: start.line, column: start.column, href: `${opts.link(file)}#L${start.line}`, message: d.message };
  const excerpt = lineOf(opts.source(file), start.line);
  if (excerpt) f.excerpt = excerpt;
  if (d.fix) f.fix = { applicability: d.fix.applicability, message: d.fix.message };
  return f;
}

const EXCERPT_MAX = 160;

function lineOf(text: string | undefined, line: number): string | undefined {
  const raw = text?.split('\n')[line - 1]?.replace(/\s+$/, '');
  if (!raw?.trim()) return undefined;
  const masked = maskSecretsInLine(raw);
  return masked.length > EXCERPT_MAX ? `${masked.slice(0, EXCERPT_MAX - 1)}…` : masked;
}

export function countOf(diags: readonly Diagnostic[]): PlanCounts {
  const safe = diags.filter((d) => d.fix?.applicability === 'safe').length;
  const unsafe = diags.filter((d) => d.fix?.applicability === 'unsafe').length;
  return { findings: diags.length, safe, unsafe, manual: diags.length - safe - unsafe };
}

function upgradeTasks(to: string, next: PathStep | undefined, opts: PlanOptions): PlanTask[] {
  const pins = opts.pins.filter((p) => p.package === 'celery');
  // When the next step leaves this major line, its newest release is the usual stop (4.4 before 5.0).
  const [major = 0] = releaseParts(to);
  const leaves = !!next && (releaseParts(next.to)[0] ?? 0) > major;
  const release = leaves ? `the newest ${major}.x release` : to;
  const tasks: PlanTask[] = pins.length
    ? pins.map((p) => ({
        label: `Move the celery pin to ${release}`,
        now: sourceLine(opts, p),
        where: `${p.file}:${p.span.start.line}`,
        href: `${opts.link(p.file)}#L${p.span.start.line}`,
      }))
    : [{ label: `Install ${leaves ? release : `Celery ${to}`} (no celery pin found)` }];
  tasks.push({ label: 'Check the step again, and run the test suite', command: `${opts.command} --to ${to}` });
  tasks.push({ label: `Deploy Celery ${to}: the workers first, then the clients that send tasks` });
  return tasks;
}

function sourceLine(opts: PlanOptions, p: VersionPin): string | undefined {
  return lineOf(opts.source(p.file), p.span.start.line)?.trim();
}

function sourceWords(source: string, evidence: readonly string[]): string {
  if (source === 'pin') return 'pinned';
  if (source === 'option') return 'given with --from';
  if (source === 'inferred') return `inferred from ${evidence.join('; ')}`;
  return 'unknown: no pin and no evidence';
}
