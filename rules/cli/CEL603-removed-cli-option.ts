import { compareVersions, knowledge, type CliChange } from '../../src/engine/knowledge.js';
import { createRule, type Fix, type RuleContext } from '../../src/engine/types.js';
import type { CeleryCommand, CliOption } from '../../src/model/types.js';
import { deleteOption, isCeleryUmbrella, optionText, programSpan } from './argv.js';

type Change = CliChange & { release: string };

export default createRule({
  meta: {
    code: 'CEL603',
    name: 'removed-cli-option',
    summary: 'A Celery program, sub-command, option or option value that the target release removed or renamed.',
    why:
      'Deploy files outlive upgrades. Celery 3.1 dropped celeryctl, celeryev and camqadm; 4.0 stopped installing ' +
      'celeryd, celerybeat and celeryd-multi, removed `worker --autoreload` (the worker fails at startup) and ignores ' +
      '--no-execv/--force-execv; the django-celery `manage.py celery …` commands need Celery < 4.0. Celery 5.0 ' +
      '(click) rejects --maxtasksperchild and --maxmemperchild (renamed --max-tasks-per-child and ' +
      '--max-memory-per-child in 4.0, which kept the old names as aliases), --no-execv and --force-execv, ' +
      '`-O fast`/`-O fcfs` (only default and fair are accepted) and `celery help`. Each of these makes the process ' +
      'exit at start with a usage error, so the worker or beat the file describes does not run. The facts are ' +
      "rules/knowledge/removed.yaml's `cli` list, read from celery/bin/*.py and setup.py at the release tags.",
    example: 'worker: celery -A proj worker --maxtasksperchild=100',
    useInstead: 'worker: celery -A proj worker --max-tasks-per-child=100',
    fixSafety: 'sometimes',
    versions: { description: 'Programs and options removed in Celery 3.1, 4.0 and 5.0 (and ignored in 4.x).' },
    references: [
      'https://github.com/celery/celery/blob/v5.0.0/celery/bin/worker.py',
      'https://github.com/celery/celery/blob/v4.0.0/docs/whatsnew-4.0.rst',
      'https://github.com/celery/celery/blob/v3.1.0/docs/whatsnew-3.1.rst',
      'https://github.com/celery/django-celery/blob/3.3.1/requirements/default.txt',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const changes = knowledge().cliChanges().filter((c) => compareVersions(target, c.release) >= 0);
    for (const cmd of model.commands) {
      const program = removedProgram(cmd, changes);
      if (program) {
        reportProgram(ctx, cmd, program);
        continue;
      }
      const sub = cmd.subcommand;
      if (sub === undefined) continue;
      const command = changes.find((c) => c.kind === 'command-removed' && c.command === sub);
      if (command && isCeleryUmbrella(cmd) && cmd.subcommandSpan) {
        ctx.report({
          message: `\`celery ${sub}\` does not exist from Celery ${line(command.release)} (${command.error ?? 'no such command'}); use \`${command.replacement}\`.`,
          span: cmd.subcommandSpan,
          since: command.release,
          fix: { applicability: 'display-only', message: `Use \`${command.replacement}\``, edits: [] },
        });
        continue;
      }
      for (const o of cmd.options) {
        if (o.position !== 'subcommand') continue;
        const change = latestFor(changes, o, sub);
        if (change) reportOption(ctx, cmd, o, change, changes);
      }
    }
  },
});

function line(release: string): string {
  return release.replace(/\.0$/, '');
}

function removedProgram(cmd: CeleryCommand, changes: Change[]): { change: Change; parts: string[] } | undefined {
  for (const c of changes) {
    if (c.kind !== 'program-removed' || !c.program) continue;
    if (c.commands) {
      const name = c.commands.find((n) => cmd.program === `${c.program} ${n}`);
      if (name !== undefined) return { change: c, parts: [c.program, name] };
    } else if (cmd.program === c.program) return { change: c, parts: [c.program] };
  }
  return undefined;
}

function reportProgram(ctx: RuleContext, cmd: CeleryCommand, { change, parts }: { change: Change; parts: string[] }): void {
  const what = parts.join(' ');
  const global = compareVersions(ctx.versions.target ?? '0', '5.0.0') >= 0 ? ', with -A/--app before the sub-command' : '';
  ctx.report({
    message:
      `\`${what}\` is gone from Celery ${line(change.release)}${change.effect ? ` (${change.effect})` : ''}: the process does ` +
      `not start. Use \`${change.replacement}\`${global}.`,
    span: programSpan(cmd, parts),
    since: change.release,
    fix: { applicability: 'display-only', message: `Run \`${change.replacement}\` instead of \`${what}\``, edits: [] },
  });
}

/** The newest change of this option for this sub-command (`multi` hands worker options to the workers it starts). */
function latestFor(changes: Change[], o: CliOption, sub: string): Change | undefined {
  const matching = changes.filter((c) => {
    if (c.option !== o.name || (c.command !== sub && !(c.command === 'worker' && sub === 'multi'))) return false;
    if (c.kind === 'value-removed') return o.value !== undefined && (c.values ?? []).includes(o.value);
    return c.kind === 'removed' || c.kind === 'renamed' || c.kind === 'ignored';
  });
  return matching.at(-1);
}

function reportOption(ctx: RuleContext, cmd: CeleryCommand, o: CliOption, c: Change, all: Change[]): void {
  const sub = cmd.subcommand ?? '';
  const at = line(c.release);
  const fails = c.error ? ` exits with "${c.error}"` : ' fails at startup';
  let message: string;
  let fix: Fix;
  if (c.kind === 'renamed' && c.replacement) {
    message = `\`${sub} ${o.name}\` is not accepted from Celery ${at}: the command${fails}. It was renamed ${c.replacement} (accepted since ${line(c.replacementSince ?? c.release)}).`;
    fix = renameFix(cmd, o, c, ctx.versions.current);
  } else if (c.kind === 'value-removed') {
    message = `\`${sub} ${o.name} ${o.value}\` is not accepted from Celery ${at}: the command${fails}. Accepted values: ${(c.accepted ?? []).join(', ')}.`;
    fix = { applicability: 'display-only', message: `Choose ${o.name} ${(c.accepted ?? []).join(' or ')}, or drop the option`, edits: [] };
  } else if (c.kind === 'ignored') {
    message = `\`${sub} ${o.name}\` has no effect from Celery ${at} (${c.effect ?? 'ignored'})${removalNote(o, all)}; remove it.`;
    const current = ctx.versions.current;
    fix = deletionFix(cmd, o, current !== undefined && compareVersions(current, c.release) >= 0 ? 'safe' : 'unsafe');
  } else {
    const ignoredSince = all.find((x) => x.kind === 'ignored' && x.option === o.name && x.command === c.command)?.release;
    const current = ctx.versions.current;
    const inert = ignoredSince !== undefined && current !== undefined && compareVersions(current, ignoredSince) >= 0;
    message = `\`${sub} ${o.name}\` is removed in Celery ${at}: the command${fails}.` + (inert ? ` It has had no effect since ${line(ignoredSince ?? '')}; remove it.` : ' Remove it.');
    fix = inert ? deletionFix(cmd, o, 'safe') : { applicability: 'display-only', message: `Remove ${o.name}`, edits: [] };
  }
  ctx.report({ message, span: o.span, since: c.release, ...(c.kind === 'ignored' ? { severity: 'warning' as const } : {}), fix });
}

function removalNote(o: CliOption, all: Change[]): string {
  const later = knowledge().cliChanges().find((c) => c.kind === 'removed' && c.option === o.name && !all.includes(c));
  return later ? ` and is rejected from ${line(later.release)}` : '';
}

/** Safe when the release running now already accepts the new name (4.0 kept the old one as an alias). */
function renameFix(cmd: CeleryCommand, o: CliOption, c: Change, current: string | undefined): Fix {
  const text = optionText(cmd, o);
  const at = text.indexOf(o.name);
  const message = `Rename ${o.name} to ${c.replacement}`;
  if (at < 0 || !c.replacement) return { applicability: 'display-only', message, edits: [] };
  const start = o.span.start.offset + at;
  const safe = current !== undefined && compareVersions(current, c.replacementSince ?? c.release) >= 0;
  return { applicability: safe ? 'safe' : 'unsafe', message, edits: [{ file: cmd.file, start, end: start + o.name.length, content: c.replacement }] };
}

function deletionFix(cmd: CeleryCommand, o: CliOption, applicability: 'safe' | 'unsafe'): Fix {
  const edit = deleteOption(cmd, o);
  const message = `Remove ${o.name}`;
  return edit ? { applicability, message, edits: [edit] } : { applicability: 'display-only', message, edits: [] };
}
