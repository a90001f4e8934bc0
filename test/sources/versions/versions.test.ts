import { describe, expect, it } from 'vitest';
import type { VersionPin } from '../../../src/model/types.js';
import {
  atLeast, compareVersions, effectiveVersion, normalisePackage, parseVersion, satisfies, singleMajor, specBounds, toPep440,
} from '../../../src/model/versions.js';

describe('parseVersion', () => {
  it.each([
    ['4.2.1', { epoch: 0, release: [4, 2, 1], isPrerelease: false }],
    ['3.1', { epoch: 0, release: [3, 1], isPrerelease: false }],
    ['5.3.0rc1', { epoch: 0, release: [5, 3, 0], pre: { label: 'rc', number: 1 }, isPrerelease: true }],
    ['5.0.0b2', { epoch: 0, release: [5, 0, 0], pre: { label: 'b', number: 2 }, isPrerelease: true }],
    ['v1.0.post2', { epoch: 0, release: [1, 0], post: 2, isPrerelease: false }],
    ['2.0.dev3', { epoch: 0, release: [2, 0], dev: 3, isPrerelease: true }],
    ['1.0.post0', { epoch: 0, release: [1, 0], post: 0, isPrerelease: false }],
    ['1!2.0', { epoch: 1, release: [2, 0], isPrerelease: false }],
    ['1.0+ubuntu.7', { epoch: 0, release: [1, 0], local: 'ubuntu.7', isPrerelease: false }],
  ])('%s', (text, parsed) => {
    expect(parseVersion(text)).toEqual(parsed);
  });

  it.each(['', 'abc', '4.x', '==4.2'])('%j is not a version', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it.each([
    ['3.1', '3.1.0', 0],
    ['4.10', '4.9', 1],
    ['5.3.0rc1', '5.3.0', -1],
    ['5.0.0a1', '5.0.0b1', -1],
    ['1.0.dev1', '1.0a1', -1],
    ['1.0.post1', '1.0', 1],
    ['3.1.25', '4.0', -1],
    ['1!1.0', '2.0', 1],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('is undefined when either side is not a version', () => {
    expect(compareVersions('x', '1.0')).toBeUndefined();
    expect(compareVersions('1.0', '')).toBeUndefined();
  });
});

describe('satisfies', () => {
  it.each([
    ['4.2.1', '==4.2.1', true],
    ['4.2.1', '==4.2', false],
    ['3.1', '==3.1.0', true],
    ['4.2.1', '!=4.2.1', false],
    ['4.2.1', '>=4', true],
    ['3.1.25', '>=4', false],
    ['4.0', '<=4.0.0', true],
    ['5.0', '>4.4.7', true],
    ['4.4.7', '<4.4.7', false],
    ['4.4.7', '~=4.4', true],
    ['5.0', '~=4.4', false],
    ['4.4.9', '~=4.4.0', true],
    ['4.5.0', '~=4.4.0', false],
    ['4.2.1', '===4.2.1', true],
    ['4.2.1', '===4.2.1.0', false],
    ['4.2.1', '==4.*', true],
    ['5.0', '==4.*', false],
    ['4.2.9', '==4.2.*', true],
    ['4.3', '!=4.2.*', true],
    ['4.2.0', '!=4.2.*', false],
    ['5.3.4', '>=5.3,<6', true],
    ['6.0', '>=5.3,<6', false],
    ['5.3.4', '>= 5.3, < 6', true],
    ['5.3.4', '(>=5.3,<6)', true],
    ['4.2.1', '>=4,<5,!=4.2.1', false],
    ['5.3.0rc1', '>=5.3', false],
    ['5.3.0rc1', '>=5.3.0rc1', true],
    ['5.3.0rc1', '>=5.2,<6', true],
    ['5.3.4', '', true],
    ['5.3.4', '*', true],
    // Poetry
    ['5.9.0', '^5.3', true],
    ['6.0.0', '^5.3', false],
    ['5.2', '^5.3', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['0.0.9', '^0.0', true],
    ['0.1', '^0.0', false],
    ['0.9', '^0', true],
    ['1.0', '^0', false],
    ['5.3.9', '~5.3', true],
    ['5.4', '~5.3', false],
    ['5.3.9', '~5.3.1', true],
    ['5.9', '~5', true],
    ['6.0', '~5', false],
    ['5.3.4', '5.3.4', true],
    ['5.3.5', '5.3.4', false],
    ['5.3.4', '5.3.*', true],
    ['4.4.7', '^4.4 || ^5.3', true],
    ['5.0', '^4.4 || ^5.3', false],
    ['5.3.1', '>= 5.3 < 6', true],
    ['6.1', '>= 5.3 < 6', false],
  ])('%s against %j → %s', (version, spec, expected) => {
    expect(satisfies(version, spec)).toBe(expected);
  });

  it.each([
    ['x', '>=1'],
    ['4.0', 'garbage'],
    ['4.0', '>=>4'],
    ['4.0', '^abc'],
    ['4.0', '~=4'],
  ])('is undefined for %j against %j', (version, spec) => {
    expect(satisfies(version, spec)).toBeUndefined();
  });
});

describe('toPep440 and specBounds', () => {
  it('translates Poetry operators and space-separated constraints', () => {
    expect(toPep440('^5.3')).toEqual(['>=5.3,<6']);
    expect(toPep440('~4.4.7')).toEqual(['>=4.4.7,<4.5']);
    expect(toPep440('>= 4.0 < 5, != 4.2.1')).toEqual(['>=4.0,<5,!=4.2.1']);
    expect(toPep440('^4.4 || 5.3.*')).toEqual(['>=4.4,<5', '==5.3.*']);
    expect(toPep440('*')).toEqual(['']);
  });

  it.each([
    ['>=5.3,<6', { min: { version: '5.3', inclusive: true }, max: { version: '6', inclusive: false } }],
    ['==4.*', { min: { version: '4', inclusive: true }, max: { version: '5', inclusive: false } }],
    ['==4.2.*', { min: { version: '4.2', inclusive: true }, max: { version: '4.3', inclusive: false } }],
    ['~=4.4.0', { min: { version: '4.4.0', inclusive: true }, max: { version: '4.5', inclusive: false } }],
    ['~=4.4', { min: { version: '4.4', inclusive: true }, max: { version: '5', inclusive: false } }],
    ['^5.3', { min: { version: '5.3', inclusive: true }, max: { version: '6', inclusive: false } }],
    ['==4.2.1', { min: { version: '4.2.1', inclusive: true }, max: { version: '4.2.1', inclusive: true } }],
    ['>4,>=4', { min: { version: '4', inclusive: false } }],
    ['<5,<=5.0', { max: { version: '5', inclusive: false } }],
    ['>=3.1,>=4.0,<=4.4.7,<5', { min: { version: '4.0', inclusive: true }, max: { version: '4.4.7', inclusive: true } }],
    ['!=4.2', {}],
    ['', {}],
    ['^4.4 || ^5.3', { min: { version: '4.4', inclusive: true }, max: { version: '6', inclusive: false } }],
    ['>=4 || <3', {}],
  ])('%j', (spec, bounds) => {
    expect(specBounds(spec)).toEqual(bounds);
  });

  it('is undefined for specs it cannot read', () => {
    expect(specBounds('~=4')).toBeUndefined();
    expect(specBounds('junk')).toBeUndefined();
  });
});

describe('effectiveVersion', () => {
  let line = 0;
  const pin = (pkg: string, spec: string, source: VersionPin['source'], exact?: string): VersionPin => {
    line++;
    const position = { line, column: 1, offset: line * 10 };
    const p: VersionPin = { package: pkg, spec, file: `${source}-file`, span: { file: `${source}-file`, start: position, end: position }, source };
    if (exact) p.exact = exact;
    return p;
  };

  it('prefers a lock file over an == in requirements', () => {
    const req = pin('celery', '==4.4.6', 'requirements', '4.4.6');
    const lock = pin('celery', '==4.4.7', 'poetry.lock', '4.4.7');
    const eff = effectiveVersion([req, lock], 'celery');
    expect(eff).toEqual({ kind: 'exact', version: '4.4.7', pin: lock, pins: [req, lock] });
    expect(atLeast(eff, '4.4.7')).toBe(true);
    expect(atLeast(eff, '5.0')).toBe(false);
    expect(singleMajor(eff)).toBe(4);
  });

  it('prefers an == in requirements over an == elsewhere, and any == over a range', () => {
    const setupPy = pin('celery', '==4.0.0', 'setup.py', '4.0.0');
    const req = pin('celery', '==4.4.7', 'requirements', '4.4.7');
    const range = pin('celery', '>=4', 'pyproject');
    expect(effectiveVersion([range, setupPy, req], 'celery')).toMatchObject({ kind: 'exact', version: '4.4.7', pin: req });
    expect(effectiveVersion([range, setupPy], 'celery')).toMatchObject({ kind: 'exact', version: '4.0.0', pin: setupPy });
  });

  it('intersects ranges and keeps every spec, so a rule can tell "somewhere in 4.4"', () => {
    const cfg = pin('celery', '>=4.0,<6', 'setup.cfg');
    const req = pin('celery', '~=4.4.0', 'requirements');
    const eff = effectiveVersion([cfg, req], 'celery');
    expect(eff).toEqual({
      kind: 'range', spec: '>=4.0,<6,~=4.4.0', min: { version: '4.4.0', inclusive: true }, max: { version: '4.5', inclusive: false }, pin: cfg, pins: [cfg, req],
    });
    expect(satisfies('4.4.7', eff?.kind === 'range' ? eff.spec : '')).toBe(true);
    expect(singleMajor(eff)).toBe(4);
    expect(atLeast(eff, '4.0')).toBe(true);
    expect(atLeast(eff, '5.0')).toBe(false);
  });

  it('reads a Poetry caret range', () => {
    const eff = effectiveVersion([pin('celery', '^5.3', 'poetry')], 'celery');
    expect(eff).toMatchObject({ kind: 'range', spec: '^5.3', min: { version: '5.3', inclusive: true }, max: { version: '6', inclusive: false } });
    expect(singleMajor(eff)).toBe(5);
    expect(atLeast(eff, '5.0')).toBe(true);
    expect(atLeast(eff, '5.4')).toBeUndefined();
    expect(atLeast(eff, '6')).toBe(false);
  });

  it('cannot tell the major of an open or straddling range', () => {
    expect(singleMajor(effectiveVersion([pin('celery', '>=4.1', 'requirements')], 'celery'))).toBeUndefined();
    expect(singleMajor(effectiveVersion([pin('celery', '>=4.1,<=5.0', 'requirements')], 'celery'))).toBeUndefined();
    expect(singleMajor(effectiveVersion([pin('celery', '>=4.1,<5', 'requirements')], 'celery'))).toBe(4);
    expect(atLeast(effectiveVersion([pin('celery', '<5', 'requirements')], 'celery'), '4.0')).toBeUndefined();
  });

  it('keeps a || spec alone rather than joining it', () => {
    const poetry = pin('celery', '^4.4 || ^5.3', 'poetry');
    const req = pin('celery', '>=4', 'requirements');
    expect(effectiveVersion([poetry, req], 'celery')).toMatchObject({
      kind: 'range', spec: '^4.4 || ^5.3', min: { version: '4.4', inclusive: true }, max: { version: '6', inclusive: false }, pin: poetry,
    });
  });

  it('says "any" for an unconstrained requirement, normalises the asked name, and is undefined when absent', () => {
    const bare = pin('django-celery', '', 'requirements');
    const eff = effectiveVersion([bare], 'Django_Celery');
    expect(eff).toEqual({ kind: 'any', pin: bare, pins: [bare] });
    expect(atLeast(eff, '3.0')).toBeUndefined();
    expect(singleMajor(eff)).toBeUndefined();
    expect(effectiveVersion([bare], 'celery')).toBeUndefined();
  });

  it('normalises package names as PEP 503 does', () => {
    expect(normalisePackage('Django_Celery')).toBe('django-celery');
    expect(normalisePackage('django.celery__results')).toBe('django-celery-results');
    expect(normalisePackage(' Flower ')).toBe('flower');
  });
});
