import path from 'node:path';
import { allRules } from '../../rules/index.js';
import type { LintResult } from '../engine/run.js';
import { UNUSED_NOQA } from '../engine/suppress.js';
import { writeFileAtomic } from '../engine/write.js';
import type { ProjectModel } from '../model/types.js';
import { buildPlan } from '../report/plan.js';
import { renderPlanHtml } from '../report/plan-html.js';
import { renderPlanMarkdown } from '../report/plan-md.js';
import { UsageError, VERSION } from './io.js';

export type PlanFormat = 'md' | 'html';

/** The report's format from its extension; anything else is a usage error, found before the analysis runs. */
export function planFormat(file: string): PlanFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'md';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new UsageError(`celery-lint: --report ${file}: the file name must end in .md or .html`);
}

export interface PlanReportInput {
  /** The report file, absolute, and as the user wrote it (for messages). */
  file: string;
  name: string;
  root: string;
  result: LintResult;
  model: ProjectModel;
  source(file: string): string | undefined;
  /** Paths and --from as given on the command line, to print the command that re-checks each step. */
  paths: readonly string[];
  from?: string;
}

/** Writes the upgrade plan next to wherever the user asked; links point from there to the project's files. */
export function writePlanReport(input: PlanReportInput): void {
  const dir = path.dirname(input.file);
  const link = (file: string) => path.relative(dir, path.join(input.root, file)).split(path.sep).map(encodeURIComponent).join('/');
  const command = ['celery-lint migrate-check', ...input.paths.map(shellWord), ...(input.from ? ['--from', shellWord(input.from)] : [])].join(' ');
  const plan = buildPlan(input.result, {
    project: path.basename(input.root),
    link,
    source: input.source,
    rules: [...allRules.map((r) => r.meta), UNUSED_NOQA],
    pins: input.model.versions,
    command,
    generator: `celery-lint ${VERSION}`,
  });
  const text = planFormat(input.file) === 'md' ? renderPlanMarkdown(plan) : renderPlanHtml(plan);
  try {
    writeFileAtomic(input.file, text);
  } catch (e) {
    throw new UsageError(`celery-lint: cannot write --report ${input.name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
