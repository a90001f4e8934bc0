import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { DIAGS, PASSWORD } from './sample.js';

describe('GitHub Actions annotations', () => {
  it('prints one workflow command per finding, escaped, with columns only for one-line spans', () => {
    expect(renderGithub(DIAGS)).toBe(
      [
        '::warning file=proj/celeryconfig.py,line=2,col=1,endLine=2,endColumn=25,title=CEL101 renamed-setting::CELERY_RESULT_SERIALIZER is renamed to result_serializer',
        "::error file=proj/app.py,line=2,endLine=5,title=CEL301 dropped-transport-option::Celery(broker='redis://:****@redis:6379/0') is read differently in 5.0",
        '::notice file=deploy/Procfile%2C old,line=1,col=31,endLine=1,endColumn=47,title=CEL401 autoscale-percent::Autoscale 10,3: max 100%25 of "slots"%0Asee: docs',
        '',
      ].join('\n'),
    );
    expect(renderGithub(DIAGS)).not.toContain(PASSWORD);
  });

  it('prints nothing for no findings', () => {
    expect(renderGithub([])).toBe('');
  });

  it('escapes as @actions/core does', () => {
    expect(escapeData('50%\r\na:b,c')).toBe('50%25%0D%0Aa:b,c');
    expect(escapeProperty('50%\r\na:b,c')).toBe('50%25%0D%0Aa%3Ab%2Cc');
  });
});
