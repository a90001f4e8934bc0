import { allRules } from '../../rules/index.js';
import type { FileKind } from '../discover/classify.js';
import { matchBaseline, type Baseline } from '../engine/baseline.js';
import { detectCurrentVersion } from '../engine/detect-version.js';
import { newestRelease } from '../engine/knowledge.js';
import { lint, type LintResult } from '../engine/run.js';
import { appliesToTarget, isSelected } from '../engine/select.js';
import { applySuppressions, UNUSED_NOQA, unusedNoqaDiagnostics } from '../engine/suppress.js';
import type { Diagnostic, Edit } from '../engine/types.js';
import type { ProjectModel } from '../model/types.js';
import { commentsOf, type Comment } from '../parse/comments.js';
import type { Selection } from './config.js';
import { inScope } from './project.js';

export interface FindingOptions {
  mode: 'check' | 'migrate';
  selection: Selection;
  from?: string;
  to?: string;
  /** The configured current version: used only when no pin says which Celery the project runs. */
  currentVersion?: string;
  perFileIgnored: (file: string, code: string) => boolean;
  scope?: readonly string[];
  reportUnusedNoqa: boolean;
  baseline?: Baseline;
  /** Measure each rule (CELERY_LINT_TIMING). */
  timing?: boolean;
}

export interface Findings {
  lint: LintResult;
  /** In scope, without per-file-ignored and `# noqa`-suppressed findings, with CEL900: what a baseline records. */
  current: Diagnostic[];
  /** `current` without the findings the baseline knows: what is reported (and fixed). */
  reported: Diagnostic[];
  /** Whether a finding of this code could have been reported in this run (the rule ran). */
  ran: (code: string) => boolean;
}

/** Lint, then per-file-ignores, then `# noqa` (and CEL900 for unused directives), then the baseline. */
export function findings(model: ProjectModel, text: (file: string) => string | undefined, opts: FindingOptions): Findings {
  const { select, ignore } = opts.selection;
  const pinned = detectCurrentVersion(model).source === 'pin';
  const from = opts.from ?? (pinned ? undefined : opts.currentVersion);
  const result = lint(model, { mode: opts.mode, rules: allRules, newest: newestRelease(), from, to: opts.to, select, ignore, timing: opts.timing, scope: opts.scope ? (f) => inScope(opts.scope, f) : undefined });
  const target = result.versions.target;
  const ruleRan = (code: string) => {
    const rule = allRules.find((r) => r.meta.code === code);
    return !!rule && isSelected(code, select, ignore) && appliesToTarget(rule.meta.versions, target);
  };
  const kept = (d: Diagnostic) => inScope(opts.scope, d.span.file) && !opts.perFileIgnored(d.span.file, d.code);

  const kinds = new Map(model.files.map((f) => [f.path, f.kind as FileKind]));
  const suppression = applySuppressions(result.diagnostics.filter(kept), commentReader(kinds, text), {
    files: opts.reportUnusedNoqa ? model.files.map((f) => f.path).filter((f) => inScope(opts.scope, f)) : [],
    reportable: ruleRan,
  });
  let current = suppression.kept;
  if (opts.reportUnusedNoqa) current = [...current, ...unusedNoqaDiagnostics(suppression.unusedNoqa).filter(kept)].sort(byPosition);
  const shown = opts.baseline ? matchBaseline(current, opts.baseline, text).kept : current;
  const shownSet = new Set(shown);
  const hidden = result.diagnostics.filter((d) => inScope(opts.scope, d.span.file) && !shownSet.has(d));
  const reported = shown.map((d) => (d.fix && d.fix.edits.some((e) => hidden.some((h) => touches(e, h))) ? withoutFix(d) : d));
  const ran = (code: string) => (code === UNUSED_NOQA.code ? opts.reportUnusedNoqa : ruleRan(code));
  return { lint: result, current, reported, ran };
}

/**
 * Whether an edit changes the text a finding points at. One fix may edit several places (CEL101 renames every old
 * name of a module at once), and it must not change the code of a finding that a `# noqa`, per-file-ignores or
 * the baseline hides: such a fix is not offered.
 */
function touches(e: Edit, d: Diagnostic): boolean {
  if (e.file !== d.span.file) return false;
  const start = d.span.start.offset;
  const end = d.span.end.offset;
  if (e.start === e.end) return start < e.start && e.start < end;
  return e.start < end && start < e.end;
}

function withoutFix(d: Diagnostic): Diagnostic {
  const { fix: _fix, ...rest } = d;
  return rest;
}

/** Comments of a project file in its own syntax, each file read once. */
function commentReader(kinds: ReadonlyMap<string, FileKind>, text: (file: string) => string | undefined): (file: string) => Comment[] {
  const cache = new Map<string, Comment[]>();
  return (file) => {
    let comments = cache.get(file);
    if (!comments) {
      const kind = kinds.get(file);
      const t = text(file);
      // Comments matter only for `noqa` directives (case-insensitive): a file without the word needs no parse.
      comments = kind && t !== undefined && /noqa/i.test(t) ? commentsOf(kind, file, t) : [];
      cache.set(file, comments);
    }
    return comments;
  };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.start.offset - b.span.start.offset || a.span.end.offset - b.span.end.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
