import path from 'node:path';
import { allRules } from '../../rules/index.js';
import { createBaseline, pruneBaseline, readBaseline, writeBaseline, type BaselineEntry } from '../engine/baseline.js';
import { computeFixes, writeFixes } from '../engine/fixer.js';
import type { LintResult } from '../engine/run.js';
import { UNUSED_NOQA } from '../engine/suppress.js';
import { buildModel } from '../sources/build.js';
import { openFactCache } from '../model/fact-cache.js';
import { readText } from '../discover/read.js';
import { maskSecretsInText } from '../model/url.js';
import type { ProjectModel } from '../model/types.js';
import { renderConcise, renderText } from '../report/text.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderGithub } from '../report/github.js';
import { renderGitlab } from '../report/gitlab.js';
import { renderJunit } from '../report/junit.js';
import { checkRuleOptions, OUTPUT_FORMATS, perFileIgnored, resolveSelection, type OutputFormat } from './config.js';
import { findings, type FindingOptions } from './findings.js';
import { UsageError, VERSION, type CliIO } from './io.js';
import { inScope, resolveProject } from './project.js';
import { planFormat, writePlanReport } from './plan-report.js';
import { createProgress } from './progress.js';


// A Celery release as users write it: 5, 5.5, 4.4.7 (a leading v is tolerated).
const RELEASE = /^v?\d+(\.\d+){0,2}$/;
export interface LintCommandOptions {
  root?: string;
  config?: string;
  select?: string[];
  ignore?: string[];
  extendSelect?: string[];
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  outputFormat?: string;
  from?: string;
  to?: string;
  exitZero?: boolean;
  reportUnusedNoqa?: boolean;
  baseline?: string;
  writeBaseline?: string;
  pruneBaseline?: boolean;
  /** False with --no-cache. */
  cache?: boolean;
  /** migrate-check: write the upgrade plan to this .md or .html file. */
  report?: string;
  /** No progress indicator and no notes on stderr. */
  quiet?: boolean;
}

/** What a rule takes in the configuration's `rules` table: none of them takes options yet. */
const RULE_OPTIONS: ReadonlyMap<string, readonly string[]> = new Map(allRules.map((r) => [r.meta.code, []]));

/** `check` and `migrate-check`: build the model, lint, optionally fix, report; returns the exit code. */
export async function runLint(mode: 'check' | 'migrate', paths: string[], opts: LintCommandOptions, io: CliIO): Promise<number> {
  if (opts.outputFormat !== undefined && !isFormat(opts.outputFormat)) {
    throw new UsageError(`celery-lint: unknown --output-format ${opts.outputFormat} (choose from ${OUTPUT_FORMATS.join(', ')})`);
  }
  if (opts.pruneBaseline && !opts.baseline) throw new UsageError('celery-lint: --prune-baseline needs --baseline FILE');
  for (const [flag, v] of [['--to', opts.to], ['--from', opts.from]] as const) {
    if (v !== undefined && !RELEASE.test(v)) throw new UsageError(`celery-lint: ${flag} takes a Celery release such as 5.5 or 4.4.7, not ${JSON.stringify(v)}`);
  }
  if (opts.report) planFormat(opts.report);
  const project = resolveProject(io.cwd, paths, opts);
  const { root, scope } = project;
  const config = project.config?.config;
  if (project.config) checkRuleOptions(project.config, RULE_OPTIONS);
  const format = opts.outputFormat ?? config?.outputFormat ?? 'text';
  const baselinePath = opts.baseline && path.resolve(io.cwd, opts.baseline);
  const baseline = baselinePath ? readBaseline(baselinePath, opts.baseline) : undefined;
  const findingOpts: FindingOptions = {
    mode,
    selection: resolveSelection(config, opts),
    from: opts.from,
    to: opts.to ?? config?.targetVersion,
    currentVersion: config?.currentVersion,
    perFileIgnored: perFileIgnored(config),
    scope,
    reportUnusedNoqa: !!opts.reportUnusedNoqa,
    baseline,
    timing: !!process.env.CELERY_LINT_TIMING,
  };
  const stages: [string, number][] = [];
  let stageStart = performance.now();
  const stage = (name: string) => {
    const now = performance.now();
    stages.push([name, now - stageStart]);
    stageStart = now;
  };
  // Settings live in one file and tasks in another: the model is always built from the whole project, and
  // findings are kept for the paths given (pre-commit passes only the changed files).
  const build = { exclude: config?.exclude ?? [] };

  if (opts.fix || opts.diff) {
    // Only what would be reported is fixed: never a finding a `# noqa`, per-file-ignores or the baseline hides.
    const lintModel = (m: ProjectModel, text: (file: string) => string | undefined) => findings(m, text, findingOpts).reported;
    const fixes = await computeFixes(root, [], { ...build, unsafe: !!opts.unsafeFixes, lint: lintModel });
    for (const f of fixes.failures) io.stderr.write(`celery-lint: ${f.file}: ${f.message}\n`);
    if (opts.diff) {
      // Loaded here: only --diff needs it, and every run pays for what the CLI imports.
      const { createTwoFilesPatch } = await import('diff');
      for (const [file, { before, after }] of fixes.changed) io.stdout.write(maskSecretsInText(createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after)));
      return fixes.changed.size > 0 ? 1 : 0;
    }
    writeFixes(root, fixes);
    if (fixes.changed.size) io.stderr.write(`Fixed ${plural(fixes.fixesApplied, 'finding')} in ${plural(fixes.changed.size, 'file')}.\n`);
  }

  const progress = createProgress(io.stderr, { enabled: !!io.stderr.isTTY && !opts.quiet });
  const modelStage = findingOpts.timing ? (name: string) => stage(`  model: ${name}`) : undefined;
  const model = await buildModel(root, [], { ...build, factCache: opts.cache === false ? undefined : openFactCache(root), progress: progress.update, stage: modelStage });
  progress.end();
  stage(findingOpts.timing ? '  model: save cache, link' : 'model (discover, read, parse, sources)');
  const texts = new Map<string, string | undefined>();
  const source = (file: string) => {
    if (!texts.has(file)) {
      const r = readText(path.join(root, file), file);
      texts.set(file, r.ok ? r.text : undefined);
    }
    return texts.get(file);
  };
  const found = findings(model, source, findingOpts);
  stage('rules, suppressions, baseline');
  if (!opts.quiet) for (const note of found.lint.notes) io.stderr.write(`note: ${note}\n`);
  for (const p of model.problems) {
    if (p.severity === 'error') io.stderr.write(`${p.span ? `${p.span.file}:${p.span.start.line}:${p.span.start.column}` : p.file}: ${p.message}\n`);
  }

  if (opts.writeBaseline) {
    writeBaseline(path.resolve(io.cwd, opts.writeBaseline), createBaseline(found.current, source));
    io.stderr.write(`Wrote ${plural(found.current.length, 'finding')} to ${opts.writeBaseline}.\n`);
    return 0;
  }
  if (opts.pruneBaseline && baseline && baselinePath) {
    // Entries for files outside the paths given, or for rules that did not run, could not match: they stay.
    const checked = (e: BaselineEntry) => inScope(scope, e.file) && found.ran(e.code);
    const pruned = pruneBaseline(baseline, found.current, source, checked);
    const removed = baseline.findings.length - pruned.findings.length;
    if (removed > 0) writeBaseline(baselinePath, pruned);
    io.stderr.write(`Removed ${plural(removed, 'stale baseline entry', 'stale baseline entries')} from ${opts.baseline}.\n`);
  }

  const result = { ...found.lint, diagnostics: found.reported };
  if (opts.report) {
    writePlanReport({ file: path.resolve(io.cwd, opts.report), name: opts.report, root, result, model, source, paths, from: opts.from });
    io.stderr.write(`Wrote the upgrade plan to ${opts.report}.\n`);
  }
  const unparsed = new Set(model.problems.filter((p) => p.severity === 'error' && p.message.startsWith('syntax error') && inScope(scope, p.file)).map((p) => p.file)).size;
  io.stdout.write(render(format, result, source, !!opts.unsafeFixes, io, unparsed));
  stage('report');
  if (findingOpts.timing) io.stderr.write(renderTimings(stages, found.lint.timings ?? []));
  if (opts.exitZero) return 0;
  return result.diagnostics.length > 0 ? 1 : 0;
}

