import type { LintResult } from '../../src/engine/run.js';
import { upgradeSteps } from '../../src/engine/version-path.js';
import type { VersionPin } from '../../src/model/types.js';
import { LineIndex } from '../../src/parse/span.js';
import type { PlanOptions } from '../../src/report/plan.js';
import { DIAGS, FILES, RULES } from './sample.js';

// The reporters' three sample findings on a 4.4.7 → 5.5 path: the renamed setting and the broker URL with a
// password on the first step, the finding with no step (and a file name that needs encoding) under "Other findings".

const REQUIREMENTS = 'celery==4.4.7\nkombu==4.6.11\n';

export const PLAN_FILES: Record<string, string> = { ...FILES, 'requirements.txt': REQUIREMENTS };

const [rename, transport, autoscale] = DIAGS;

export const PLAN_RESULT: LintResult = {
  diagnostics: [{ ...rename!, step: '4.4 → 5.0' }, transport!, autoscale!],
  versions: { mode: 'migrate', current: '4.4.7', currentSource: 'pin', evidence: [], target: '5.5' },
  steps: upgradeSteps('4.4.7', '5.5'),
  notes: [],
};

export const CELERY_PIN: VersionPin = {
  package: 'celery',
  spec: '==4.4.7',
  exact: '4.4.7',
  file: 'requirements.txt',
  span: new LineIndex(REQUIREMENTS).span('requirements.txt', 0, 'celery==4.4.7'.length),
  source: 'requirements',
};

export const PLAN_OPTIONS: PlanOptions = {
  project: 'shop',
  link: (file) => `../shop/${file.split('/').map(encodeURIComponent).join('/')}`,
  source: (file) => PLAN_FILES[file],
  rules: RULES,
  pins: [CELERY_PIN],
  command: 'celery-lint migrate-check shop',
  generator: 'celery-lint 0.1.0',
};
