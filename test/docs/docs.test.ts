import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/sources/build.js';
import { inspectJson } from '../../src/report/inspect.js';
import { redact } from '../../src/report/redact.js';
import { expectedDocs } from '../../scripts/gen-docs.js';
import { FIXTURES } from '../helpers/project.js';

const ROOT = path.resolve(FIXTURES, '..');

describe('generated documentation', () => {
  it('docs/rules/*.md, the README rules table and docs/inspect-schema.json match the code (npm run docs)', () => {
    const stale = [...expectedDocs(ROOT)].filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text).map(([file]) => path.relative(ROOT, file));
    expect(stale).toEqual([]);
  }, 30_000);

  it('inspect --json of every fixture validates against the published schema', async () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/inspect-schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    for (const fixture of fs.readdirSync(FIXTURES).filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory())) {
      const json = JSON.parse(JSON.stringify(inspectJson(redact(await buildModel(path.join(FIXTURES, fixture))))));
      const ok = validate(json);
      expect({ fixture, errors: ok ? [] : validate.errors?.slice(0, 3) }).toEqual({ fixture, errors: [] });
    }
  }, 30_000);
});
