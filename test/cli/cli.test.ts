import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { writeProject } from '../helpers/project.js';

async function run(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd });
  return { code, stdout, stderr };
}

describe('CLI', () => {
  it('prints help and version with exit 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: celery-lint');
    for (const cmd of ['inspect', 'check', 'migrate-check', 'rules', 'rule']) expect(help.stdout).toContain(cmd);
    const version = await run(['--version']);
    expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('a missing path is one clear line on stderr and exit 2', async () => {
    for (const cmd of ['inspect', 'check', 'migrate-check']) {
      const r = await run([cmd, 'does/not/exist']);
      expect(r).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: path not found: does/not/exist\n' });
    }
  });

  it('a --to or --from that is not a release is one clear line and exit 2', async () => {
    const root = writeProject({ 'app.py': "from celery import Celery\napp = Celery('p')\n" });
    expect(await run(['migrate-check', root, '--to', 'banana'])).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: --to takes a Celery release such as 5.5 or 4.4.7, not "banana"\n' });
    expect((await run(['migrate-check', root, '--from', '3.1;rm', '--to', '5.5'])).code).toBe(2);
  });

  it('a file with a syntax error is reported with its location, and the summary does not say all checks passed', async () => {
    const root = writeProject({ 'app.py': "from celery import Celery\napp = Celery('x')\napp.conf.update(task_serializer='json',\nBROKER_URL = 'redis://h'\n", 'requirements.txt': 'celery==5.2.7\n' });
    const r = await run(['check', root]);
    expect(r).toEqual({
      code: 0,
      stdout: '0 findings. 1 file has syntax errors and was checked only where it parses.\n',
      stderr: `app.py:3:1: syntax error near "app.conf.update(task_serializer='json',"\n`,
    });
  });

  it('CELERY_LINT_TIMING=1 prints the stages and the slowest rules on stderr, and changes nothing else', async () => {
    const root = writeProject({
      'app.py': "from celery import Celery\napp = Celery('x', broker='redis://h')\napp.conf.update(CELERY_ACCEPT_CONENT=['json'])\n",
      'requirements.txt': 'celery==5.2.7\n',
    });
    const plain = await run(['check', root, '--no-cache']);
    process.env.CELERY_LINT_TIMING = '1';
    let timed: Awaited<ReturnType<typeof run>>;
    try {
      timed = await run(['check', root, '--no-cache']);
    } finally {
      delete process.env.CELERY_LINT_TIMING;
    }
    expect(timed.stdout).toBe(plain.stdout);
    expect(timed.code).toBe(plain.code);
    expect(timed.stderr.startsWith(plain.stderr)).toBe(true);
    const rows = timed.stderr.slice(plain.stderr.length).split('\n').filter((l) => l.includes('|'));
    const names = rows.map((l) => l.split('|')[0]!.trim());
    // Sources under a millisecond share a row; which ones are that fast depends on the machine.
    const stages = names.slice(0, names.indexOf('Rule')).filter((n) => !/^model: (python-|other sources)/.test(n));
    expect(stages).toEqual(['Stage', 'model: discover', 'model: save cache, link', 'rules, suppressions, baseline', 'report']);
    const ruleRows = names.slice(names.indexOf('Rule') + 1);
    expect(ruleRows).toHaveLength(10);
    expect(ruleRows.every((n) => /^CEL\d{3} [a-z-]+$/.test(n))).toBe(true);
    for (const row of rows.slice(1)) if (!row.startsWith('Rule')) expect(row).toMatch(/\|\s+\d+\.\d( \|\s+\d+\.\d%)?$/);
  });

  it('migrate-check --to an older release than the pinned one says there is nothing to upgrade and judges the pinned release', async () => {
    const root = writeProject({
      'app.py': "from celery import Celery\napp = Celery('x')\napp.config_from_object('celeryconfig')\n",
      'celeryconfig.py': "broker_url = 'amqp://rabbit//'\naccept_contnet = ['json', 'msgpack']\n",
      'requirements.txt': 'celery==5.5.3\n',
    });
    const r = await run(['migrate-check', root, '--to', '5.0']);
    expect(r.stderr).toBe('note: The project already runs Celery 5.5.3, past --to 5.0: there is no upgrade step to check; judging at 5.5.3.\n');
    expect(r.stdout.split('\n')[0]).toBe('Upgrade path 5.5.3 → 5.5.3: no step');
    const same = await run(['check', root]);
    expect(same.stdout).toContain('celeryconfig.py:2:1: CEL103 accept_contnet is not a setting Celery 5.5.3 knows');
    expect(r.stdout).toBe(`Upgrade path 5.5.3 → 5.5.3: no step\n\n${same.stdout}`);
  });

  it('an unknown option or command exits 2 without a stack trace', async () => {
    const r = await run(['check', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(r.stderr).not.toContain('    at ');
    expect((await run(['lint'])).code).toBe(2);
    const fmt = await run(['check', '.', '--output-format', 'xml'], writeProject({ 'a.py': '' }));
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('unknown --output-format xml');
  });

  it('inspect masks passwords in text and JSON', async () => {
    const root = writeProject({
      'app.py': "from celery import Celery\napp = Celery('p', broker='redis://:hunter2@redis:6379/0')\n",
      '.env': 'CELERY_BROKER_URL=amqp://user:s3cr3tpw@rabbit:5672//\nDATABASE_PASSWORD=pg-secret-9\n',
    });
    for (const args of [['inspect', root], ['inspect', root, '--json']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('hunter2');
      expect(r.stdout).not.toContain('s3cr3tpw');
      expect(r.stdout).not.toContain('pg-secret-9');
      expect(r.stdout).toContain('redis://:****@redis:6379/0');
    }
  });

  it('inspect reports a syntax error with its location and still reads the rest', async () => {
    const root = writeProject({
      'app.py': "from celery import Celery\napp = Celery('p')\napp.config_from_object('celeryconfig')\n",
      'celeryconfig.py': "broker_url = 'redis://r:6379/0'\ndef broken(:\n    pass\nresult_backend = 'redis://r:6379/1'\n",
    });
    const r = await run(['inspect', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("broker_url = \"redis://r:6379/0\"  celeryconfig.py:1:1");
    expect(r.stdout).toContain("result_backend = \"redis://r:6379/1\"  celeryconfig.py:4:1");
    expect(r.stdout).toMatch(/celeryconfig\.py:2:\d+: error: syntax error/);
  });

  it('rule prints documentation; an unknown rule exits 2', async () => {
    const r = await run(['rule', 'CEL999']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: unknown rule CEL999 (see `celery-lint rules`)\n' });
  });
});

describe('output formats', () => {
  it('every format renders findings on a fixture without leaking the broker password', async () => {
    const { FIXTURES } = await import('../helpers/project.js');
    for (const format of ['text', 'concise', 'json', 'sarif', 'github', 'gitlab', 'junit']) {
      const r = await run(['check', 'celery31-django', '--output-format', format], FIXTURES);
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain('CEL103');
      expect(r.stdout, format).not.toContain('s3cr3t');
    }
  });
});
