import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BaselineError,
  createBaseline,
  fingerprints,
  matchBaseline,
  parseBaseline,
  pruneBaseline,
  readBaseline,
  writeBaseline,
  type Baseline,
} from '../../src/engine/baseline.js';
import type { Diagnostic } from '../../src/engine/types.js';
import { LineIndex } from '../../src/parse/span.js';
import { writeProject } from '../helpers/project.js';

const CONF = "BROKER_URL = 'redis://:s3cret@redis/0'\nCELERY_RESULT_SERIALIZER = 'pickle'\nCELERY_TASK_SERIALIZER = 'pickle'\n";

/** Every finding a fake rule would report in `text`: CEL101 on each CELERY_ name, CEL203 on each 'pickle'. */
function findings(file: string, text: string): Diagnostic[] {
  const idx = new LineIndex(text);
  const out: Diagnostic[] = [];
  for (const [code, re] of [['CEL101', /CELERY_\w+/g], ['CEL203', /'pickle'/g], ['CEL301', /redis:\/\/\S+'/g]] as const) {
    for (const m of text.matchAll(re)) {
      out.push({ code, name: code, message: `${code}: ${m[0]}`, severity: 'warning', span: idx.span(file, m.index, m.index + m[0].length) });
    }
  }
  return out.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

describe('baseline', () => {
  it('records findings with code, file, fingerprint and a masked message', () => {
    const b = createBaseline(findings('conf.py', CONF), () => CONF);
    expect(b.version).toBe(1);
    expect(b.findings.map(({ code, file, message }) => [code, file, message])).toEqual([
      ['CEL301', 'conf.py', "CEL301: redis://:****@redis/0'"],
      ['CEL101', 'conf.py', 'CEL101: CELERY_RESULT_SERIALIZER'],
      ['CEL203', 'conf.py', "CEL203: 'pickle'"],
      ['CEL101', 'conf.py', 'CEL101: CELERY_TASK_SERIALIZER'],
      ['CEL203', 'conf.py', "CEL203: 'pickle'"],
    ]);
    for (const f of b.findings) expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(b.findings.map((f) => f.fingerprint)).size).toBe(5);
  });

  it('matches every finding after lines are inserted above them', () => {
    const baseline = createBaseline(findings('conf.py', CONF), () => CONF);
    const moved = `import os\n\n# settings\n${CONF}`;
    const now = findings('conf.py', moved);
    expect(now[0]!.span.start.line).toBe(4);
    const m = matchBaseline(now, baseline, () => moved);
    expect(m.kept).toEqual([]);
    expect(m.known).toHaveLength(5);
    expect(m.stale).toEqual([]);
  });

  it('reports a new finding on a new line, and a finding whose line changed', () => {
    const baseline = createBaseline(findings('conf.py', CONF), () => CONF);
    const changed = CONF.replace("CELERY_TASK_SERIALIZER = 'pickle'", "CELERY_TASK_SERIALIZER = 'pickle'  # still\nCELERY_EVENT_SERIALIZER = 'json'");
    const m = matchBaseline(findings('conf.py', changed), baseline, () => changed);
    expect(m.kept.map((d) => `${d.code}:${d.span.start.line}`)).toEqual(['CEL101:3', 'CEL203:3', 'CEL101:4']);
    expect(m.stale.map((e) => e.message)).toEqual(['CEL101: CELERY_TASK_SERIALIZER', "CEL203: 'pickle'"]);
  });

  it('lets each entry account for one finding among identical lines', () => {
    const two = "X = 'pickle'\nX = 'pickle'\n";
    const baseline = createBaseline(findings('a.py', "X = 'pickle'\n"), (f) => (f === 'a.py' ? "X = 'pickle'\n" : undefined));
    const m = matchBaseline(findings('a.py', two), baseline, () => two);
    expect(m.known.map((d) => d.span.start.line)).toEqual([1]);
    expect(m.kept.map((d) => d.span.start.line)).toEqual([2]);
  });

  it('does not match the same line in another file or under another code', () => {
    const baseline = createBaseline(findings('a.py', CONF), () => CONF);
    expect(matchBaseline(findings('b.py', CONF), baseline, () => CONF).kept).toHaveLength(5);
    expect(fingerprints(findings('a.py', CONF), () => CONF)).not.toEqual(fingerprints(findings('b.py', CONF), () => CONF));
  });

  it('prunes entries that no longer match, and only those', () => {
    const baseline = createBaseline(findings('conf.py', CONF), () => CONF);
    const fixed = CONF.replace("CELERY_RESULT_SERIALIZER = 'pickle'\n", '');
    const pruned = pruneBaseline(baseline, findings('conf.py', fixed), () => fixed);
    expect(pruned.findings.map((f) => f.message)).toEqual(["CEL301: redis://:****@redis/0'", 'CEL101: CELERY_TASK_SERIALIZER', "CEL203: 'pickle'"]);
    expect(pruned.findings).toEqual([baseline.findings[0], baseline.findings[3], baseline.findings[4]]);
    expect(matchBaseline(findings('conf.py', fixed), pruned, () => fixed).kept).toEqual([]);
  });

  it('writes the file atomically and reads it back', () => {
    const root = writeProject({});
    const file = path.join(root, 'celery-lint-baseline.json');
    const baseline = createBaseline(findings('conf.py', CONF), () => CONF);
    writeBaseline(file, baseline);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('{\n  "version": 1,\n  "findings": [\n    {\n      "code": "CEL301",\n      "file": "conf.py",\n      "fingerprint": "')).toBe(true);
    expect(text).not.toContain('s3cret');
    expect(readBaseline(file)).toEqual(baseline);
    expect(fs.readdirSync(root)).toEqual(['celery-lint-baseline.json']);
  });

  it('rejects a missing or malformed baseline with a message naming the file and the key', () => {
    const root = writeProject({ 'bad.json': '{"version": 1, "findings": [{"code": "CEL101", "file": "a.py", "fingerprint": 3, "message": ""}]}' });
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(BaselineError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err(() => readBaseline(path.join(root, 'missing.json'), 'missing.json'))).toBe(
      'celery-lint: baseline file not found: missing.json (create it with --write-baseline missing.json)',
    );
    expect(err(() => readBaseline(path.join(root, 'bad.json')))).toBe('celery-lint: bad.json: findings[0].fingerprint: expected a string');
    expect(err(() => parseBaseline('{"version": 2, "findings": []}', 'b.json'))).toBe('celery-lint: b.json: version: expected 1 (this celery-lint reads baseline version 1)');
    expect(err(() => parseBaseline('{"version": 1, "findings": [], "extra": 1}', 'b.json'))).toBe('celery-lint: b.json: unknown key extra');
    expect(err(() => parseBaseline('[]', 'b.json'))).toBe('celery-lint: b.json: expected a JSON object');
    expect(err(() => parseBaseline('{', 'b.json'))).toMatch(/^celery-lint: b\.json: not valid JSON: /);
    const ok: Baseline = { version: 1, findings: [] };
    expect(parseBaseline(JSON.stringify(ok), 'b.json')).toEqual(ok);
  });
});
