import { compareVersions, knowledge, type CliChange } from '../../src/engine/knowledge.js';
import { createRule, type Applicability, type Edit, type Fix } from '../../src/engine/types.js';
import type { CeleryCommand, CliOption } from '../../src/model/types.js';
import { deleteOption, gapBefore, isCeleryUmbrella, optionText, valueIsOwnWord } from './argv.js';

type Change = CliChange & { release: string };

export default createRule({
  meta: {
    code: 'CEL602',
    name: 'cli-option-order',
    summary: 'Global options such as -A/--app written after the sub-command (`celery worker -A proj`).',
    why:
      'Celery 5 replaced the argparse command line with click (celery/bin/celery.py at v5.0.0): -A/--app, ' +
      '-b/--broker, --result-backend, --loader, --config, --workdir, -C/--no-color and -q/--quiet (and --skip-checks ' +
      'from 5.3) are options of the `celery` group only, so written after the sub-command they are unknown to it: ' +
      '`celery worker -A proj` exits with status 2 and "Error: No such option: -A" (5.0.1+ also prints "You are ' +
      'using `-A` as an option of the worker sub-command"), and the worker, beat or inspect call never runs. ' +
      'Celery 3.1 and 4.x read these options anywhere on the line, so the Celery 3/4 style keeps working until the ' +
      'upgrade and then every deploy that uses it fails at once. `celery multi` passes its options on to the ' +
      'workers it starts and is not affected. The fix moves the options, with their values exactly as written, ' +
      'in front of the sub-command; that order means the same in 4.x. Before 4.4.7 Celery misread a long option ' +
      'with a separate value (`--app proj`) or a flag (`-q`) directly before the sub-command, so for projects still ' +
      'on an older release that fix is offered as unsafe.',
    example: 'worker: celery worker -A proj -l info',
    useInstead: 'worker: celery -A proj worker -l info',
    fixSafety: 'sometimes',
    versions: { description: 'Celery 5.0 and later (5.3+ for --skip-checks).', introduced: '5.0.0' },
    references: [
      'https://github.com/celery/celery/blob/v5.0.0/celery/bin/celery.py',
      'https://docs.celeryq.dev/en/stable/history/whatsnew-5.0.html#step-3-update-your-command-line',
      'https://github.com/celery/celery/blob/v4.4.7/celery/bin/base.py',
      'https://github.com/celery/celery/issues/4558',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const changes = knowledge().cliChanges();
    const positions = changes.filter((c) => c.kind === 'global-options-position' && compareVersions(target, c.release) >= 0);
    if (!positions.length) return;
    const parsingFixedIn = changes.find((c) => c.kind === 'global-options-parsing')?.release;
    const current = ctx.versions.current;
    for (const cmd of model.commands) {
      const sub = cmd.subcommand;
      if (!isCeleryUmbrella(cmd) || sub === undefined || !cmd.subcommandSpan) continue;
      const applying = positions.filter((p) => p.commands?.includes(sub));
      const misplaced = cmd.options.filter((o) => o.position === 'subcommand' && applying.some((p) => p.options?.includes(o.name)));
      const first = misplaced[0];
      if (!first) continue;
      const names = [...new Set(misplaced.map((o) => o.name))];
      const since = releaseOf(applying, names);
      const error = `Error: No such option: ${first.name}`;
      ctx.report({
        message:
          `${names.join(', ')} ${names.length > 1 ? 'are global options' : 'is a global option'} of \`celery\` and must come ` +
          `before the sub-command from Celery ${since.replace(/\.0$/, '')}: written after \`${sub}\` the command exits with ` +
          `"${error}" and \`${sub}\` never runs. Write \`celery ${shape(misplaced)} ${sub} …\`.`,
        span: first.span,
        since,
        ...withFix(cmd, misplaced, current, parsingFixedIn),
      });
    }
  },
});

/** `-A … -q`: the options' names, with … for a value, without repeating a name. */
function shape(options: CliOption[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const o of options) {
    if (seen.has(o.name)) continue;
    seen.add(o.name);
    parts.push(o.value === undefined ? o.name : `${o.name} …`);
  }
  return parts.join(' ');
}

function releaseOf(applying: Change[], names: string[]): string {
  const releases = applying.filter((p) => names.some((n) => p.options?.includes(n))).map((p) => p.release);
  return releases.sort(compareVersions)[0] ?? '5.0.0';
}

/** Moves the misplaced options in front of the sub-command; no fix when the text between them is not plain separators. */
function withFix(cmd: CeleryCommand, misplaced: CliOption[], current: string | undefined, parsingFixedIn: string | undefined): { fix?: Fix } {
  const sub = cmd.subcommandSpan;
  const base = cmd.span.start.offset;
  const last = misplaced.at(-1);
  if (!sub || !last) return {};
  const between = cmd.raw.slice(sub.end.offset - base, last.span.end.offset - base);
  // A bracket means the options sit in another list (ENTRYPOINT vs CMD, command vs args): moving them would move argv between lists.
  if (/[[\]]/.test(between)) return {};
  const gap = gapBefore(cmd.raw, (misplaced[0]?.span.start.offset ?? 0) - base);
  if (gap === undefined) return {};
  const deletions: Edit[] = [];
  for (const o of misplaced) {
    const d = deleteOption(cmd, o);
    if (!d) return {};
    deletions.push(d);
  }
  // Flags go first: before 4.4.7 a flag directly before the sub-command swallowed it as its value.
  const moved = [...misplaced.filter((o) => o.value === undefined), ...misplaced.filter((o) => o.value !== undefined)];
  const insert: Edit = { file: cmd.file, start: sub.start.offset, end: sub.start.offset, content: moved.map((o) => optionText(cmd, o) + gap).join('') };
  const before = cmd.options.filter((o) => o.position === 'global');
  const safe = current !== undefined && ((parsingFixedIn !== undefined && compareVersions(current, parsingFixedIn) >= 0) || oldParserFindsSubcommand(cmd, [...before, ...moved]));
  const applicability: Applicability = safe ? 'safe' : 'unsafe';
  const message = safe
    ? `Move ${moved.map((o) => o.name).join(', ')} before \`${cmd.subcommand}\``
    : `Move ${moved.map((o) => o.name).join(', ')} before \`${cmd.subcommand}\` together with the upgrade (Celery before ` +
      `4.4.7 takes the word after \`--app proj\`-style options or a flag for the sub-command; \`--app=proj\` is read right by both)`;
  return { fix: { applicability, message, edits: [insert, ...deletions] } };
}

/**
 * Celery 3.1-4.4.6 found the sub-command with _relocate_args_from_start (celery/bin/celery.py): a word starting
 * with `--` is skipped alone, one starting with `-` takes the next word with it unless that starts with `-`, and the
 * first other word is the sub-command. True when that lands on the sub-command for these options written before it.
 */
function oldParserFindsSubcommand(cmd: CeleryCommand, prefix: CliOption[]): boolean {
  const words: string[] = [];
  for (const o of prefix) {
    if (o.value === undefined) words.push(o.name);
    else if (valueIsOwnWord(optionText(cmd, o))) words.push(o.name, o.value);
    else words.push(o.name.startsWith('--') ? `${o.name}=${o.value}` : `${o.name}${o.value}`);
  }
  words.push(cmd.subcommand ?? '');
  let i = 0;
  while (i < words.length) {
    const w = words[i] ?? '';
    if (w.startsWith('--')) i += 1;
    else if (w.startsWith('-')) i += i + 1 < words.length && !(words[i + 1] ?? '').startsWith('-') ? 2 : 1;
    else break;
  }
  return i === words.length - 1;
}
