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

const FORMATS = ['text', 'concise', 'json'];

/** `check` and `migrate-check`: build the model, lint, optionally fix, report; returns the exit code. */
export async function runLint(mode: 'check' | 'migrate', paths: string[], opts: LintCommandOptions, io: CliIO): Promise<number> {
  const format = opts.outputFormat ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`celery-lint: unknown --output-format ${format} (choose from ${FORMATS.join(', ')})`);
  const { root, rel } = resolveRoot(io.cwd, paths, opts.root);
  const lintOpts = { mode, rules: allRules, newest: newestRelease(), from: opts.from, to: opts.to, select: opts.select, ignore: opts.ignore };
  const lintModel = (m: ProjectModel) => lint(m, lintOpts).diagnostics;

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
  const result = lint(model, lintOpts);
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
  if (format === 'concise') return renderConcise(result.diagnostics, unsafe);
  const color = !!io.stdout.isTTY && !process.env.NO_COLOR;
  const header = result.versions.mode === 'migrate' ? migrateHeader(result) : '';
  return header + renderText(result.diagnostics, { color, source, unsafeFixes: unsafe });
}

function migrateHeader(r: LintResult): string {
  const steps = r.steps.map((s) => s.label).join(', ');
  return `Upgrade path ${r.versions.current} → ${r.versions.target}: ${steps || 'no step'}\n\n`;
}

