import { describe, expect, it } from 'vitest';
import { renderGitlab } from '../../src/report/gitlab.js';
import { DIAGS, PASSWORD, source } from './sample.js';

describe('GitLab Code Quality', () => {
  it('prints one issue per finding with the baseline fingerprint', () => {
    const out = renderGitlab(DIAGS, source);
    expect(out).not.toContain(PASSWORD);
    expect(JSON.parse(out)).toEqual([
      {
        type: 'issue',
        check_name: 'CEL101',
        description: 'CEL101 CELERY_RESULT_SERIALIZER is renamed to result_serializer',
        categories: ['Compatibility'],
        fingerprint: '1eae09fca125435f',
        severity: 'minor',
        location: { path: 'proj/celeryconfig.py', lines: { begin: 2, end: 2 } },
      },
      {
        type: 'issue',
        check_name: 'CEL301',
        description: "CEL301 Celery(broker='redis://:****@redis:6379/0') is read differently in 5.0",
        categories: ['Compatibility'],
        fingerprint: 'b06f050d740a583e',
        severity: 'major',
        location: { path: 'proj/app.py', lines: { begin: 2, end: 5 } },
      },
      {
        type: 'issue',
        check_name: 'CEL401',
        description: 'CEL401 Autoscale 10,3: max 100% of "slots"\nsee: docs',
        categories: ['Compatibility'],
        fingerprint: '21d8cfe4db8421c6',
        severity: 'info',
        location: { path: 'deploy/Procfile, old', lines: { begin: 1, end: 1 } },
      },
    ]);
  });

  it('gives two findings on identical lines different fingerprints', () => {
    const d = DIAGS[0]!;
    const prints = JSON.parse(renderGitlab([d, { ...d }], source)).map((i: { fingerprint: string }) => i.fingerprint);
    expect(prints[0]).toBe('1eae09fca125435f');
    expect(prints[1]).toMatch(/^[0-9a-f]{16}$/);
    expect(prints[1]).not.toBe(prints[0]);
  });

  it('prints an empty array for no findings', () => {
    expect(renderGitlab([], source)).toBe('[]\n');
  });
});
