import type { Value, WebServer } from '../../model/types.js';
import { gunicornPool } from '../../model/web-cli.js';
import { namedChildren, nodeSpan } from '../../parse/python.js';
import { evaluate } from '../../parse/pyvalue.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { readIni } from './ini.js';

// gunicorn reads ./gunicorn.conf.py by default and any file given to -c; projects name them gunicorn_config.py,
// gunicorn_conf.py, config/gunicorn.py, gunicorn-prod.conf.py.
const GUNICORN_CONFIG = /gunicorn[\w.-]*\.py$/i;

/** Web server configuration files: gunicorn's Python config (`worker_class`) and uWSGI ini files (`gevent`). */
export const webConfigSource: Source = {
  name: 'web-config',
  collect(ctx) {
    const webServers: WebServer[] = [];
    for (const file of ctx.filesOfKind('python')) {
      // The pattern cannot cross a `/`: on the whole path it tests the file name, without a string per file.
      if (!GUNICORN_CONFIG.test(file.path)) continue;
      const py = ctx.python(file);
      if (!py) continue;
      // Module-level names in order, so `worker_class = WORKER` follows an earlier `WORKER = "gevent"`.
      const scope = new Map<string, Value>();
      let found: WebServer | undefined;
      for (const stmt of namedChildren(py.tree.rootNode)) {
        const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
        const left = assign?.type === 'assignment' ? assign.childForFieldName('left') : undefined;
        const right = assign?.childForFieldName('right');
        if (!assign || left?.type !== 'identifier' || !right) continue;
        const value = evaluate(py, right, scope);
        scope.set(left.text, value);
        if (left.text !== 'worker_class') continue;
        // Only a literal decides; `os.environ.get('WORKER_CLASS', 'gevent')` depends on the environment.
        const pool = value.kind === 'str' ? gunicornPool(value.value) : 'unknown';
        found = { server: 'gunicorn', origin: 'config', file: file.path, pool, workerClass: value.kind === 'str' ? value.value : right.text, span: nodeSpan(py, assign) };
      }
      if (found) webServers.push(found);
    }
    for (const file of ctx.filesOfKind('conf')) {
      const text = ctx.text(file);
      if (text === undefined || !/^\s*\[uwsgi\]/m.test(text)) continue;
      const index = new LineIndex(text);
      let found: WebServer | undefined;
      let monkeyPatch = false;
      for (const entry of readIni(text)) {
        if (entry.section !== 'uwsgi') continue;
        if (entry.key === 'gevent-monkey-patch' || entry.key === 'gevent-early-monkey-patch') monkeyPatch = entry.value.text.trim() !== 'false';
        if (entry.key !== 'gevent') continue;
        const end = entry.value.offsets.at(-1) ?? entry.keyStart;
        found = { server: 'uwsgi', origin: 'config', file: file.path, pool: 'gevent', workerClass: 'gevent', span: index.span(file.path, entry.keyStart, end) };
      }
      if (found) webServers.push(monkeyPatch ? { ...found, monkeyPatch } : found);
    }
    return { webServers };
  },
};
