import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeProject } from '../helpers/project.js';
import { findings, run } from './run.js';
import { ALL_FINDINGS, BASE } from './sample.js';

const concise = ['--output-format', 'concise'];

function entries(root: string, file = 'baseline.json'): string[] {
  const b = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as { findings: { code: string; file: string }[] };
  return b.findings.map((e) => `${e.file} ${e.code}`);
}

describe('baseline', () => {
  it('write, move lines, report only the new finding, prune the fixed one', async () => {
    const root = writeProject(BASE);
    expect(await run(['check', '--write-baseline', 'baseline.json'], root)).toEqual({ code: 0, stdout: '', stderr: 'Wrote 5 findings to baseline.json.\n' });
    expect(entries(root)).toEqual([
      'docker-compose.yml CEL302',
      'proj/celeryconfig.py CEL101',
      'proj/celeryconfig.py CEL101',
      'proj/celeryconfig.py CEL101',
      'proj/celeryconfig.py CEL203',
    ]);
    expect(await run(['check', ...concise, '--baseline', 'baseline.json'], root)).toEqual({ code: 0, stdout: 'All checks passed: 0 findings.\n', stderr: '' });

    // Lines added above and between the known findings move them; a new old-style name is a new finding.
    const conf = path.join(root, 'proj/celeryconfig.py');
    fs.writeFileSync(
      conf,
      "# Celery settings\n\nCELERY_RESULT_SERIALIZER = 'json'\nBROKER_URL = 'amqp://guest@rabbit:5672//'\n\nCELERY_ACCEPT_CONTENT = ['pickle', 'json']\nCELERY_TIMEZONE = 'UTC'\n",
    );
    const moved = await run(['check', ...concise, '--baseline', 'baseline.json'], root);
    // Not fixable: CEL101's fix renames every old name of the module, the known ones too.
    expect(findings(moved.stdout)).toEqual(['proj/celeryconfig.py:7:1: CEL101', '1 finding, 0 fixable with --fix.']);
    expect(moved.code).toBe(1);

    // Pickle is gone from accept_content: its entry is stale. Pruning keeps the rest and still reports new ones.
    fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace("['pickle', 'json']", "['json']"));
    const pruned = await run(['check', ...concise, '--baseline', 'baseline.json', '--prune-baseline'], root);
    expect(pruned.stderr).toBe('Removed 2 stale baseline entries from baseline.json.\n');
    expect(findings(pruned.stdout)).toEqual(['proj/celeryconfig.py:6:1: CEL101', 'proj/celeryconfig.py:7:1: CEL101', '2 findings, 0 fixable with --fix.']);
    expect(entries(root)).toEqual(['docker-compose.yml CEL302', 'proj/celeryconfig.py CEL101', 'proj/celeryconfig.py CEL101']);
    const again = await run(['check', ...concise, '--baseline', 'baseline.json', '--prune-baseline'], root);
    expect(again.stderr).toBe('Removed 0 stale baseline entries from baseline.json.\n');
  });

  it('pruning keeps entries for files and rules that were not checked', async () => {
    const root = writeProject(BASE);
    await run(['check', '--write-baseline', 'baseline.json'], root);
    fs.writeFileSync(path.join(root, 'docker-compose.yml'), 'services: {}\n');
    fs.writeFileSync(path.join(root, 'proj/celeryconfig.py'), "result_serializer = 'json'\nbroker_url = 'amqp://guest@rabbit:5672//'\naccept_content = ['json']\n");
    const scoped = await run(['check', ...concise, 'proj/celeryconfig.py', '--select', 'CEL1', '--baseline', 'baseline.json', '--prune-baseline'], root);
    expect(scoped).toEqual({ code: 0, stdout: 'All checks passed: 0 findings.\n', stderr: 'Removed 3 stale baseline entries from baseline.json.\n' });
    expect(entries(root)).toEqual(['docker-compose.yml CEL302', 'proj/celeryconfig.py CEL203']);
  });

  it('suppressed findings are not recorded; --write-baseline exits 0 with findings', async () => {
    const root = writeProject({ ...BASE, 'docker-compose.yml': `# celery-lint: noqa\n${BASE['docker-compose.yml']}` });
    expect(await run(['check', '--write-baseline', 'b.json', '--select', 'CEL2,CEL3'], root)).toEqual({ code: 0, stdout: '', stderr: 'Wrote 1 finding to b.json.\n' });
    expect(entries(root, 'b.json')).toEqual(['proj/celeryconfig.py CEL203']);
  });

  it('--fix leaves findings the baseline knows alone', async () => {
    const root = writeProject(BASE);
    await run(['check', '--write-baseline', 'baseline.json'], root);
    const conf = path.join(root, 'proj/celeryconfig.py');
    fs.appendFileSync(conf, "CELERY_TIMEZONE = 'UTC'\n");
    // CEL101's fix would rename the known old names too, so it is not offered.
    const r = await run(['check', ...concise, '--fix', '--baseline', 'baseline.json'], root);
    expect(findings(r.stdout)).toEqual(['proj/celeryconfig.py:4:1: CEL101', '1 finding, 0 fixable with --fix.']);
    expect(r.stderr).toBe('');
    expect(fs.readFileSync(conf, 'utf8')).toBe(`${BASE['proj/celeryconfig.py']}CELERY_TIMEZONE = 'UTC'\n`);
  });

  it('a missing or broken baseline file is one line and exit 2', async () => {
    const root = writeProject({ ...BASE, 'bad.json': '{"version": 1, "findings": [{"code": "CEL101"}', 'old.json': '{"version": 2, "findings": []}' });
    expect(await run(['check', '--baseline', 'nope.json'], root)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'celery-lint: baseline file not found: nope.json (create it with --write-baseline nope.json)\n',
    });
    const bad = await run(['check', '--baseline', 'bad.json'], root);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^celery-lint: bad\.json: not valid JSON: [^\n]+\n$/);
    expect(await run(['check', '--baseline', 'old.json'], root)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'celery-lint: old.json: version: expected 1 (this celery-lint reads baseline version 1)\n',
    });
    expect(await run(['check', '--prune-baseline'], root)).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: --prune-baseline needs --baseline FILE\n' });
  });

  it('without a baseline every finding is reported', async () => {
    const r = await run(['check', ...concise], writeProject(BASE));
    expect(findings(r.stdout)).toEqual(ALL_FINDINGS);
  });
});
