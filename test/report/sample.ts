import type { Diagnostic, RuleMeta } from '../../src/engine/types.js';
import { LineIndex } from '../../src/parse/span.js';

// Three findings every reporter test renders: one with a fix, one over several lines whose message holds a
// broker URL with a password, one info-level one whose message and file name need escaping.

export const PASSWORD = 'hunter2';

export const FILES: Record<string, string> = {
  'proj/celeryconfig.py': `BROKER_URL = 'redis://:${PASSWORD}@redis:6379/0'\nCELERY_RESULT_SERIALIZER = 'json'\n`,
  'proj/app.py': `from celery import Celery\napp = Celery(\n    'proj',\n    broker='redis://:${PASSWORD}@redis:6379/0',\n)\n`,
  'deploy/Procfile, old': 'worker: celery -A proj worker --autoscale=10,3\n',
};

export const source = (file: string): string | undefined => FILES[file];

function spanOf(file: string, needle: string, length = needle.length) {
  const text = FILES[file] ?? '';
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`${needle} not in ${file}`);
  return new LineIndex(text).span(file, start, start + length);
}

const renameStart = (FILES['proj/celeryconfig.py'] ?? '').indexOf('CELERY_RESULT_SERIALIZER');

export const DIAGS: Diagnostic[] = [
  {
    code: 'CEL101',
    name: 'renamed-setting',
    message: 'CELERY_RESULT_SERIALIZER is renamed to result_serializer',
    severity: 'warning',
    span: spanOf('proj/celeryconfig.py', 'CELERY_RESULT_SERIALIZER'),
    fix: {
      applicability: 'safe',
      message: 'Rename to result_serializer',
      edits: [{ file: 'proj/celeryconfig.py', start: renameStart, end: renameStart + 'CELERY_RESULT_SERIALIZER'.length, content: 'result_serializer' }],
    },
  },
  {
    code: 'CEL301',
    name: 'dropped-transport-option',
    message: `Celery(broker='redis://:${PASSWORD}@redis:6379/0') is read differently in 5.0`,
    severity: 'error',
    span: spanOf('proj/app.py', "Celery(\n    'proj',\n    broker='redis://:hunter2@redis:6379/0',\n)"),
    step: '4.4 → 5.0',
  },
  {
    code: 'CEL401',
    name: 'autoscale-percent',
    message: 'Autoscale 10,3: max 100% of "slots"\nsee: docs',
    severity: 'info',
    span: spanOf('deploy/Procfile, old', '--autoscale=10,3'),
  },
];

export const RULES: RuleMeta[] = [
  {
    code: 'CEL101',
    name: 'renamed-setting',
    summary: 'Old-style setting name.',
    why: 'Celery 6 drops the old names.',
    example: "CELERY_RESULT_SERIALIZER = 'json'",
    useInstead: "result_serializer = 'json'",
    fixSafety: 'safe',
    versions: { description: '4.0 and later', introduced: '4.0' },
    references: ['https://docs.celeryq.dev/en/stable/userguide/configuration.html'],
    defaultSeverity: 'warning',
  },
  {
    code: 'CEL301',
    name: 'dropped-transport-option',
    summary: 'A transport option that 5.0 no longer reads.',
    why: 'The worker silently uses the default.',
    example: `app = Celery(broker='redis://:${PASSWORD}@redis/0?socket_timeout=5')`,
    useInstead: "app = Celery(broker='redis://redis/0')",
    fixSafety: 'none',
    versions: { description: '5.0 and later', introduced: '5.0' },
    references: [],
    defaultSeverity: 'error',
  },
];
