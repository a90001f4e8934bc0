// Recognises Celery invocations in shell command lines (Procfile lines, compose commands, ExecStart=, scripts) and
// turns them into CeleryCommand facts whose every option carries its exact span in the file.
import type { CeleryCommand, CliOption, WebServer } from './types.js';
import { shellTokens, simpleCommands, sliceText, type CommandTarget, type MappedText, type Word } from './shell-words.js';
import { addWebServer, webServerCommand } from './web-cli.js';

/** Every Celery invocation in a piece of shell text. */
export function celeryCommandsInText(target: CommandTarget, src: MappedText, depth = 0): CeleryCommand[] {
  return simpleCommands(shellTokens(src)).flatMap((words) => recognize(target, words, depth));
}

/** Every Celery invocation in a region of the file's own text. */
export function celeryCommandsInSlice(target: CommandTarget, start: number, end: number): CeleryCommand[] {
  return celeryCommandsInText(target, sliceText(target.index.text, start, end));
}

/**
 * An argument vector joined from two parts (ENTRYPOINT + CMD, compose entrypoint + command, k8s command + args): its
 * Celery commands, or undefined when it runs neither Celery nor a web server, and each part is to be read alone.
 */
export function joinedCommands(target: CommandTarget, words: Word[]): CeleryCommand[] | undefined {
  const sink: WebServer[] = [];
  const commands = recognize({ ...target, webServers: sink }, words, 0);
  if (!commands.length && !sink.length) return undefined;
  if (target.webServers) for (const ws of sink) addWebServer(target.webServers, ws);
  return commands;
}

/** A command given as an argument vector (exec form: compose/k8s lists, Dockerfile JSON arrays). */
export function celeryCommandsInWords(target: CommandTarget, words: Word[]): CeleryCommand[] {
  return recognize(target, words, 0);
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);
const CELERY3_PROGRAMS: Record<string, string | undefined> = {
  celeryd: 'worker',
  'celeryd-detach': 'worker',
  celerybeat: 'beat',
  celeryev: 'events',
  'celeryd-multi': 'multi',
  celerymon: undefined,
  camqadm: 'amqp',
};
const DJCELERY_COMMANDS: Record<string, string | undefined> = {
  celeryd: 'worker',
  celeryd_detach: 'worker',
  celerybeat: 'beat',
  celeryev: 'events',
  celerycam: 'events',
  celeryd_multi: 'multi',
  celerymon: undefined,
};
const PYTHON = /^(python|pypy)(\d+(\.\d+)*)?$/;
const NOT_WRAPPERS = new Set(['echo', 'printf', 'logger', 'log', 'info', 'warn', 'die', 'say', 'pkill', 'pgrep', 'kill', 'killall', 'ps', 'grep', 'which', 'type', 'pip', 'pip3', 'apt-get', 'apk', 'yum', 'brew', 'systemctl', 'service', 'supervisorctl']);
const CELERY_SUBCOMMAND_OR_OPTION = /^(worker|beat|multi|flower|events|inspect|control|status|purge|call|result|report|shell|migrate|graph|logtool|amqp|upgrade|-[-A-Za-z])/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function basename(s: string): string {
  const b = s.slice(s.lastIndexOf('/') + 1);
  // The Celery documentation's init scripts and systemd units call the program through $CELERY_BIN.
  return /^\$\{?CELERY_BIN\}?$/.test(b) ? 'celery' : b;
}

