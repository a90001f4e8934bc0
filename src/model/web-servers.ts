// Which worker class each of the project's web servers runs, from its command line, GUNICORN_CMD_ARGS and its
// config file, in gunicorn's order (gunicorn/app/base.py load_config: config file, then GUNICORN_CMD_ARGS, then
// the command line; the config file is -c/--config, else ./gunicorn.conf.py).
import path from 'node:path';
import { shellTokens } from './shell-words.js';
import type { EnvVar, ProjectModel, WebServer, WebServerPool } from './types.js';
import { gunicornEnvWorkerClass, gunicornPool } from './web-cli.js';

/** GUNICORN_CMD_ARGS variables that set a worker class, as web server facts (span: the whole variable). */
export function envWebServers(envVars: readonly EnvVar[]): WebServer[] {
  const out: WebServer[] = [];
  for (const v of envVars) {
    if (v.name !== 'GUNICORN_CMD_ARGS' || v.value.kind !== 'str') continue;
    const text = v.value.value;
    const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
    const words = shellTokens({ text, offsets }).flatMap((t) => (t.kind === 'word' ? [t.word] : []));
    const k = gunicornEnvWorkerClass(words);
    if (!k) continue;
    out.push({ server: 'gunicorn', origin: 'env', source: v.source, file: v.file, pool: gunicornPool(k.value), workerClass: k.value, span: v.span });
  }
  return out;
}

/** A web server process and the worker class it runs with. */
export interface WebProcess {
  server: 'gunicorn' | 'uwsgi';
  pool: WebServerPool;
  /** The fact that decides the pool: the option, GUNICORN_CMD_ARGS, the config file's setting, or the command (a default). */
  decidedBy: WebServer;
  /** The command, when one is visible (a config file alone also stands for a process: gunicorn loads it by default). */
  command?: WebServer;
  /** uWSGI: gevent monkey-patches the application (gunicorn's gevent and eventlet workers always patch). */
  monkeyPatch: boolean;
}

const GREEN: readonly WebServerPool[] = ['gevent', 'eventlet'];

export function isGreenWebPool(pool: WebServerPool): boolean {
  return GREEN.includes(pool);
}

/** Every web server process the project's deploy files start, with its effective worker class. */
export function webProcesses(model: ProjectModel): WebProcess[] {
  const facts = model.webServers ?? [];
  const configs = facts.filter((f) => f.origin === 'config');
  const out: WebProcess[] = [];
  for (const cmd of facts.filter((f) => f.origin === 'command')) {
    if (cmd.pool) {
      out.push({ server: cmd.server, pool: cmd.pool, decidedBy: cmd, command: cmd, monkeyPatch: cmd.server === 'gunicorn' || cmd.monkeyPatch === true });
      continue;
    }
    if (cmd.server === 'gunicorn') {
      const env = facts.find((f) => f.origin === 'env' && f.file === cmd.file) ?? facts.find((f) => f.origin === 'env' && f.source === 'dotenv');
      const config = env ? undefined : configFor(model, configs, cmd, 'gunicorn.conf.py');
      const decidedBy = env ?? config?.fact ?? cmd;
      const pool = env?.pool ?? config?.fact?.pool ?? (config?.known === false ? 'unknown' : 'sync');
      out.push({ server: 'gunicorn', pool, decidedBy, command: cmd, monkeyPatch: true });
    } else {
      const config = cmd.config === undefined ? undefined : configFor(model, configs, cmd, undefined);
      const pool = config?.fact?.pool ?? (config?.known === false ? 'unknown' : 'sync');
      out.push({ server: 'uwsgi', pool, decidedBy: config?.fact ?? cmd, command: cmd, monkeyPatch: cmd.monkeyPatch === true || config?.fact?.monkeyPatch === true });
    }
  }
  // A config file with no command of its server in sight: the platform starts the server (gunicorn reads
  // ./gunicorn.conf.py by itself), so the file still says how it runs.
  for (const c of configs) {
    if (out.some((p) => p.server === c.server)) continue;
    out.push({ server: c.server, pool: c.pool ?? 'unknown', decidedBy: c, monkeyPatch: c.server === 'gunicorn' || c.monkeyPatch === true });
  }
  return out;
}

/**
 * The config file a command loads: its -c/--ini path (`python:pkg.mod` is a module), else `fallback`. `known` is
 * false when the file is not among those read (not in the project, or not named like a gunicorn config), so what it
 * sets is not known; a read file without a worker class setting is known and sets none.
 */
function configFor(model: ProjectModel, configs: WebServer[], cmd: WebServer, fallback: string | undefined): { fact?: WebServer; known: boolean } | undefined {
  const ref = cmd.config ?? fallback;
  if (ref === undefined) return undefined;
  const rel = ref.startsWith('python:') ? `${ref.slice('python:'.length).replace(/\./g, '/')}.py` : path.posix.normalize(ref.replace(/^\.\//, ''));
  // An absolute path is inside the image (`/app/gunicorn.conf.py`): the project's file of that name.
  const matches = (file: string) => file === rel || file.endsWith(`/${rel}`) || (path.posix.isAbsolute(rel) && path.posix.basename(rel) === path.posix.basename(file));
  const fact = configs.find((c) => c.server === cmd.server && matches(c.file));
  if (fact) return { fact, known: true };
  if (cmd.config === undefined) return undefined; // no ./gunicorn.conf.py with a worker_class: the default
  const file = model.files.find((f) => matches(f.path));
  const read = file !== undefined && (cmd.server === 'uwsgi' ? file.kind === 'conf' : /gunicorn[\w.-]*\.py$/i.test(path.posix.basename(file.path)));
  return { known: read };
}
