import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KnowledgeError,
  compareVersions,
  knowledgeDir,
  knowledgeFiles,
  loadKnowledge,
  newestRelease,
  parseKnowledgeFile,
  settingsDocSchema,
  releasesDocSchema,
} from '../../src/engine/knowledge.js';

describe('knowledge loading', () => {
  it('finds rules/knowledge above the source file and loads every file', () => {
    const dir = knowledgeDir();
    expect(dir.endsWith(join('rules', 'knowledge'))).toBe(true);
    const yamlFiles = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    expect(yamlFiles).toEqual(Object.keys(knowledgeFiles).sort());
    const k = loadKnowledge(dir);
    expect(k.settings.settings.length).toBe(223);
    expect(k.settings.celery31.length).toBe(130);
    expect(k.releases.celery.map((r) => r.line)).toEqual([
      '3.1', '4.0', '4.1', '4.2', '4.3', '4.4', '5.0', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6',
    ]);
    expect(newestRelease(k)).toBe('5.6.3');
  });

  it('reports the file and the zod path of a bad entry', () => {
    const text = 'settings:\n  - name: broker_url\n    namespace: broker\n    type: string\n    added: 4.0\n' +
      '    old: [BROKER_URL]\n    defaults: [{since: 4.0.0, value: null}]\n    definedIn: defaults\n' +
      '    source: {release: v4.0.0, file: celery/app/defaults.py}\ncelery31: []\n';
    expect(() => parseKnowledgeFile('settings.yaml', text, settingsDocSchema)).toThrowError(
      'invalid knowledge file settings.yaml:\n  at settings[0].added: Invalid input: expected string, received number',
    );
  });

  it('rejects unknown keys so typos in the data do not pass silently', () => {
    const text = "celery: []\nkombu:\n  - {line: '5.2', newest: 5.2.4, source: {release: v5.2.4, file: kombu/__init__.py}, newset: 1}\n";
    expect(() => parseKnowledgeFile('releases.yaml', text, releasesDocSchema)).toThrowError(
      /^invalid knowledge file releases\.yaml:\n {2}at kombu\[0\]: Unrecognized key: "newset"$/,
    );
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(() => parseKnowledgeFile('removed.yaml', 'modules: [\n', releasesDocSchema)).toThrow(KnowledgeError);
    expect(() => parseKnowledgeFile('removed.yaml', 'modules: [\n', releasesDocSchema)).toThrow(/^invalid knowledge file removed\.yaml: /);
  });

  it('fails loudly when a file in a copied folder is broken', () => {
    const src = knowledgeDir();
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    for (const f of Object.keys(knowledgeFiles)) copyFileSync(join(src, f), join(dir, f));
    const broken = readFileSync(join(dir, 'transports.yaml'), 'utf8').replace(/^  virtual: true$/m, '  virtual: yes-please');
    writeFileSync(join(dir, 'transports.yaml'), broken);
    expect(() => loadKnowledge(dir)).toThrowError(
      `invalid knowledge file ${join(dir, 'transports.yaml')}:\n  at transports[0].virtual: Invalid input: expected boolean, received string`,
    );
  });

  it('compares versions numerically', () => {
    expect(compareVersions('4.10.0', '4.9.9')).toBe(1);
    expect(compareVersions('v5.2', '5.2.0')).toBe(0);
    expect(compareVersions('3.1.26', '4.0.0')).toBe(-1);
  });
});