function recognize(target: CommandTarget, words: Word[], depth: number): CeleryCommand[] {
  let i = 0;
  while (i < words.length && (ASSIGNMENT.test(words[i]?.value ?? '') || KEYWORDS.has(words[i]?.value ?? ''))) i++;
  for (let hops = 0; hops < 12; hops++) {
    const w = words[i];
    if (!w) return [];
    const name = basename(w.value);
    if (SHELLS.has(name) || name === 'su' || name === 'runuser') {
      const script = shellScriptArgument(words, i);
      if (script) {
        return depth < 4 ? celeryCommandsInText(target, { text: script.value, offsets: script.offsets }, depth + 1) : [];
      }
      if (name !== 'runuser') return [];
    }
    if (PYTHON.test(name) || name === 'run-python') return fromPython(target, words, i, i + 1);
    if (name === 'coverage' && words[i + 1]?.value === 'run') return fromPython(target, words, i, i + 2);
    if (name === 'manage.py' || name === 'django-admin' || name === 'django-admin.py') return fromManagePy(target, words, i, i + 1);
    if (name === 'gunicorn' || name === 'uwsgi') return webServer(target, words, i, i + 1, name);
    if (name === 'celery') {
      const argv = expandVariables(target, words, i + 1);
      // a bare `celery` (a case label `celery)`, a help call) starts nothing
      return argv.length > i + 1 ? [build(target, argv, i, i + 1, 'celery')] : [];
    }
    if (Object.hasOwn(CELERY3_PROGRAMS, name)) return [build(target, words, i, i + 1, name, CELERY3_PROGRAMS[name] ?? '')];
    const next = unwrap(words, i, name);
    if (next === undefined || next <= i) return [];
    i = next;
  }
  return [];
}

const VARIABLE = /^\$\{?([A-Za-z_]\w*)\}?$/;
const assignmentsByText = new Map<string, Word[][]>();

/**
 * `ARGUMENTS="-A proj worker --time-limit=300"` then `celery $ARGUMENTS` (IntelOwl's entrypoints): a word that is
 * only a variable set to a literal earlier in the same file stands for that value's words, split as the shell splits
 * an unquoted expansion, each keeping its offsets in the assignment.
 */
function expandVariables(target: CommandTarget, words: Word[], from: number): Word[] {
  if (!words.slice(from).some((w) => VARIABLE.test(w.value))) return words;
  const text = target.index.text;
  let commands = assignmentsByText.get(text);
  if (!commands) {
    if (assignmentsByText.size > 64) assignmentsByText.clear();
    commands = simpleCommands(shellTokens(sliceText(text, 0, text.length)));
    assignmentsByText.set(text, commands);
  }
  const out = words.slice(0, from);
  for (const w of words.slice(from)) {
    const name = VARIABLE.exec(w.value)?.[1];
    const value = name ? lastAssignment(commands, name, w.start) : undefined;
    if (value) out.push(...simpleCommands(shellTokens(value)).flat());
    else out.push(w);
  }
  return out;
}

function lastAssignment(commands: Word[][], name: string, before: number): MappedText | undefined {
  let found: MappedText | undefined;
  for (const cmd of commands) {
    const words = ['export', 'local', 'readonly', 'declare'].includes(cmd[0]?.value ?? '') ? cmd.slice(1) : cmd.slice(0, 1);
    for (const w of words) {
      if (w.start >= before || !w.value.startsWith(`${name}=`)) continue;
      const at = name.length + 1;
      // a value that itself expands something is not a literal
      found = w.value.includes('$') ? undefined : { text: w.value.slice(at), offsets: w.offsets.slice(at) };
    }
  }
  return found;
}

/** The script of `sh -c '...'`, `bash -lc "..."`, `su user -c "..."`. */
function shellScriptArgument(words: Word[], i: number): Word | undefined {
  for (let j = i + 1; j < words.length; j++) {
    const v = words[j]?.value ?? '';
    if (v === '--command' || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) return words[j + 1];
    if (!v.startsWith('-') && basename(words[i]?.value ?? '') !== 'su') return undefined;
  }
  return undefined;
}

function skipOptions(words: Word[], i: number, valued: ReadonlySet<string> = new Set()): number {
  let j = i;
  while (j < words.length) {
    const v = words[j]?.value ?? '';
    if (v === '--') return j + 1;
    if (!v.startsWith('-') || v === '-') return j;
    j += valued.has(v) ? 2 : 1;
  }
  return j;
}

