import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { newestRelease } from '../../src/engine/knowledge.js';
import { lint } from '../../src/engine/run.js';
import { buildModel } from '../../src/model/build.js';
import type { ProjectModel } from '../../src/model/types.js';
import { FIXTURES, writeProject } from '../helpers/project.js';

// The Python sources skip files by a cheap text test before parsing them (code-facts.ts MARKERS, celery-config.ts
// `mentions`). This guards that the skipping loses nothing: with the pre-filters off, every Python file is parsed
// and analysed, and the findings (and the model) must be the same.
const fixtures = fs.readdirSync(FIXTURES).filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory()).sort();

const findings = (model: ProjectModel, mode: 'check' | 'migrate') =>
  lint(model, { mode, rules: allRules, newest: newestRelease(), to: mode === 'migrate' ? '5.5' : undefined }).diagnostics;

describe.each(fixtures)('pre-filters lose no finding: fixtures/%s', (fixture) => {
  const models: { filtered?: ProjectModel; unfiltered?: ProjectModel } = {};
  beforeAll(async () => {
    const root = path.join(FIXTURES, fixture);
    models.filtered = await buildModel(root, []);
    models.unfiltered = await buildModel(root, [], { prefilter: false });
  });

  it('check and migrate-check find the same with and without the pre-filters', () => {
    for (const mode of ['check', 'migrate'] as const) {
      const kept = findings(models.filtered!, mode);
      expect(kept).toEqual(findings(models.unfiltered!, mode));
    }
    // Every fixture has something to report (broken-input: its problems only), so nothing here compares two empty lists.
    expect(findings(models.unfiltered!, 'migrate').length + models.unfiltered!.problems.length).toBeGreaterThan(0);
  });

  it('builds the same model with and without the pre-filters', () => {
    expect(models.filtered).toEqual(models.unfiltered);
  });
});

describe('pre-filters lose no finding: a signature is the only Celery word of a file', () => {
  it('keeps `email.s(1)` of a task imported from a module named without a marker word', async () => {
    const root = writeProject({
      'jobs.py': 'from celery import shared_task\n\n@shared_task\ndef email(x):\n    return x\n',
      'plan.py': 'from jobs import email\n\ndef plan():\n    return email . s (1)\n',
    });
    const filtered = await buildModel(root, []);
    expect(filtered.callSites.map((c) => [c.span.file, c.kind, c.task, c.span.start.line, c.span.start.column])).toEqual([['plan.py', 's', 'jobs.email', 4, 12]]);
    expect(filtered).toEqual(await buildModel(root, [], { prefilter: false }));
  });
});
