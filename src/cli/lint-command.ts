import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { allRules } from '../../rules/index.js';
import { computeFixes, writeFixes } from '../engine/fixer.js';
import { lint, type LintResult } from '../engine/run.js';
import { newestRelease } from '../engine/knowledge.js';
import { buildModel } from '../model/build.js';
import { readText } from '../discover/read.js';
import { renderConcise, renderText } from '../report/text.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderGithub } from '../report/github.js';
import { renderGitlab } from '../report/gitlab.js';
import { renderJunit } from '../report/junit.js';
import { UNUSED_NOQA } from '../engine/suppress.js';
import { VERSION } from './io.js';
import { maskSecrets } from '../model/url.js';
import type { ProjectModel } from '../model/types.js';
import { UsageError, type CliIO } from './io.js';
import { resolveRoot } from './program.js';

export interface LintCommandOptions {
  root?: string;
  select?: string[];
  ignore?: string[];
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  outputFormat?: string;
  from?: string;
  to?: string;
  exitZero?: boolean;
}

const FORMATS = ['text', 'concise', 'json', 'sarif', 'github', 'gitlab', 'junit'];

/** `check` and `migrate-check`: build the model, lint, optionally fix, report; returns the exit code. */
export async function runLint(mode: 'check' | 'migrate', paths: string[], opts: LintCommandOptions, io: CliIO): Promise<number> {
  const format = opts.outputFormat ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`celery-lint: unknown --output-format ${format} (choose from ${FORMATS.join(', ')})`);
  const resolved = resolveRoot(io.cwd, paths, opts.root);
  const root = resolved.root;
  // Settings live in one file and tasks in another: the model is always built from the whole project, and
  // findings are kept for the paths given (pre-commit passes only the changed files).
  const only = reportScope(root, resolved.rel);
  const rel: string[] = [];
  const lintOpts = { mode, rules: allRules, newest: newestRelease(), from: opts.from, to: opts.to, select: opts.select, ignore: opts.ignore };
  const lintModel = (m: ProjectModel) => lint(m, lintOpts).diagnostics.filter((d) => inScope(only, d.span.file));

  if (opts.fix || opts.diff) {
    const fixes = await computeFixes(root, rel, { unsafe: !!opts.unsafeFixes, lint: lintModel });
    for (const f of fixes.failures) io.stderr.write(`celery-lint: ${f.file}: ${f.message}\n`);
    if (opts.diff) {
      for (const [file, { before, after }] of fixes.changed) io.stdout.write(maskSecrets(createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after)));
      return fixes.changed.size > 0 ? 1 : 0;
    }
    writeFixes(root, fixes);
    if (fixes.changed.size) io.stderr.write(`Fixed ${fixes.fixesApplied} finding${fixes.fixesApplied === 1 ? '' : 's'} in ${fixes.changed.size} file${fixes.changed.size === 1 ? '' : 's'}.\n`);
  }

  const model = await buildModel(root, rel);
  const full = lint(model, lintOpts);
  const result = { ...full, diagnostics: full.diagnostics.filter((d) => inScope(only, d.span.file)) };
  const source = (file: string) => {
    const r = readText(path.join(root, file), file);
    return r.ok ? r.text : undefined;
  };
  for (const note of result.notes) io.stderr.write(`note: ${note}\n`);
  for (const p of model.problems) {
    if (p.severity === 'error') io.stderr.write(`${p.span ? `${p.span.file}:${p.span.start.line}:${p.span.start.column}` : p.file}: ${p.message}\n`);
  }
  io.stdout.write(render(format, result, source, !!opts.unsafeFixes, io));
  if (opts.exitZero) return 0;
  return result.diagnostics.length > 0 ? 1 : 0;
}

function render(format: string, result: LintResult, source: (f: string) => string | undefined, unsafe: boolean, io: CliIO): string {
  if (format === 'json') return renderJson(result.diagnostics, source);
  if (format === 'sarif') return renderSarif(result.diagnostics, [...allRules.map((r) => r.meta), UNUSED_NOQA], { version: VERSION, source });
  if (format === 'github') return renderGithub(result.diagnostics);
  if (format === 'gitlab') return renderGitlab(result.diagnostics, source);
  if (format === 'junit') return renderJunit(result.diagnostics);
  if (format === 'concise') return renderConcise(result.diagnostics, unsafe);
  const color = !!io.stdout.isTTY && !process.env.NO_COLOR;
  const header = result.versions.mode === 'migrate' ? migrateHeader(result) : '';
  return header + renderText(result.diagnostics, { color, source, unsafeFixes: unsafe });
}

function migrateHeader(r: LintResult): string {
  const steps = r.steps.map((s) => s.label).join(', ');
  return `Upgrade path ${r.versions.current} → ${r.versions.target}: ${steps || 'no step'}\n\n`;
}


/** Relative files/folders findings are limited to, or undefined for the whole project. */
function reportScope(root: string, rel: string[]): string[] | undefined {
  const scoped = rel.map((r) => r.split(path.sep).join('/')).filter((r) => r !== '.' && r !== '');
  if (scoped.length === 0) return undefined;
  for (const r of scoped) {
    if (!fs.existsSync(path.join(root, r))) throw new UsageError(`celery-lint: path not found: ${r}`);
  }
  return scoped;
}

function inScope(scope: string[] | undefined, file: string): boolean {
  return !scope || scope.some((s) => file === s || file.startsWith(`${s.replace(/\/$/, '')}/`));
}