const WRAPPER_VALUES: Record<string, ReadonlySet<string>> = {
  exec: new Set(['-a']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p', '--class', '--classdata']),
  stdbuf: new Set(['-i', '-o', '-e']),
  sudo: new Set(['-u', '-g', '-U', '-C', '-h', '-p', '-r', '-t', '-D', '-R', '-T', '--user', '--group']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  tini: new Set(['-p', '-e']),
  docker: new Set(['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys', '--name', '--entrypoint', '-v', '--volume', '-p', '--publish', '-l', '--label', '--index']),
  'dumb-init': new Set(['-r', '--rewrite']),
  chpst: new Set(['-u', '-U', '-e', '-/', '-n', '-l', '-L', '-m', '-d', '-o', '-p', '-f', '-c', '-r', '-t']),
  runuser: new Set(['-u', '-g', '-G', '--user', '--group']),
  uv: new Set(['--with', '--with-requirements', '--python', '-p', '--env-file', '--directory', '--project', '--extra', '--group', '--package', '--index-url']),
  watchmedo: new Set(['-d', '--directory', '-p', '--patterns', '--pattern', '-i', '--ignore-patterns', '--signal', '--kill-after', '--debounce-interval', '--interval']),
  dotenv: new Set(['-f', '--file', '-e', '--export']),
  'opentelemetry-instrument': new Set(),
};

/** Index of the command a wrapper (exec, env, sudo, gosu, newrelic-admin run-program, poetry run, ...) runs. */
function unwrap(words: Word[], i: number, name: string): number | undefined {
  const next = words[i + 1]?.value;
  switch (name) {
    case 'exec':
    case 'nohup':
    case 'command':
    case 'builtin':
    case 'setsid':
    case 'time':
    case 'nice':
    case 'ionice':
    case 'stdbuf':
    case 'chpst':
    case 'tini':
    case 'dumb-init':
    case 'ddtrace-run':
    case 'sudo':
    case 'runuser':
    case 'catchsegv':
      return skipOptions(words, i + 1, WRAPPER_VALUES[name]);
    case 'env': {
      let j = skipOptions(words, i + 1, WRAPPER_VALUES.env);
      while (j < words.length && ASSIGNMENT.test(words[j]?.value ?? '')) j++;
      return j;
    }
    case 'gosu':
    case 'su-exec':
    case 'setuidgid':
      return i + 2;
    case 'timeout':
      return skipOptions(words, i + 1, WRAPPER_VALUES.timeout) + 1;
    case 'opentelemetry-instrument': {
      // All of its own options take a value (`--traces_exporter console`).
      let j = i + 1;
      while ((words[j]?.value ?? '').startsWith('--')) j += (words[j]?.value ?? '').includes('=') ? 1 : 2;
      return j;
    }
    case 'newrelic-admin':
      if (next === 'run-program') return i + 2;
      if (next === 'run-python') return i + 1;
      return undefined;
    case 'poetry':
    case 'pipenv':
    case 'pdm':
    case 'hatch':
    case 'rye':
    case 'uv':
      return next === 'run' ? skipOptions(words, i + 2, WRAPPER_VALUES.uv) : undefined;
    case 'docker':
    case 'podman':
    case 'docker-compose': {
      // `docker exec [options] CONTAINER command...`, `docker compose exec|run [options] SERVICE command...`
      let j = i + 1;
      if (name !== 'docker-compose' && next === 'compose') j++;
      else if (name !== 'docker-compose' && next !== 'exec') return undefined;
      const sub = words[j]?.value;
      if (sub !== 'exec' && !(sub === 'run' && (name === 'docker-compose' || next === 'compose'))) return undefined;
      return skipOptions(words, j + 1, WRAPPER_VALUES.docker) + 1;
    }
    case 'watchmedo':
      if (next !== 'auto-restart') return undefined;
      return skipOptions(words, i + 2, WRAPPER_VALUES.watchmedo);
    case 'dotenv': {
      const j = skipOptions(words, i + 1, WRAPPER_VALUES.dotenv);
      return words[j]?.value === 'run' ? skipOptions(words, j + 1) : undefined;
    }
    default:
      // Entrypoint and wait-for scripts (`/entrypoint.sh celery ...`, `wait-for-it.sh db:5432 -- celery ...`)
      // conventionally exec their remaining arguments.
      if (/\.sh$|^(docker-)?entrypoint$|^wait-for/.test(name)) {
        const dashes = words.findIndex((w, k) => k > i && w.value === '--');
        return dashes > 0 ? dashes + 1 : i + 1;
      }
      // A project script handed the command to run (`bin/start-pgbouncer celery -A proj worker`, Heroku's pgbouncer
      // buildpack): only when Celery or Python comes straight after it, so a script's own arguments are never taken.
      if ((words[i]?.value ?? '').includes('/') && next !== undefined && (basename(next) === 'celery' || PYTHON.test(basename(next)))) return i + 1;
      // A project's console script that hands `celery ...` to Celery's own command line (`nautobot-server celery
      // worker`, h's `hypothesis celery worker`): only when a Celery sub-command or option follows the word celery.
      if (next === 'celery' && !NOT_WRAPPERS.has(name) && CELERY_SUBCOMMAND_OR_OPTION.test(words[i + 2]?.value ?? '')) return i + 1;
      return undefined;
  }
}

/** A web server is not a Celery command: it is recorded on the side, for rules that need the web process's pool. */
function webServer(target: CommandTarget, words: Word[], start: number, from: number, server: 'gunicorn' | 'uwsgi'): CeleryCommand[] {
  if (target.webServers) addWebServer(target.webServers, webServerCommand(target, words, start, from, server));
  return [];
}

const PYTHON_VALUED = new Set(['-W', '-X', '-Q']);

function fromPython(target: CommandTarget, words: Word[], start: number, j: number): CeleryCommand[] {
  while (j < words.length) {
    const v = words[j]?.value ?? '';
    if (v === '-m') {
      const mod = words[j + 1]?.value;
      if (mod === 'gunicorn') return webServer(target, words, start, j + 2, 'gunicorn');
      return mod === 'celery' ? [build(target, words, start, j + 2, 'python -m celery')] : [];
    }
    if (v === '-c') return [];
    if (!v.startsWith('-')) return basename(v) === 'manage.py' ? fromManagePy(target, words, start, j + 1) : [];
    j += PYTHON_VALUED.has(v) ? 2 : 1;
  }
  return [];
}

function fromManagePy(target: CommandTarget, words: Word[], start: number, j: number): CeleryCommand[] {
  const sub = words[j]?.value ?? '';
  if (sub === 'celery') return [build(target, words, start, j + 1, 'manage.py celery')];
  if (Object.hasOwn(DJCELERY_COMMANDS, sub)) return [build(target, words, start, j + 1, `manage.py ${sub}`, DJCELERY_COMMANDS[sub] ?? '')];
  return [];
}

// Options that take a value, across Celery 3–5 subcommands, so a value is never taken for the subcommand.
const GLOBAL_VALUED = ['-A', '--app', '-b', '--broker', '--result-backend', '--loader', '--config', '--workdir'];
const GLOBAL_NAMES = new Set([...GLOBAL_VALUED, '-C', '--no-color', '-q', '--quiet']);
const VALUED = new Set([
  ...GLOBAL_VALUED,
  // worker / beat / daemon options
  '-c', '--concurrency', '-P', '--pool', '-l', '--loglevel', '-Q', '--queues', '-X', '--exclude-queues', '-n', '--hostname',
  '-I', '--include', '--time-limit', '--soft-time-limit', '--max-tasks-per-child', '--maxtasksperchild',
  '--max-memory-per-child', '--maxmemperchild', '-O', '--autoscale', '--prefetch-multiplier', '--heartbeat-interval',
  '--statedb', '-f', '--logfile', '--pidfile', '--uid', '--gid', '--umask', '--executable', '-s', '--schedule',
  '--schedule-filename', '-S', '--scheduler', '--max-interval',
  // events
  '--camera', '-F', '--frequency', '--freq', '-r', '--maxrate',
  // inspect / control / call / result / purge / migrate
  '-t', '--timeout', '-d', '--destination', '-a', '--args', '-k', '--kwargs', '--eta', '--countdown', '--expires',
  '--serializer', '--queue', '--exchange', '--routing-key', '--task', '--limit',
  // multi
  '--cmd',
]);
const FLAG_OVERRIDES: Record<string, ReadonlySet<string>> = {
  events: new Set(['-d', '--dump']),
  purge: new Set(['-f', '--force']),
};
const PASS_THROUGH_SUBCOMMANDS = new Set(['multi']);

function takesValue(name: string, subcommand: string | undefined): boolean {
  const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  if (subcommand && Object.hasOwn(FLAG_OVERRIDES, subcommand) && FLAG_OVERRIDES[subcommand]?.has(base)) return false;
  return VALUED.has(base);
}

/**
 * Reads Celery's arguments from words[from]. `implied` is the subcommand a Celery 3 program stands for
 * (`celeryd` is the worker); '' means the program has none.
 */
function build(target: CommandTarget, words: Word[], start: number, from: number, program: string, implied?: string): CeleryCommand {
  const options: CliOption[] = [];
  let subcommand = implied === undefined ? undefined : implied || undefined;
  let explicitSub = false;
  let subWord: Word | undefined;
  let globalAfter = false;
  let endOfOptions = false;
  const span = (a: number, b: number) => target.index.span(target.file, a, b);

  for (let k = from; k < words.length; k++) {
    const w = words[k];
    if (!w) break;
    const v = w.value;
    if (v === '--' && !endOfOptions) {
      endOfOptions = true;
      continue;
    }
    if (v.startsWith('-') && v.length > 1 && !endOfOptions) {
      const position: CliOption['position'] = implied !== undefined || explicitSub ? 'subcommand' : 'global';
      let name = v;
      let value: string | undefined;
      let end = w.end;
      const eq = v.indexOf('=');
      if (v.startsWith('--') && eq > 0) {
        name = v.slice(0, eq);
        value = v.slice(eq + 1);
      } else if (!v.startsWith('--') && v.length > 2 && v[2] !== ':' && takesValue(v.slice(0, 2), subcommand)) {
        name = v.slice(0, 2);
        value = v.slice(2).replace(/^=/, '');
      } else if (takesValue(v, subcommand) && k + 1 < words.length) {
        const valueWord = words[++k];
        value = valueWord?.value;
        end = valueWord?.end ?? end;
      }
      options.push(value === undefined ? { name, span: span(w.start, end), position } : { name, value, span: span(w.start, end), position });
      if (position === 'subcommand' && explicitSub && GLOBAL_NAMES.has(name) && !PASS_THROUGH_SUBCOMMANDS.has(subcommand ?? '')) {
        globalAfter = true;
      }
      continue;
    }
    if (subcommand === undefined && implied === undefined) {
      subcommand = v;
      explicitSub = true;
      subWord = w;
    }
  }

  const last = (...names: string[]) => options.filter((o) => names.includes(o.name) && o.value !== undefined).at(-1)?.value;
  const first = words[start];
  const end = words.at(-1)?.end ?? first?.end ?? 0;
  const begin = first?.start ?? 0;
  const cmd: CeleryCommand = {
    source: target.source,
    file: target.file,
    span: span(begin, end),
    raw: target.index.text.slice(begin, end),
    program,
    options,
    globalOptionsAfterSubcommand: globalAfter,
  };
  if (subcommand !== undefined) cmd.subcommand = subcommand;
  if (subWord) cmd.subcommandSpan = span(subWord.start, subWord.end);
  const app = last('-A', '--app');
  if (app !== undefined) cmd.app = app;
  const pool = last('-P', '--pool');
  if (pool !== undefined) cmd.pool = pool;
  const concurrency = last('-c', '--concurrency');
  if (concurrency !== undefined && /^\d+$/.test(concurrency)) cmd.concurrency = Number(concurrency);
  if (target.processName !== undefined) cmd.processName = target.processName;
  return cmd;
}
