import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/project.js';
import { run } from './run.js';

const fixtures = fs.readdirSync(FIXTURES).filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory()).sort();

interface JsonFinding {
  code: string;
  filename: string;
  message: string;
  location: { row: number; column: number };
}

const findingsOf = (stdout: string) => (JSON.parse(stdout) as JsonFinding[]).map((f) => `${f.filename}:${f.location.row}:${f.location.column} ${f.code} ${f.message}`);

// Pre-commit passes only the changed files, and rules skip work whose findings would land in other files: checking one
// file must report exactly what a whole-project run reports in that file.
describe('checking some files reports what a whole run reports in them', () => {
  describe.each(fixtures)('fixtures/%s', (fixture) => {
    it.each(['check', 'migrate-check'] as const)('%s', async (mode) => {
      const root = path.join(FIXTURES, fixture);
      const extra = mode === 'migrate-check' ? ['--to', '5.5'] : [];
      const whole = await run([mode, root, '--no-cache', '--output-format', 'json', ...extra], root);
      const all = findingsOf(whole.stdout);
      // filenames are relative to the project root
      const files = [...new Set((JSON.parse(whole.stdout) as JsonFinding[]).map((f) => f.filename))];
      for (const file of files) {
        const one = await run([mode, file, '--no-cache', '--output-format', 'json', ...extra], root);
        const want = all.filter((f) => f.startsWith(`${file}:`));
        expect(findingsOf(one.stdout), file).toEqual(want);
        expect(want.length).toBeGreaterThan(0);
      }
    }, 60_000);
  });
});
