import { Command, CommanderError } from 'commander';
import { MissingPathError } from '../discover/walk.js';
import { BaselineError } from '../engine/baseline.js';
import { buildModel } from '../sources/build.js';
import { CACHE_DIR } from '../model/fact-cache.js';
import { inspectJson, inspectText } from '../report/inspect.js';
import { redact } from '../report/redact.js';
import { UsageError, type CliIO } from './io.js';
import { runLint, type LintCommandOptions } from './lint-command.js';
import { resolveRoot } from './project.js';
import { allRules, ruleByCode } from '../../rules/index.js';
import { ruleMarkdown } from '../report/rule-docs.js';

import { VERSION } from './io.js';

export { VERSION };

/** Runs the CLI and returns the exit code: 0 clean, 1 findings, 2 usage/config/internal error. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = new Command();
  let code = 0;
  program
    .name('celery-lint')
    .description('Static upgrade-compatibility linter for Celery projects')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('inspect')
    .description('Print what celery-lint understands of a project: apps, settings, tasks, call sites, deploy commands, versions')
    .argument('[paths...]', 'files or folders to analyse (default: .)')
    .option('--root <dir>', 'project root (default: the folder given, or the current folder)')
    .option('--json', 'print the whole model as JSON')
    .action(async (paths: string[], opts: { root?: string; json?: boolean }) => {
      const { root, rel } = resolveRoot(io.cwd, paths, opts.root);
      const model = await buildModel(root, rel);
      io.stdout.write(opts.json ? `${JSON.stringify(redact(inspectJson(model)), null, 2)}\n` : inspectText(redact(model)));
      code = 0;
    });

  const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
  const lintOptions = (cmd: Command) =>
    cmd
      .argument('[paths...]', 'files or folders to analyse (default: .)')
      .option('--root <dir>', 'project root (default: the folder of the configuration, else the folder given, or the current folder)')
      .option('--config <file>', 'configuration file (pyproject.toml or .celery-lint.yaml; default: found from the first path upward)')
      .option('--select <codes>', 'only these rule codes or prefixes (comma-separated, repeatable; replaces the configured select and ignore)', list)
      .option('--ignore <codes>', 'skip these rule codes or prefixes', list)
      .option('--extend-select <codes>', 'add these rule codes or prefixes to the selection', list)
      .option('--fix', 'apply safe fixes')
      .option('--unsafe-fixes', 'also apply unsafe fixes (with --fix), and show them as fixable')
      .option('--diff', 'print the changes --fix would make, write nothing')
      .option('--output-format <format>', 'text, concise, json, sarif, github, gitlab or junit (default: text)')
      .option('--exit-zero', 'exit 0 even when there are findings')
      .option('-q, --quiet', 'print no progress indicator and no notes on stderr')
      .option('--report-unused-noqa', 'report noqa directives that suppress nothing (CEL900)')
      .option('--baseline <file>', 'report only findings not recorded in this baseline file')
      .option('--write-baseline <file>', 'record the current findings in this file and exit 0')
      .option('--prune-baseline', 'with --baseline: remove entries that no longer match a finding from the file')
      .option('--no-cache', `analyse every file again instead of reading unchanged files' facts from ${CACHE_DIR}/`);

  lintOptions(program.command('check').description('Check a project against the rules for the Celery version it runs'))
    .action(async (paths: string[], opts: LintCommandOptions) => {
      code = await runLint('check', paths, opts, io);
    });

  lintOptions(program.command('migrate-check').description('Check a project for an upgrade: every step from the current Celery version to --to'))
    .option('--to <version>', 'target Celery release (default: the newest one celery-lint knows)')
    .option('--from <version>', 'current Celery release (default: from pins, or inferred)')
    .option('--report <file>', 'also write an upgrade plan with a checklist: Markdown (.md) or self-contained HTML (.html)')
    .action(async (paths: string[], opts: LintCommandOptions) => {
      code = await runLint('migrate', paths, opts, io);
    });

  program
    .command('rules')
    .description('List every rule')
    .action(() => {
      for (const r of allRules) {
        const fix = r.meta.fixSafety === 'none' ? '   ' : r.meta.fixSafety === 'safe' ? 'fix' : 'fix*';
        io.stdout.write(`${r.meta.code}  ${fix.padEnd(4)} ${r.meta.name.padEnd(40)} ${r.meta.versions.description}\n`);
      }
    });

  program
    .command('rule')
    .description("Print a rule's documentation")
    .argument('<code>', 'rule code, e.g. CEL101')
    .action((c: string) => {
      const r = ruleByCode(c);
      if (!r) throw new UsageError(`celery-lint: unknown rule ${c} (see \`celery-lint rules\`)`);
      io.stdout.write(ruleMarkdown(r));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof MissingPathError || e instanceof UsageError || e instanceof BaselineError) {
      io.stderr.write(`${e.message}\n`);
      return 2;
    }
    io.stderr.write(`celery-lint: internal error: ${(e as Error).message}\n`);
    if (process.env.CELERY_LINT_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    return 2;
  }
  return code;
}
