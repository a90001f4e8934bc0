import { beforeAll, describe, expect, it } from 'vitest';
import { initPython } from '../../../src/parse/python.js';
import { composeSource } from '../../../src/sources/deploy/compose.js';
import { dockerfileSource } from '../../../src/sources/deploy/dockerfile.js';
import { kubernetesSource } from '../../../src/sources/deploy/kubernetes.js';
import { procfileSource } from '../../../src/sources/deploy/procfile.js';
import { shellSource } from '../../../src/sources/deploy/shell.js';
import { supervisorSource } from '../../../src/sources/deploy/supervisor.js';
import { systemdSource } from '../../../src/sources/deploy/systemd.js';
import { webConfigSource } from '../../../src/sources/deploy/web-config.js';
import type { WebServer } from '../../../src/model/types.js';
import { memoryContext as pythonContext } from '../versions/ctx.js';
import { at, memoryContext, textOf } from './ctx.js';

const row = (files: Record<string, string>, w: WebServer) => [w.server, w.origin, w.pool, w.workerClass, textOf(files, w.span), at(w.span)];

describe('web servers in deploy files', () => {
  it('reads gunicorn -k and uWSGI --gevent from a Procfile, next to the Celery commands', () => {
    const files = {
      Procfile: [
        'web: gunicorn proj.wsgi -k gevent --log-file -',
        'ws: newrelic-admin run-program gunicorn -w 2 --worker-class=geventwebsocket.gunicorn.workers.GeventWebSocketWorker proj.ws:app',
        'api: python -m gunicorn -kuvicorn.workers.UvicornWorker proj.asgi:app',
        'plain: gunicorn -c conf/web.py proj.wsgi',
        'legacy: uwsgi --http :8000 --gevent 100 --gevent-monkey-patch --module proj.wsgi',
        'worker: celery -A proj worker -P gevent',
        '',
      ].join('\n'),
    };
    const { commands, webServers } = procfileSource.collect(memoryContext(files));
    expect(commands?.map((c) => c.processName)).toEqual(['worker']);
    expect(webServers?.map((w) => row(files, w))).toEqual([
      ['gunicorn', 'command', 'gevent', 'gevent', '-k gevent', '1:25-1:34'],
      ['gunicorn', 'command', 'gevent', 'geventwebsocket.gunicorn.workers.GeventWebSocketWorker', '--worker-class=geventwebsocket.gunicorn.workers.GeventWebSocketWorker', '2:46-2:115'],
      ['gunicorn', 'command', 'asyncio', 'uvicorn.workers.UvicornWorker', '-kuvicorn.workers.UvicornWorker', '3:25-3:56'],
      ['gunicorn', 'command', undefined, undefined, 'gunicorn -c conf/web.py proj.wsgi', '4:8-4:41'],
      ['uwsgi', 'command', 'gevent', 'gevent', '--gevent 100', '5:28-5:40'],
    ]);
    expect(webServers?.map((w) => [w.processName, w.config, w.monkeyPatch, w.source, textOf(files, w.commandSpan!)])).toEqual([
      ['web', undefined, undefined, 'procfile', 'gunicorn proj.wsgi -k gevent --log-file -'],
      ['ws', undefined, undefined, 'procfile', 'gunicorn -w 2 --worker-class=geventwebsocket.gunicorn.workers.GeventWebSocketWorker proj.ws:app'],
      ['api', undefined, undefined, 'procfile', 'python -m gunicorn -kuvicorn.workers.UvicornWorker proj.asgi:app'],
      ['plain', 'conf/web.py', undefined, 'procfile', 'gunicorn -c conf/web.py proj.wsgi'],
      ['legacy', undefined, true, 'procfile', 'uwsgi --http :8000 --gevent 100 --gevent-monkey-patch --module proj.wsgi'],
    ]);
  });

  it('reads compose entrypoint + command and Kubernetes command + args joined, without a second entry for a part', () => {
    const compose = {
      'docker-compose.yml': [
        'services:',
        '  web:',
        '    entrypoint: ["gunicorn"]',
        '    command: ["-k", "eventlet", "proj.wsgi"]',
        '',
      ].join('\n'),
    };
    const c = composeSource.collect(memoryContext(compose));
    expect(c.webServers?.map((w) => [...row(compose, w), w.processName])).toEqual([['gunicorn', 'command', 'eventlet', 'eventlet', '"-k", "eventlet"', '4:15-4:31', 'web']]);
    const k8s = {
      'deploy/web.yaml': [
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          command: ["gunicorn"]',
        '          args: ["--worker-class", "sync", "proj.wsgi"]',
        '',
      ].join('\n'),
    };
    const k = kubernetesSource.collect(memoryContext(k8s));
    expect(k.webServers?.map((w) => [...row(k8s, w), w.processName])).toEqual([['gunicorn', 'command', 'sync', 'sync', '"--worker-class", "sync"', '8:18-8:42', 'web']]);
  });

  it('reads a Dockerfile stage ENTRYPOINT + CMD joined, and shell-form CMD alone', () => {
    const files = {
      Dockerfile: [
        'FROM python:3.11 AS web',
        'ENTRYPOINT ["gunicorn"]',
        'CMD ["-k", "gevent", "proj.wsgi"]',
        'FROM python:3.11',
        'CMD uwsgi --ini /app/uwsgi.ini',
        '',
      ].join('\n'),
    };
    const { webServers } = dockerfileSource.collect(memoryContext(files));
    expect(webServers?.map((w) => [...row(files, w), w.processName, w.config])).toEqual([
      ['gunicorn', 'command', 'gevent', 'gevent', '"-k", "gevent"', '3:6-3:20', 'web', undefined],
      ['uwsgi', 'command', undefined, undefined, 'uwsgi --ini /app/uwsgi.ini', '5:5-5:31', undefined, '/app/uwsgi.ini'],
    ]);
  });

  it('reads supervisor, systemd and shell scripts', () => {
    const files = {
      'deploy/web.conf': '[program:web]\ncommand=/venv/bin/gunicorn -k gevent proj.wsgi\n',
      'deploy/web.service': '[Service]\nExecStart=/venv/bin/gunicorn --worker-class gthread proj.wsgi\n',
      'bin/start.sh': '#!/bin/sh\nexec gunicorn proj.wsgi "$@"\n',
    };
    const ctx = memoryContext(files);
    const all = [supervisorSource, systemdSource, shellSource].flatMap((s) => s.collect(ctx).webServers ?? []);
    expect(all.map((w) => [...row(files, w), w.source, w.processName])).toEqual([
      ['gunicorn', 'command', 'gevent', 'gevent', '-k gevent', '2:28-2:37', 'supervisor', 'web'],
      ['gunicorn', 'command', 'gthread', 'gthread', '--worker-class gthread', '2:30-2:52', 'systemd', 'web'],
      ['gunicorn', 'command', undefined, undefined, 'gunicorn proj.wsgi "$@"', '2:6-2:29', 'shell', undefined],
    ]);
  });
});

