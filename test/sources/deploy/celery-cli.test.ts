import { describe, expect, it } from 'vitest';
import { celeryCommandsInSlice, celeryCommandsInText, celeryCommandsInWords } from '../../../src/model/celery-cli.js';
import { alignText, type Word } from '../../../src/model/shell-words.js';
import { LineIndex } from '../../../src/parse/span.js';
import { at } from './ctx.js';

function parse(text: string) {
  return celeryCommandsInSlice({ file: 'run.sh', source: 'shell', index: new LineIndex(text) }, 0, text.length);
}

function only(text: string) {
  const cmds = parse(text);
  expect(cmds).toHaveLength(1);
  return cmds[0]!;
}

const opts = (text: string) =>
  only(text).options.map((o) => ({ name: o.name, value: o.value, position: o.position, text: text.slice(o.span.start.offset, o.span.end.offset) }));

describe('celery command lines', () => {
  it('reads the Celery 3 order, with global options after the subcommand', () => {
    const line = 'celery worker -A proj -P gevent -c 100 --loglevel=info';
    const c = only(line);
    expect(c).toMatchObject({ program: 'celery', subcommand: 'worker', app: 'proj', pool: 'gevent', concurrency: 100, globalOptionsAfterSubcommand: true, raw: line });
    expect(at(c.span)).toBe('1:1-1:55');
    expect(c.options.map((o) => [o.name, o.value, o.position, at(o.span)])).toEqual([
      ['-A', 'proj', 'subcommand', '1:15-1:22'],
      ['-P', 'gevent', 'subcommand', '1:23-1:32'],
      ['-c', '100', 'subcommand', '1:33-1:39'],
      ['--loglevel', 'info', 'subcommand', '1:40-1:55'],
    ]);
  });

  it('reads the Celery 5 order', () => {
    const c = only('celery -A proj worker -P gevent');
    expect(c).toMatchObject({ subcommand: 'worker', app: 'proj', pool: 'gevent', globalOptionsAfterSubcommand: false });
    expect(c.options.map((o) => [o.name, o.position])).toEqual([['-A', 'global'], ['-P', 'subcommand']]);
    expect(c.concurrency).toBeUndefined();
  });

  it('reads attached and = values', () => {
    expect(opts('celery -Aproj worker -Pgevent -c4 -Ofair --app=x --pool eventlet')).toEqual([
      { name: '-A', value: 'proj', position: 'global', text: '-Aproj' },
      { name: '-P', value: 'gevent', position: 'subcommand', text: '-Pgevent' },
      { name: '-c', value: '4', position: 'subcommand', text: '-c4' },
      { name: '-O', value: 'fair', position: 'subcommand', text: '-Ofair' },
      { name: '--app', value: 'x', position: 'subcommand', text: '--app=x' },
      { name: '--pool', value: 'eventlet', position: 'subcommand', text: '--pool eventlet' },
    ]);
    expect(only('celery -Aproj worker --app=x --pool eventlet')).toMatchObject({ app: 'x', pool: 'eventlet' });
  });

  it('does not take option values or flags for the subcommand', () => {
    const c = only('celery --app proj --loglevel info worker -E -B --without-gossip -Q celery,mail -n w1@%h');
    expect(c.subcommand).toBe('worker');
    expect(c.options.map((o) => [o.name, o.value])).toEqual([
      ['--app', 'proj'], ['--loglevel', 'info'], ['-E', undefined], ['-B', undefined], ['--without-gossip', undefined], ['-Q', 'celery,mail'], ['-n', 'w1@%h'],
    ]);
    expect(c.globalOptionsAfterSubcommand).toBe(false);
  });

  it('knows the programs that run Celery', () => {
    expect(only('python -m celery -A proj worker')).toMatchObject({ program: 'python -m celery', subcommand: 'worker', app: 'proj' });
    expect(only('/srv/venv/bin/celery -A proj beat -s /tmp/schedule')).toMatchObject({ program: 'celery', subcommand: 'beat' });
    expect(only('exec celery -A proj flower --port=5555')).toMatchObject({ program: 'celery', subcommand: 'flower' });
    expect(only('newrelic-admin run-program celery -A proj worker')).toMatchObject({ program: 'celery', subcommand: 'worker', app: 'proj' });
    expect(only('ddtrace-run celery -A proj worker')).toMatchObject({ program: 'celery', subcommand: 'worker' });
    expect(only('env C_FORCE_ROOT=1 sudo -u celery -E nice -n 10 celery -A proj worker')).toMatchObject({ program: 'celery', app: 'proj' });
    expect(only('watchmedo auto-restart --directory=./ --pattern=*.py --recursive -- celery -A proj worker')).toMatchObject({ subcommand: 'worker' });
    expect(only('poetry run celery -A proj worker').subcommand).toBe('worker');
    expect(only('gosu app python3.11 -u -m celery -A proj worker').program).toBe('python -m celery');
    expect(only('/docker-entrypoint.sh celery -A proj worker')).toMatchObject({ subcommand: 'worker', raw: 'celery -A proj worker' });
    expect(only('./wait-for-it.sh redis:6379 -t 30 -- celery -A proj beat').subcommand).toBe('beat');
    expect(parse('./start.sh worker')).toEqual([]);
    // micromasters' Procfile: a wrapper script in the project, Celery straight after it
    expect(only('bin/start-pgbouncer celery -A micromasters worker -l info')).toMatchObject({ program: 'celery', subcommand: 'worker', app: 'micromasters' });
    expect(only('./bin/with-secrets python -m celery -A proj beat').subcommand).toBe('beat');
    expect(parse('bin/deploy worker celery')).toEqual([]);
    expect(parse('bin/run python manage.py migrate')).toEqual([]);
    // a console script handing `celery ...` to Celery's command line (nautobot-server, h's hypothesis)
    expect(only('nautobot-server celery worker -l INFO --events')).toMatchObject({ program: 'celery', subcommand: 'worker' });
    expect(only('newrelic-admin run-program hypothesis celery worker --loglevel=INFO').subcommand).toBe('worker');
    expect(parse('echo celery worker started')).toEqual([]);
    expect(parse('pip install celery')).toEqual([]);
    expect(parse('myapp celery')).toEqual([]);
    // timesketch's tsdev.sh: a command run in a container; a case label `celery)` is no command
    expect(only('docker exec -it "$CONTAINER_ID" celery --app proj worker --loglevel=info')).toMatchObject({ subcommand: 'worker', app: 'proj' });
    expect(only('docker compose run --rm -e X=1 worker celery -A proj beat').subcommand).toBe('beat');
    expect(only('docker-compose exec -T worker celery -A proj inspect ping').subcommand).toBe('inspect');
    expect(parse('docker run proj celery -A proj worker')).toEqual([]);
    expect(parse('case "$1" in\n  celery)\n    echo no\n    ;;\nesac\n')).toEqual([]);
  });

  it('expands a variable set to a literal earlier in the script (IntelOwl: celery $ARGUMENTS)', () => {
    const text = 'ARGUMENTS="-A proj worker --time-limit=300 -P eventlet"\nexec celery $ARGUMENTS\n';
    const cmd = only(text);
    expect(cmd).toMatchObject({ subcommand: 'worker', app: 'proj', pool: 'eventlet' });
    const limit = cmd.options.find((o) => o.name === '--time-limit')!;
    expect([limit.value, limit.span.start.line, limit.span.start.column]).toEqual(['300', 1, 27]);
    expect(only('export OPTS=${EXTRA}\ncelery -A proj worker $OPTS').options.map((o) => o.name)).toEqual(['-A']);
  });

  it('gives a Celery 3 program its implied subcommand, options counting as the subcommand\'s', () => {
    const c = only('celeryd --loglevel=INFO -c 4 -P eventlet');
    expect(c).toMatchObject({ program: 'celeryd', subcommand: 'worker', pool: 'eventlet', concurrency: 4, globalOptionsAfterSubcommand: false });
    expect(c.options.every((o) => o.position === 'subcommand')).toBe(true);
    expect(only('celerybeat -S djcelery.schedulers.DatabaseScheduler')).toMatchObject({ program: 'celerybeat', subcommand: 'beat' });
    expect(only('celeryev --camera=myapp.Camera --frequency=2.0')).toMatchObject({ program: 'celeryev', subcommand: 'events' });
  });

  it('reads djcelery management commands', () => {
    expect(only('python manage.py celery worker --loglevel=info -A proj')).toMatchObject({ program: 'manage.py celery', subcommand: 'worker', globalOptionsAfterSubcommand: true });
    expect(only('python manage.py celeryd -B -l info')).toMatchObject({ program: 'manage.py celeryd', subcommand: 'worker' });
    expect(only('./manage.py celerybeat')).toMatchObject({ program: 'manage.py celerybeat', subcommand: 'beat' });
    expect(parse('python manage.py migrate && python manage.py runserver')).toEqual([]);
  });

  it('reads commands inside sh -c with exact spans inside the quotes', () => {
    const line = 'sh -c "cd /app && celery -A proj worker -l info"';
    const c = only(line);
    expect(c.raw).toBe('celery -A proj worker -l info');
    expect(at(c.span)).toBe('1:19-1:48');
    expect(c.options.map((o) => line.slice(o.span.start.offset, o.span.end.offset))).toEqual(['-A proj', '-l info']);
    const nested = only(`bash -c 'python manage.py migrate && exec celery -A proj worker'`);
    expect(nested).toMatchObject({ program: 'celery', app: 'proj', raw: 'celery -A proj worker' });
  });

  it('splits joined commands and drops redirections', () => {
    const cmds = parse('celery -A proj beat & celery -A proj worker >> /var/log/celery.log 2>&1; echo done | cat');
    expect(cmds.map((c) => [c.subcommand, c.raw])).toEqual([
      ['beat', 'celery -A proj beat'],
      ['worker', 'celery -A proj worker'],
    ]);
  });

  it('follows line continuations', () => {
    const text = 'celery -A proj worker \\\n  --concurrency=8 \\\n  -Q default,emails\n';
    const c = only(text);
    expect(c.concurrency).toBe(8);
    expect(c.options.map((o) => at(o.span))).toEqual(['1:8-1:15', '2:3-2:18', '3:3-3:20']);
    expect(at(c.span)).toBe('1:1-3:20');
  });

  it('keeps multi\'s worker options without calling them misplaced', () => {
    const c = only('celery multi start w1 w2 -A proj -P gevent -c:w1 10 --pidfile=/var/run/%n.pid');
    expect(c).toMatchObject({ subcommand: 'multi', app: 'proj', pool: 'gevent', globalOptionsAfterSubcommand: false });
    expect(c.options.map((o) => [o.name, o.value])).toEqual([['-A', 'proj'], ['-P', 'gevent'], ['-c:w1', '10'], ['--pidfile', '/var/run/%n.pid']]);
  });

  it('keeps environment references as written', () => {
    const c = only('celery -A $CELERY_APP worker -P ${POOL:-gevent} -c "${CONCURRENCY}"');
    expect(c).toMatchObject({ app: '$CELERY_APP', pool: '${POOL:-gevent}' });
    expect(c.concurrency).toBeUndefined();
    expect(c.options[2]).toMatchObject({ name: '-c', value: '${CONCURRENCY}' });
  });

  it('reads the Celery documentation\'s systemd command through $CELERY_BIN', () => {
    const c = only(`/bin/sh -c '\${CELERY_BIN} -A $CELERY_APP multi start $CELERYD_NODES --pidfile=\${CELERYD_PID_FILE} --loglevel="\${CELERYD_LOG_LEVEL}"'`);
    expect(c).toMatchObject({ program: 'celery', subcommand: 'multi', app: '$CELERY_APP' });
    expect(c.options.map((o) => o.value)).toEqual(['$CELERY_APP', '${CELERYD_PID_FILE}', '${CELERYD_LOG_LEVEL}']);
  });

  it('treats inspect -d as a value but events -d and purge -f as flags', () => {
    expect(only('celery inspect ping -d w1@host -t 5 -A proj')).toMatchObject({ subcommand: 'inspect', app: 'proj', globalOptionsAfterSubcommand: true });
    expect(only('celery events -d proj').options).toEqual([expect.objectContaining({ name: '-d' })]);
    expect(only('celery events -d proj').options[0]?.value).toBeUndefined();
    expect(only('celery -A proj purge -f').options[1]).toMatchObject({ name: '-f', position: 'subcommand' });
  });

  it('ignores commands that only mention celery, comments and heredoc bodies', () => {
    expect(parse('echo "starting celery worker"\npip install celery\n# celery -A proj worker\ngunicorn proj.wsgi')).toEqual([]);
    const text = 'cat > /etc/x.conf <<EOF\ncelery -A proj worker\nEOF\ncelery -A proj beat\n';
    expect(parse(text).map((c) => [c.subcommand, at(c.span)])).toEqual([['beat', '4:1-4:20']]);
  });

  it('aligns a double-quoted scalar continued with a trailing backslash', () => {
    const source = 'command: "celery -A proj \\\n    worker -P gevent"';
    const m = alignText('celery -A proj worker -P gevent', source, source.indexOf('"'), source.length);
    const [c] = celeryCommandsInText({ file: 'c.yml', source: 'compose', index: new LineIndex(source) }, m);
    expect(c?.options.map((o) => [o.name, at(o.span)])).toEqual([['-A', '1:18-1:25'], ['-P', '2:12-2:21']]);
    expect(c?.subcommand).toBe('worker');
  });

  it('is not fooled by names of Object.prototype members', () => {
    expect(parse('constructor -A proj\npython manage.py toString')).toEqual([]);
    expect(only('celery constructor -d x')).toMatchObject({ subcommand: 'constructor', options: [expect.objectContaining({ name: '-d', value: 'x' })] });
  });

  it('reads an argument vector with one word per element', () => {
    const text = '["celery", "-A", "proj", "worker"]';
    const index = new LineIndex(text);
    const words: Word[] = [];
    for (const m of text.matchAll(/"([^"]*)"/g)) {
      const s = m.index + 1;
      words.push({ value: m[1]!, offsets: [...Array(m[1]!.length + 1).keys()].map((k) => s + k), start: m.index, end: m.index + m[0].length });
    }
    const [c] = celeryCommandsInWords({ file: 'Dockerfile', source: 'dockerfile', index }, words);
    expect(c).toMatchObject({ program: 'celery', subcommand: 'worker', app: 'proj', raw: text.slice(1, -1) });
    expect(at(c!.options[0]!.span)).toBe('1:12-1:24');
  });

  it('aligns a decoded double-quoted string onto its source', () => {
    const source = 'command: "sh -c \\"celery -A proj worker\\""';
    const from = source.indexOf('"');
    const m = alignText('sh -c "celery -A proj worker"', source, from, source.length);
    const [c] = celeryCommandsInText({ file: 'c.yml', source: 'compose', index: new LineIndex(source) }, m);
    expect(c?.options.map((o) => source.slice(o.span.start.offset, o.span.end.offset))).toEqual(['-A proj']);
    expect(c?.raw).toBe('celery -A proj worker');
  });
});
