import { beforeAll, describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../src/model/types.js';
import { envWebServers, webProcesses } from '../../src/model/web-servers.js';
import { initPython } from '../../src/parse/python.js';
import { deploySources } from '../../src/sources/deploy/index.js';
import { memoryContext } from '../sources/versions/ctx.js';

/** The deploy part of a model, as buildModel assembles it. */
function deployModel(files: Record<string, string>): ProjectModel {
  const ctx = memoryContext(files);
  const facts = deploySources.map((s) => s.collect(ctx));
  const envVars = facts.flatMap((f) => f.envVars ?? []);
  const webServers = [...facts.flatMap((f) => f.webServers ?? []), ...envWebServers(envVars)];
  return { files: ctx.files.map((f) => ({ path: f.path, kind: f.kind })), envVars, webServers } as unknown as ProjectModel;
}

const summary = (model: ProjectModel) =>
  webProcesses(model).map((p) => [p.server, p.pool, `${p.decidedBy.origin}:${p.decidedBy.file}:${p.decidedBy.span.start.line}`, p.monkeyPatch]);

describe('web server processes', () => {
  beforeAll(async () => {
    await initPython();
  });

  it('the command line decides over GUNICORN_CMD_ARGS and the config file', () => {
    const model = deployModel({
      Procfile: 'web: gunicorn -k sync proj.wsgi\n',
      '.env': 'GUNICORN_CMD_ARGS="--worker-class gevent --workers 3"\n',
      'gunicorn.conf.py': 'worker_class = "eventlet"\n',
    });
    expect(summary(model)).toEqual([['gunicorn', 'sync', 'command:Procfile:1', true]]);
    expect(model.webServers?.filter((w) => w.origin === 'env').map((w) => [w.pool, w.workerClass, w.source])).toEqual([['gevent', 'gevent', 'dotenv']]);
  });

  it('without -k: GUNICORN_CMD_ARGS, then ./gunicorn.conf.py, then the sync default', () => {
    expect(summary(deployModel({ Procfile: 'web: gunicorn proj.wsgi\n', '.env': 'GUNICORN_CMD_ARGS=-k gevent\n', 'gunicorn.conf.py': 'worker_class = "sync"\n' }))).toEqual([
      ['gunicorn', 'gevent', 'env:.env:1', true],
    ]);
    expect(summary(deployModel({ Procfile: 'web: gunicorn proj.wsgi\n', 'backend/gunicorn.conf.py': 'worker_class = "gevent"\n' }))).toEqual([
      ['gunicorn', 'gevent', 'config:backend/gunicorn.conf.py:1', true],
    ]);
    expect(summary(deployModel({ Procfile: 'web: gunicorn proj.wsgi\n' }))).toEqual([['gunicorn', 'sync', 'command:Procfile:1', true]]);
  });

  it('-c names the config file; one that is not read leaves the worker class unknown', () => {
    const files = { 'gunicorn.conf.py': 'worker_class = "sync"\n', 'deploy/gunicorn_prod.py': 'worker_class = "gevent"\n', 'deploy/web.py': 'worker_class = "gevent"\n' };
    expect(summary(deployModel({ ...files, Procfile: 'web: gunicorn -c /app/deploy/gunicorn_prod.py proj.wsgi\n' }))).toEqual([
      ['gunicorn', 'gevent', 'config:deploy/gunicorn_prod.py:1', true],
    ]);
    expect(summary(deployModel({ ...files, Procfile: 'web: gunicorn -c python:deploy.gunicorn_prod proj.wsgi\n' }))).toEqual([
      ['gunicorn', 'gevent', 'config:deploy/gunicorn_prod.py:1', true],
    ]);
    expect(summary(deployModel({ ...files, Procfile: 'web: gunicorn --config deploy/web.py proj.wsgi\n' }))).toEqual([['gunicorn', 'unknown', 'command:Procfile:1', true]]);
  });

  it('uWSGI: --gevent or the ini file it loads; gevent patches only with gevent-monkey-patch', () => {
    const ini = '[uwsgi]\nmodule = proj.wsgi\ngevent = 100\n';
    expect(summary(deployModel({ Procfile: 'web: uwsgi --ini deploy/uwsgi.ini\n', 'deploy/uwsgi.ini': `${ini}gevent-monkey-patch = true\n` }))).toEqual([
      ['uwsgi', 'gevent', 'config:deploy/uwsgi.ini:3', true],
    ]);
    expect(summary(deployModel({ Procfile: 'web: uwsgi --gevent 10 --module proj.wsgi\n' }))).toEqual([['uwsgi', 'gevent', 'command:Procfile:1', false]]);
    expect(summary(deployModel({ Procfile: 'web: uwsgi --module proj.wsgi --processes 4\n', 'uwsgi.ini': ini }))).toEqual([['uwsgi', 'sync', 'command:Procfile:1', false]]);
  });

  it('a config file with no command in sight stands for the process the platform starts', () => {
    expect(summary(deployModel({ 'gunicorn.conf.py': 'worker_class = "gevent"\n' }))).toEqual([['gunicorn', 'gevent', 'config:gunicorn.conf.py:1', true]]);
    expect(summary(deployModel({ 'Dockerfile': 'FROM python\nCMD ["celery", "-A", "proj", "worker"]\n' }))).toEqual([]);
  });
});
