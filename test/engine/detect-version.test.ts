import { describe, expect, it } from 'vitest';
import { detectCurrentVersion, lowerBound } from '../../src/engine/detect-version.js';
import type { ImportFact, VersionPin } from '../../src/model/types.js';

const span = { file: 'f', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const pin = (pkg: string, spec: string, source: VersionPin['source'], exact?: string, file = 'requirements.txt'): VersionPin => ({ package: pkg, spec, exact, file, span, source });

describe('detectCurrentVersion', () => {
  it('prefers a lock file entry over a requirements pin', () => {
    const d = detectCurrentVersion({ versions: [pin('celery', '==5.3.0', 'requirements', '5.3.0'), pin('celery', '', 'uv.lock', '5.3.6', 'uv.lock')], imports: [], commands: [] });
    expect(d).toEqual({ version: '5.3.6', source: 'pin', evidence: ['celery==5.3.6 in uv.lock'] });
  });

  it('takes the lowest allowed release of a range', () => {
    const d = detectCurrentVersion({ versions: [pin('celery', '>=5.4,<5.5', 'pyproject', undefined, 'pyproject.toml')], imports: [], commands: [] });
    expect(d.version).toBe('5.4');
    expect(d.source).toBe('pin');
  });

  it('infers 3.1 from djcelery imports when nothing is pinned, and says why', () => {
    const imp: ImportFact = { file: 'proj/settings.py', span, module: 'djcelery', names: [], style: 'import' };
    expect(detectCurrentVersion({ versions: [], imports: [imp], commands: [] })).toEqual({ version: '3.1', source: 'inferred', evidence: ['proj/settings.py imports djcelery'] });
  });

  it('says unknown when there is neither pin nor evidence', () => {
    expect(detectCurrentVersion({ versions: [pin('kombu', '==4.6.11', 'requirements', '4.6.11')], imports: [], commands: [] })).toEqual({ source: 'unknown', evidence: [] });
  });

  it('lowerBound', () => {
    expect([lowerBound('>=5.3,<6'), lowerBound('^5.3'), lowerBound('~=4.4.0'), lowerBound('<5')]).toEqual(['5.3', '5.3', '4.4.0', undefined]);
  });
});