/** CELERY_LINT_TIMING=1 (as ESLint's TIMING): where a run's time went, the ten slowest rules. */
function renderTimings(stages: [string, number][], rules: NonNullable<LintResult['timings']>): string {
  const ms = (n: number) => n.toFixed(1).padStart(9);
  const lines = ['', 'Stage                                    |  Time (ms)'];
  // Sources that took under a millisecond (most, in most projects) are summed on one row where they ran.
  let small = 0;
  for (const [name, t] of stages) {
    const source = name.startsWith('  model: ') && name !== '  model: discover' && name !== '  model: save cache, link';
    if (source && t < 1) {
      small += t;
      continue;
    }
    if (small > 0 && !source) {
      lines.push(`${'  model: other sources (< 1 ms each)'.padEnd(40)} | ${ms(small)}`);
      small = 0;
    }
    lines.push(`${name.padEnd(40)} | ${ms(t)}`);
  }
  const total = rules.reduce((s, r) => s + r.ms, 0);
  lines.push('', 'Rule                                     |  Time (ms) | Relative');
  for (const r of [...rules].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
    lines.push(`${`${r.code} ${r.name}`.padEnd(40)} | ${ms(r.ms)} | ${total ? ((100 * r.ms) / total).toFixed(1).padStart(6) : '0.0'.padStart(6)}%`);
  }
  return `${lines.join('\n')}\n`;
}

const isFormat = (f: string): f is OutputFormat => (OUTPUT_FORMATS as readonly string[]).includes(f);

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function render(format: string, result: LintResult, source: (f: string) => string | undefined, unsafe: boolean, io: CliIO, unparsed: number): string {
  if (format === 'json') return renderJson(result.diagnostics, source);
  if (format === 'sarif') return renderSarif(result.diagnostics, [...allRules.map((r) => r.meta), UNUSED_NOQA], { version: VERSION, source });
  if (format === 'github') return renderGithub(result.diagnostics);
  if (format === 'gitlab') return renderGitlab(result.diagnostics, source);
  if (format === 'junit') return renderJunit(result.diagnostics);
  if (format === 'concise') return renderConcise(result.diagnostics, unsafe, unparsed);
  const color = !!io.stdout.isTTY && !process.env.NO_COLOR;
  const header = result.versions.mode === 'migrate' ? migrateHeader(result) : '';
  return header + renderText(result.diagnostics, { color, source, unsafeFixes: unsafe, unparsed });
}

function migrateHeader(r: LintResult): string {
  // a project without Celery has no path (its note says so)
  if (!r.steps.length && r.versions.currentSource === 'unknown') return '';
  const steps = r.steps.map((s) => s.label).join(', ');
  return `Upgrade path ${r.versions.current} → ${r.versions.target}: ${steps || 'no step'}\n\n`;
}
