import { describe, expect, it } from 'vitest';
import { advisoriesDocSchema, knowledge, parseKnowledgeFile } from '../../src/engine/knowledge.js';
import { satisfies, specBounds } from '../../src/model/versions.js';

const k = knowledge();

describe('advisories.yaml', () => {
  it('holds the researched advisories, each with its fixed release', () => {
    expect(k.advisories.advisories.map((a) => [a.id, a.package, a.affected.map((r) => `${r.range} -> ${r.fixedIn}`)])).toEqual([
      ['celery-asyncresult-promise-cycle', 'celery', ['>=4.2.0rc1,<4.3.0 -> 4.3.0']],
      ['kombu-redis-direct-lookup-no-replies', 'kombu', ['>=4.6.0,<4.6.2 -> 4.6.2', '>=4.6.4,<4.6.6 -> 4.6.6']],
      ['kombu-redis-reconnect-stops-consuming', 'kombu', ['>=5.2.0,<5.4.0 -> 5.4.0']],
    ]);
  });

  it('cites an issue, pull request, commit or changelog of the project for every advisory', () => {
    for (const a of k.advisories.advisories) {
      expect(a.sources.length, a.id).toBeGreaterThan(0);
      for (const s of a.sources) expect(s.url, a.id).toMatch(/^https:\/\/github\.com\/celery\/(celery|kombu)\/(issues|pull|commit|blob)\//);
    }
  });

  it('has readable ranges whose fixed release is outside the range and above it', () => {
    for (const a of k.advisories.advisories) {
      for (const r of a.affected) {
        const b = specBounds(r.range);
        expect(b?.min && b.max, `${a.id} ${r.range}`).toBeTruthy();
        expect(satisfies(r.fixedIn, r.range), `${a.id} ${r.fixedIn}`).toBe(false);
        expect(satisfies(b!.min!.version, r.range)).toBe(true);
      }
    }
    const ping = k.advisories.advisories.find((a) => a.id === 'kombu-redis-direct-lookup-no-replies')!;
    expect(['4.6.0', '4.6.1', '4.6.2', '4.6.3', '4.6.4', '4.6.5', '4.6.6'].map((v) => ping.affected.some((r) => satisfies(v, r.range)))).toEqual([
      true, true, false, false, true, true, false,
    ]);
  });

  it('says which Celery releases close inherited persistent Django connections', () => {
    expect(['3.1.18', '4.1.1', '4.2.0', '4.3.1', '4.4.0', '4.4.7', '5.2.7', '5.6.3'].map((v) => k.djangoForkCloseAt(v)?.closesPersistent)).toEqual([
      true, true, false, false, true, true, true, true,
    ]);
    expect(k.advisories.djangoForkedConnections.djcelery.closesPersistent).toBe(false);
    expect(k.advisories.djangoForkedConnections.djcelery.source).toEqual({ release: 'v3.1.16', file: 'djcelery/loaders.py', repo: 'celery/django-celery' });
  });

  it('rejects an advisory without a source link and an unknown condition key', () => {
    const entry = (extra: string) =>
      'advisories:\n  - id: x\n    package: kombu\n    title: t\n    summary: s\n    affected: [{range: ">=1.0,<1.1", fixedIn: 1.1.0}]\n' + extra;
    const tail = 'djangoForkedConnections: {celery: [], fixupSkippedWhen: s, djcelery: {closesPersistent: false, how: h, source: {release: v3.1.16, file: f, repo: r}}}\n';
    expect(() => parseKnowledgeFile('advisories.yaml', entry('    condition: {broker: [redis]}\n    sources: []\n') + tail, advisoriesDocSchema)).toThrowError(
      /^invalid knowledge file advisories\.yaml:\n {2}at advisories\[0\]\.sources: Too small: expected array to have >=1 items$/,
    );
    expect(() =>
      parseKnowledgeFile('advisories.yaml', entry("    condition: {transport: [redis]}\n    sources: [{url: 'https://github.com/celery/kombu/pull/1', what: w}]\n") + tail, advisoriesDocSchema),
    ).toThrowError(/^invalid knowledge file advisories\.yaml:\n {2}at advisories\[0\]\.condition: Unrecognized key: "transport"$/);
  });
});
