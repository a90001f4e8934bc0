import { describe, expect, it } from 'vitest';
import { requirementsSource } from '../../../src/sources/versions/requirements.js';
import { contextFor } from '../../helpers/project.js';

describe('requirements source', () => {
  it('reads pins with exact spans, extras, markers and normalised names', () => {
    const { ctx } = contextFor({
      'requirements.txt': '-r requirements/base.txt\n# comment\ncelery[redis]==5.3.4 ; python_version >= "3.8"\n  Django_Celery==3.2.2\nkombu>=5.3,<6\n-e git+https://x/y.git#egg=z\nredis\n',
      'requirements/base.txt': 'gevent==20.9.0  # pool\n',
    });
    const { versions = [] } = requirementsSource.collect(ctx);
    expect(versions.map((v) => [v.package, v.spec, v.exact ?? null, v.file, v.span.start.line, v.span.start.column, v.span.end.column])).toEqual([
      ['celery', '==5.3.4', '5.3.4', 'requirements.txt', 3, 1, 47],
      ['django-celery', '==3.2.2', '3.2.2', 'requirements.txt', 4, 3, 23],
      ['kombu', '>=5.3,<6', null, 'requirements.txt', 5, 1, 14],
      ['redis', '', null, 'requirements.txt', 7, 1, 6],
      ['gevent', '==20.9.0', '20.9.0', 'requirements/base.txt', 1, 1, 23],
    ]);
  });
});
