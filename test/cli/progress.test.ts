import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { createProgress } from '../../src/cli/progress.js';
import { FIXTURES, writeProject } from '../helpers/project.js';

function clock(times: number[]): () => number {
  return () => times.shift() ?? Infinity;
}

describe('progress indicator', () => {
  it('redraws one line in place after the delay, at most once per interval, and clears it at the end', () => {
    let out = '';
    // The first reading is the start; then one per update.
    const p = createProgress({ write: (s: string) => (out += s) }, { enabled: true, now: clock([0, 100, 600, 650, 800]), delayMs: 500, intervalMs: 100 });
    p.update(0, 14, 'python-config');
    p.update(1, 14, 'python-code');
    p.update(2, 14, 'deploy');
    p.update(3, 14, 'versions');
    p.end();
    expect(out).toBe('\r\x1b[Kcelery-lint: analysing [2/14] python-code\r\x1b[Kcelery-lint: analysing [4/14] versions\r\x1b[K');
  });

  it('writes nothing for a run shorter than the delay, not even the clearing sequence', () => {
    let out = '';
    const p = createProgress({ write: (s: string) => (out += s) }, { enabled: true, now: clock([0, 10, 20]), delayMs: 500 });
    p.update(0, 2, 'a');
    p.update(1, 2, 'b');
    p.end();
    expect(out).toBe('');
  });

  it('writes nothing when disabled', () => {
    let out = '';
    const p = createProgress({ write: (s: string) => (out += s) }, { enabled: false, now: clock([0, 1000, 2000]), delayMs: 0 });
    p.update(0, 2, 'a');
    p.end();
    expect(out).toBe('');
  });
});

describe('progress on the command line', () => {
  async function stderrOf(args: string[], isTTY: boolean, cwd = FIXTURES): Promise<string> {
    let err = '';
    await runCli(args, { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s), isTTY }, cwd });
    return err;
  }

  it('prints no progress when stderr is not a terminal', async () => {
    const err = await stderrOf(['check', 'celery31-django', '--no-cache'], false);
    expect(err).not.toContain('\r');
    expect(err).not.toContain('analysing');
  });

  it('prints no progress and no notes with --quiet, even on a terminal', async () => {
    // No pin and no evidence of a version: a run says which version it assumes, in a note.
    const root = writeProject({ 'proj/celery.py': "from celery import Celery\napp = Celery('proj')\n" });
    expect(await stderrOf(['check', '.', '--no-cache', '--quiet'], true, root)).toBe('');
    expect(await stderrOf(['check', '.', '--no-cache'], false, root)).toMatch(/^note: No Celery version found/);
  });
});
