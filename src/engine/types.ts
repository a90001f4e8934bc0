import type { ProjectModel, Span } from '../model/types.js';

/** One text replacement in one file, on the original source (offsets are UTF-16 indexes into the file text). */
export interface Edit {
  file: string;
  start: number;
  end: number;
  content: string;
}

export type Applicability = 'safe' | 'unsafe' | 'display-only';

export interface Fix {
  applicability: Applicability;
  /** What the fix does, imperative: "Rename to result_serializer". */
  message: string;
  edits: Edit[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: string;
  name: string;
  message: string;
  severity: Severity;
  span: Span;
  fix?: Fix;
  /** Release where the reported behaviour starts (for placing a migrate-check finding on its step). */
  since?: string;
  /** The migrate-check step this finding belongs to (`3.1 → 4.0`), set by the engine. */
  step?: string;
  url?: string;
}

export type FixSafety = 'safe' | 'unsafe' | 'none' | 'sometimes';

export interface RuleMeta {
  code: string;
  name: string;
  /** One line: what the rule finds. */
  summary: string;
  /** Why it is bad: the consequence at runtime, for the versions named. */
  why: string;
  /** A Python (or deploy file) example that the rule reports. */
  example: string;
  /** The same example, corrected. */
  useInstead: string;
  fixSafety: FixSafety;
  /** Which Celery versions the behaviour concerns, in words and as a range. */
  versions: { description: string; introduced?: string; until?: string };
  references: string[];
  defaultSeverity: Severity;
}

export interface VersionContext {
  /** `check`: what runs now; `migrate`: the upgrade path from current to target. */
  mode: 'check' | 'migrate';
  /** The Celery version the project runs now, as far as pins/evidence say (e.g. `3.1.25`, `4.4`). */
  current?: string;
  /** How current was found: a pin, --from, or inferred from evidence (with the reasons). */
  currentSource: 'pin' | 'option' | 'inferred' | 'unknown';
  evidence: string[];
  /** The version whose behaviour the rules judge: current in check mode, --to in migrate mode. */
  target?: string;
}

export interface Reporter {
  report(d: Omit<Diagnostic, 'code' | 'name' | 'severity'> & { severity?: Severity }): void;
}

export interface RuleContext extends Reporter {
  model: ProjectModel;
  versions: VersionContext;
  /**
   * Whether findings in this file are wanted. A run on a few files (pre-commit passes the changed ones) keeps only
   * their findings, so a rule looping over thousands of tasks or call sites may skip those it would report elsewhere.
   */
  wants(file: string): boolean;
}

/** A rule: metadata for docs and selection, and a check that reads only the ProjectModel. */
export interface Rule {
  meta: RuleMeta;
  check(model: ProjectModel, ctx: RuleContext): void;
}

export function createRule(rule: Rule): Rule {
  if (!/^CEL\d{3}$/.test(rule.meta.code)) throw new Error(`bad rule code ${rule.meta.code}`);
  return rule;
}