describe('web server config files', () => {
  beforeAll(async () => {
    await initPython();
  });

  it("reads gunicorn config modules' worker_class with tree-sitter, the last assignment winning", () => {
    const files = {
      'gunicorn.conf.py': 'import os\n\nbind = "0.0.0.0:8000"\nworker_class = "sync"\nWORKER = "gevent"\nworker_class = WORKER\n',
      'deploy/gunicorn_config.py': "import os\nworker_class = os.environ.get('WORKER_CLASS', 'gevent')\n",
      'proj/settings.py': 'worker_class = "gevent"\n',
      'conf/gunicorn-prod.py': 'def post_fork(server, worker):\n    worker_class = "gevent"\n',
    };
    const { webServers } = webConfigSource.collect(pythonContext(files));
    expect(webServers?.map((w) => [w.file, ...row(files, w)])).toEqual([
      ['gunicorn.conf.py', 'gunicorn', 'config', 'gevent', 'gevent', 'worker_class = WORKER', '6:1-6:22'],
      ['deploy/gunicorn_config.py', 'gunicorn', 'config', 'unknown', "os.environ.get('WORKER_CLASS', 'gevent')", "worker_class = os.environ.get('WORKER_CLASS', 'gevent')", '2:1-2:56'],
    ]);
  });

  it('reads uWSGI ini files: gevent in the [uwsgi] section, and whether gevent monkey-patches', () => {
    const files = {
      'uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\ngevent = 100\ngevent-monkey-patch = true\n',
      'deploy/other.ini': '[uwsgi]\nmodule = proj.wsgi\nprocesses = 4\n',
      'deploy/worker.conf': '[program:w]\ncommand=celery worker\ngevent = 1\n',
    };
    const { webServers } = webConfigSource.collect(memoryContext(files));
    expect(webServers?.map((w) => [w.file, w.monkeyPatch, ...row(files, w)])).toEqual([['uwsgi.ini', true, 'uwsgi', 'config', 'gevent', 'gevent', 'gevent = 100', '3:1-3:13']]);
  });
});
