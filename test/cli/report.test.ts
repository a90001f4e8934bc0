import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/project.js';
import { run, type Run } from './run.js';

// The showcase: a Django + Celery 3.1.25 project planned up to 5.5. The fixture is copied so the report can sit
// beside it and its links stay the same on every machine.
function copyShowcase(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-plan-'));
  fs.cpSync(path.join(FIXTURES, 'celery31-django'), path.join(dir, 'celery31-django'), { recursive: true });
  return dir;
}

const ARGS = ['migrate-check', 'celery31-django', '--to', '5.5', '--no-cache'];

describe('migrate-check --report', () => {
  let dir: string;
  let plain: Run;
  let md: Run;
  let mdText: string;
  let html: Run;
  let htmlText: string;

  beforeAll(async () => {
    dir = copyShowcase();
    plain = await run(ARGS, dir);
    md = await run([...ARGS, '--report', 'plan.md'], dir);
    mdText = fs.readFileSync(path.join(dir, 'plan.md'), 'utf8');
    html = await run([...ARGS, '--report', 'out/plan.html'], (fs.mkdirSync(path.join(dir, 'out')), dir));
    htmlText = fs.readFileSync(path.join(dir, 'out/plan.html'), 'utf8');
  });

  it('writes the plan and prints the findings as without --report', () => {
    expect(md.code).toBe(1);
    expect(md.stdout).toBe(plain.stdout);
    expect(md.stderr).toBe(`${plain.stderr}Wrote the upgrade plan to plan.md.\n`);
    expect(html.stderr).toBe(`${plain.stderr}Wrote the upgrade plan to out/plan.html.\n`);
  });

  it('orders the steps along the path 3.1.25 → 5.5', () => {
    expect(mdText.split('\n').filter((l) => /^##? /.test(l))).toEqual([
      '# Celery upgrade plan: 3.1.25 → 5.5',
      '## Step 1: Celery 3.1 → 4.0',
      '## Step 2: Celery 4.x → 5.0',
      '## Step 3: Celery 5.0 → 5.5',
    ]);
    expect(mdText).toContain('| 3. Celery 5.0 → 5.5 | 1 | 0 | 0 | 1 |\n');
  });

  it('lists each finding under its step as a checklist item linking to the line, with its fix', () => {
    const steps = mdText.split(/^## /m);
    const step1 = steps[1] ?? '';
    expect(step1).toContain(
      [
        '- [ ] [proj/settings.py:68:1](celery31-django/proj/settings.py#L68) Celery 5.5 ignores CELERY_ENABLE_UTC: from 4.0 the old name of enable_utc is ENABLE_UTC, so enable_utc keeps its default, True. Use ENABLE_UTC.',
        '  ```',
        '  CELERY_ENABLE_UTC = True',
        '  ```',
        '  **Fix (safe, `--fix`)**: Rename to ENABLE_UTC',
      ].join('\n'),
    );
    expect(step1).toContain('- [ ] [proj/settings.py:61:1](celery31-django/proj/settings.py#L61) BROKER_URL is the pre-4.0 name of broker_url;');
    expect(step1).toContain("  BROKER_URL = 'redis://:****@redis.internal:6379/0'\n");
    expect(step1).toContain(
      '- [ ] Move the celery pin to the newest 4.x release (now `celery==3.1.25`) at [requirements.txt:2](celery31-django/requirements.txt#L2)\n' +
        '- [ ] Check the step again, and run the test suite: `celery-lint migrate-check celery31-django --to 4.0`\n',
    );
    // the accept_content default narrowed in 4.0.1: met when moving to the 4.0 line
    expect(step1).toContain("- [ ] [proj/settings.py:63:26](celery31-django/proj/settings.py#L63) CELERY_TASK_SERIALIZER is 'msgpack', but accept_content is not set");
    expect(step1).toContain("- [ ] [proj/settings.py:64:28](celery31-django/proj/settings.py#L64) CELERY_RESULT_SERIALIZER is 'msgpack', but accept_content is not set");
    expect(mdText).toContain('- `celery-lint migrate-check celery31-django --to 5.5 --fix` applies the 4 safe fixes.\n');
  });

  it('never shows the broker password', () => {
    expect(fs.readFileSync(path.join(dir, 'celery31-django/proj/settings.py'), 'utf8')).toContain('s3cr3t');
    expect(mdText).not.toContain('s3cr3t');
    expect(htmlText).not.toContain('s3cr3t');
  });

  it('writes HTML for .html, with links relative to where the report is', () => {
    expect(htmlText.startsWith('<!DOCTYPE html>')).toBe(true);
    expect([...htmlText.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(['Summary', 'Step 1: Celery 3.1 → 4.0', 'Step 2: Celery 4.x → 5.0', 'Step 3: Celery 5.0 → 5.5']);
    expect(htmlText).toContain('<a href="../celery31-django/proj/settings.py#L68">proj/settings.py:68:1</a>');
    expect(htmlText).toContain('<span class="tag safe">safe fix (--fix)</span> Rename to ENABLE_UTC');
  });

  it('refuses a file name it cannot tell the format of, before analysing anything', async () => {
    const r = await run([...ARGS, '--report', 'plan.txt'], dir);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'celery-lint: --report plan.txt: the file name must end in .md or .html\n' });
    expect(fs.existsSync(path.join(dir, 'plan.txt'))).toBe(false);
  });

  it('says so when the report cannot be written', async () => {
    const r = await run([...ARGS, '--report', 'missing/plan.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(-2)).toEqual(['celery-lint: cannot write --report missing/plan.md: ENOENT', '']);
  });

  it('is an option of migrate-check only', async () => {
    const r = await run(['check', 'celery31-django', '--report', 'plan.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--report'\n(Did you mean --root?)\n");
  });

  it('masks every credential planted in fixtures/secrets, in both formats', async () => {
    fs.cpSync(path.join(FIXTURES, 'secrets'), path.join(dir, 'secrets'), { recursive: true });
    for (const report of ['secrets.md', 'secrets.html']) {
      const r = await run(['migrate-check', 'secrets', '--from', '3.1', '--to', '5.5', '--no-cache', '--report', report], dir);
      expect(r.code).toBe(1);
      const written = fs.readFileSync(path.join(dir, report), 'utf8');
      expect(written).toContain('redis://:****@');
      expect(written.split('\n').filter((l) => l.includes('Pl4nted'))).toEqual([]);
    }
  });
});
