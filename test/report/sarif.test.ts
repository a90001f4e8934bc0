import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import AjvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { DIAGS, PASSWORD, RULES, source } from './sample.js';

// The SARIF 2.1.0 schema as Microsoft's sarif-js-sdk ships it (draft-04). Its `language` pattern is not a valid
// regular expression with the `u` flag, so Ajv compiles patterns without it.
function sarifValidator() {
  const require = createRequire(import.meta.url);
  // CommonJS packages: under NodeNext the default import is module.exports, whose `default` is the export.
  const Ajv = AjvDraft04.default;
  const addFormats = AjvFormats.default;
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('SARIF', () => {
  const out = renderSarif(DIAGS, RULES, { version: '0.1.0', source });
  const log = JSON.parse(out);

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(renderSarif([], RULES, { version: '0.1.0', source })))).toBe(true);
  });

  it('the validator rejects a result without a message', () => {
    const validate = sarifValidator();
    const broken = structuredClone(log);
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/runs/0/results/0', params: { missingProperty: 'message' } });
  });

  it('never contains the password, in results or in rule help', () => {
    expect(out).not.toContain(PASSWORD);
    expect(out).toContain("redis://:****@redis/0?socket_timeout=5");
  });

  it('describes the tool and each rule', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0].tool.driver;
    expect({ ...driver, rules: undefined }).toEqual({
      name: 'celery-lint',
      version: '0.1.0',
      semanticVersion: '0.1.0',
      informationUri: 'https://github.com/celery-lint/celery-lint',
      rules: undefined,
    });
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(['CEL101', 'CEL301']);
    const { help, ...rest } = driver.rules[0];
    expect(rest).toEqual({
      id: 'CEL101',
      name: 'renamed-setting',
      shortDescription: { text: 'Old-style setting name.' },
      fullDescription: { text: 'Celery 6 drops the old names.' },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['celery', 'upgrade'] },
    });
    expect(help.text).toBe('Old-style setting name.\n\nCelery 6 drops the old names.');
    expect(help.markdown.startsWith('# CEL101 renamed-setting\n\n## What it does\nOld-style setting name.\n\n## Why is this bad?\nCelery 6 drops the old names.\n')).toBe(true);
    expect(driver.rules[1].defaultConfiguration).toEqual({ level: 'error' });
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');
  });

  it('reports each finding with a relative location, fingerprint and fix', () => {
    expect(log.runs[0].results).toEqual([
      {
        ruleId: 'CEL101',
        ruleIndex: 0,
        level: 'warning',
        message: { text: 'CELERY_RESULT_SERIALIZER is renamed to result_serializer' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'proj/celeryconfig.py', uriBaseId: '%SRCROOT%' },
              region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 25 },
            },
          },
        ],
        partialFingerprints: { 'celeryLint/v1': '1eae09fca125435f' },
        fixes: [
          {
            description: { text: 'Rename to result_serializer' },
            artifactChanges: [
              {
                artifactLocation: { uri: 'proj/celeryconfig.py', uriBaseId: '%SRCROOT%' },
                replacements: [
                  { deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 25 }, insertedContent: { text: 'result_serializer' } },
                ],
              },
            ],
          },
        ],
      },
      {
        ruleId: 'CEL301',
        ruleIndex: 1,
        level: 'error',
        message: { text: "Celery(broker='redis://:****@redis:6379/0') is read differently in 5.0" },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'proj/app.py', uriBaseId: '%SRCROOT%' },
              region: { startLine: 2, startColumn: 7, endLine: 5, endColumn: 2 },
            },
          },
        ],
        partialFingerprints: { 'celeryLint/v1': 'b06f050d740a583e' },
        properties: { step: '4.4 → 5.0' },
      },
      {
        ruleId: 'CEL401',
        level: 'note',
        message: { text: 'Autoscale 10,3: max 100% of "slots"\nsee: docs' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'deploy/Procfile%2C%20old', uriBaseId: '%SRCROOT%' },
              region: { startLine: 1, startColumn: 31, endLine: 1, endColumn: 47 },
            },
          },
        ],
        partialFingerprints: { 'celeryLint/v1': '21d8cfe4db8421c6' },
      },
    ]);
  });

  it('keeps the fingerprint when lines are inserted above, and gives a fix region by offset without the text', () => {
    const moved = { ...DIAGS[0]!, fix: undefined, span: { ...DIAGS[0]!.span, start: { line: 5, column: 1, offset: 65 }, end: { line: 5, column: 25, offset: 89 } } };
    const text = `# one\n# two\n# three\n${source('proj/celeryconfig.py')}`;
    const again = JSON.parse(renderSarif([moved], RULES, { version: '0.1.0', source: (f) => (f === 'proj/celeryconfig.py' ? text : undefined) }));
    expect(again.runs[0].results[0].partialFingerprints).toEqual({ 'celeryLint/v1': '1eae09fca125435f' });
    const blind = JSON.parse(renderSarif([DIAGS[0]!], RULES, { version: '0.1.0', source: () => undefined }));
    expect(blind.runs[0].results[0].fixes[0].artifactChanges[0].replacements[0].deletedRegion).toEqual({ charOffset: 45, charLength: 24 });
  });
});
