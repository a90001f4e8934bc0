// gunicorn and uWSGI command lines, read from the same words celery-cli.ts finds in deploy files, and how their
// worker classes run requests. Option names are gunicorn's (gunicorn/config.py: WorkerClass `-k/--worker-class`,
// ConfigFile `-c/--config`) and uWSGI's (`--gevent N`, `--gevent-monkey-patch`, `--ini`).
import type { CommandTarget, Word } from './shell-words.js';
import type { Span, WebServer, WebServerPool } from './types.js';

/** gunicorn's short names (SUPPORTED_WORKERS) and the `egg:gunicorn#name` form. */
const GUNICORN_NAMES: Record<string, WebServerPool> = {
  sync: 'sync',
  eventlet: 'eventlet',
  gevent: 'gevent',
  gevent_wsgi: 'gevent',
  gevent_pywsgi: 'gevent',
  tornado: 'tornado',
  gthread: 'gthread',
  asgi: 'asyncio',
};

/** Known worker classes given by dotted path, by their module (subclasses elsewhere are matched by name below). */
const CLASS_MODULES: [RegExp, WebServerPool][] = [
  [/^gunicorn\.workers\.sync\./, 'sync'],
  [/^gunicorn\.workers\.gthread\./, 'gthread'],
  [/^gunicorn\.workers\.gtornado\./, 'tornado'],
  [/^gunicorn\.workers\.gasgi\./, 'asyncio'],
  [/^(uvicorn|uvicorn_worker)\.|^aiohttp\.(worker\.)?GunicornWebWorker|^aiohttp\.GunicornUVLoopWebWorker/, 'asyncio'],
];

/** How a gunicorn worker class (as given to `-k` or `worker_class`) runs requests. */
export function gunicornPool(workerClass: string): WebServerPool {
  const name = workerClass.trim();
  if (!name || /[$`{]/.test(name)) return 'unknown';
  const short = name.replace(/^egg:gunicorn#/, '');
  if (Object.hasOwn(GUNICORN_NAMES, short)) return GUNICORN_NAMES[short] ?? 'custom';
  for (const [re, pool] of CLASS_MODULES) if (re.test(name)) return pool;
  // gunicorn.workers.ggevent.GeventWorker, geventwebsocket's GeventWebSocketWorker, gevent-socketio's
  // GeventSocketIOWorker, eventlet's EventletWorker: green workers subclass these and keep the name.
  const cls = name.slice(name.search(/[^.:#]*$/));
  if (/gevent/i.test(cls) || /\.ggevent\./.test(name)) return 'gevent';
  if (/eventlet/i.test(cls) || /\.geventlet\./.test(name)) return 'eventlet';
  return 'custom';
}

/** An option's value and the range of the option with its value. */
interface Found {
  value: string;
  start: number;
  end: number;
}

/** The last of `-k X` / `-kX` / `--worker-class X` / `--worker-class=X` in words[from..]: argparse keeps the last. */
function lastOption(words: Word[], from: number, short: string | undefined, long: string): Found | undefined {
  let found: Found | undefined;
  for (let k = from; k < words.length; k++) {
    const w = words[k];
    if (!w) break;
    const v = w.value;
    if (v === '--') break;
    if (v === long || (short !== undefined && v === short)) {
      const next = words[k + 1];
      if (next) found = { value: next.value, start: w.start, end: next.end };
      k++;
    } else if (v.startsWith(`${long}=`)) {
      found = { value: v.slice(long.length + 1), start: w.start, end: w.end };
    } else if (short !== undefined && v.startsWith(short) && !v.startsWith('--') && v.length > short.length) {
      found = { value: v.slice(short.length).replace(/^=/, ''), start: w.start, end: w.end };
    }
  }
  return found;
}

function hasFlag(words: Word[], from: number, ...names: string[]): boolean {
  return words.slice(from).some((w) => names.includes(w.value) || names.some((n) => w.value.startsWith(`${n}=`)));
}

/** A gunicorn or uWSGI command starting at words[start] whose own arguments start at words[from]. */
export function webServerCommand(target: CommandTarget, words: Word[], start: number, from: number, server: 'gunicorn' | 'uwsgi'): WebServer {
  const span = (a: number, b: number): Span => target.index.span(target.file, a, b);
  const begin = words[start]?.start ?? 0;
  const commandSpan = span(begin, words.at(-1)?.end ?? begin);
  const ws: WebServer = { server, origin: 'command', source: target.source, file: target.file, span: commandSpan, commandSpan };
  if (server === 'gunicorn') {
    const k = lastOption(words, from, '-k', '--worker-class');
    if (k) Object.assign(ws, { pool: gunicornPool(k.value), workerClass: k.value, span: span(k.start, k.end) });
    const c = lastOption(words, from, '-c', '--config');
    if (c) ws.config = c.value;
  } else {
    const g = lastOption(words, from, undefined, '--gevent');
    if (g) Object.assign(ws, { pool: 'gevent', workerClass: 'gevent', span: span(g.start, g.end) });
    if (hasFlag(words, from, '--gevent-monkey-patch', '--gevent-early-monkey-patch')) ws.monkeyPatch = true;
    const ini = lastOption(words, from, undefined, '--ini') ?? positionalIni(words, from);
    if (ini) ws.config = ini.value;
  }
  if (target.processName !== undefined) ws.processName = target.processName;
  return ws;
}

/** `uwsgi uwsgi.ini`: uWSGI loads a lone argument ending in .ini as its configuration. */
function positionalIni(words: Word[], from: number): Found | undefined {
  const w = words.slice(from).find((x) => !x.value.startsWith('-') && x.value.endsWith('.ini'));
  return w && { value: w.value, start: w.start, end: w.end };
}

/** The worker class GUNICORN_CMD_ARGS sets (gunicorn splits it with shlex, as the shell does). */
export function gunicornEnvWorkerClass(words: Word[]): Found | undefined {
  return lastOption(words, 0, '-k', '--worker-class');
}

/** Records a web server once: a Dockerfile's ENTRYPOINT+CMD is read joined as well as alone. */
export function addWebServer(sink: WebServer[], ws: WebServer): void {
  if (sink.some((s) => s.file === ws.file && s.span.start.offset === ws.span.start.offset && s.span.end.offset === ws.span.end.offset)) return;
  sink.push(ws);
}
