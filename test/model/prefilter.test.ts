import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { newestRelease } from '../../src/engine/knowledge.js';
import { lint } from '../../src/engine/run.js';
import { buildModel } from '../../src/sources/build.js';
import type { ProjectModel } from '../../src/model/types.js';
import { FIXTURES, writeProject } from '../helpers/project.js';

// The Python sources skip files by a cheap text test before parsing them (code-facts.ts mayContribute, celery-config.ts
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

describe('pre-filters lose no finding: a Celery-prefixed setting name is the only Celery word of a file', () => {
  it("keeps `settings.CELERY_X` in a file with no marker, so CEL103 stays silent on the project's own constant", async () => {
    const root = writeProject({
      'requirements.txt': 'celery==5.2.7\n',
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
      'proj/__init__.py': '',
      'proj/celery.py': "from celery import Celery\n\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n",
      'proj/settings.py': 'CELERY_BEAT_NAME_BY_TASK = True\n',
      'proj/schedule.py': 'from django.conf import settings\n\nBY_NAME = settings.CELERY_BEAT_NAME_BY_TASK\n',
    });
    const filtered = await buildModel(root, []);
    expect(filtered.settingReads.map((r) => [r.span.file, r.via, r.name, r.span.start.line, r.span.start.column])).toEqual([['proj/schedule.py', 'attribute', 'CELERY_BEAT_NAME_BY_TASK', 3, 20]]);
    const unfiltered = await buildModel(root, [], { prefilter: false });
    expect(filtered).toEqual(unfiltered);
    expect(findings(filtered, 'check')).toEqual(findings(unfiltered, 'check'));
    expect(findings(filtered, 'check').filter((d) => d.code === 'CEL103')).toEqual([]);
  });
});
