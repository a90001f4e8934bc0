import { beforeAll, describe, expect, it } from 'vitest';
import type { FileKind } from '../../src/discover/classify.js';
import { applySuppressions, parseDirective, UNUSED_NOQA, unusedNoqaDiagnostics } from '../../src/engine/suppress.js';
import type { Diagnostic, Edit } from '../../src/engine/types.js';
import { commentsOf, type Comment } from '../../src/parse/comments.js';
import { initPython } from '../../src/parse/python.js';
import { LineIndex } from '../../src/parse/span.js';

beforeAll(async () => {
  await initPython();
});

/** A tiny project: file → [kind, text]. */
function project(files: Record<string, [FileKind, string]>) {
  const comments = (file: string): Comment[] => {
    const f = files[file];
    return f ? commentsOf(f[0], file, f[1]) : [];
  };
  const diag = (code: string, file: string, needle: string): Diagnostic => {
    const text = files[file]?.[1] ?? '';
    const start = text.indexOf(needle);
    if (start < 0) throw new Error(`${needle} not in ${file}`);
    return { code, name: code.toLowerCase(), message: `${code} here`, severity: 'warning', span: new LineIndex(text).span(file, start, start + needle.length) };
  };
  return { comments, diag };
}

function applyEdit(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.content + text.slice(e.end);
}

const codesOf = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.span.file}:${d.span.start.line}`);

describe('inline suppression', () => {
  const PY = [
    "CELERY_RESULT_SERIALIZER = 'pickle'  # noqa: CEL101",
    "CELERY_TASK_SERIALIZER = 'pickle'  # noqa",
    "CELERY_ACCEPT_CONTENT = ['pickle']  # noqa:CEL203,cel201 E501",
    "BROKER_URL = 'redis://'  # noqa: fix later",
    "s = '# noqa'",
    '',
  ].join('\n');
  const { comments, diag } = project({ 'conf.py': ['python', PY] });

  it('a # noqa with codes suppresses those codes on the line where a finding starts', () => {
    const diags = [
      diag('CEL101', 'conf.py', 'CELERY_RESULT_SERIALIZER'),
      diag('CEL203', 'conf.py', "'pickle'"),
      diag('CEL101', 'conf.py', 'CELERY_TASK_SERIALIZER'),
      diag('CEL201', 'conf.py', 'CELERY_TASK_SERIALIZER'),
      diag('CEL203', 'conf.py', 'CELERY_ACCEPT_CONTENT'),
      diag('CEL201', 'conf.py', "['pickle']"),
      diag('CEL101', 'conf.py', 'CELERY_ACCEPT_CONTENT'),
      diag('CEL101', 'conf.py', 'BROKER_URL'),
      diag('CEL101', 'conf.py', 's ='),
    ];
    const r = applySuppressions(diags, comments);
    expect(codesOf(r.suppressed)).toEqual(['CEL101@conf.py:1', 'CEL101@conf.py:2', 'CEL201@conf.py:2', 'CEL203@conf.py:3', 'CEL201@conf.py:3']);
    // CEL203 on line 1 is not listed; line 4's directive has no code, so it is invalid; line 5's is in a string.
    expect(codesOf(r.kept)).toEqual(['CEL203@conf.py:1', 'CEL101@conf.py:3', 'CEL101@conf.py:4', 'CEL101@conf.py:5']);
    expect(r.unusedNoqa).toEqual([]);
  });

  it('reports listed CEL codes that suppressed nothing, with a fix that keeps the rest', () => {
    const r = applySuppressions([diag('CEL203', 'conf.py', 'CELERY_ACCEPT_CONTENT')], comments);
    expect(r.unusedNoqa.map((u) => [u.line, u.scope, u.codes])).toEqual([
      [1, 'line', ['CEL101']],
      [3, 'line', ['CEL201']],
    ]);
    expect(applyEdit(PY, r.unusedNoqa[0]!.edit!).split('\n')[0]).toBe("CELERY_RESULT_SERIALIZER = 'pickle'");
    expect(applyEdit(PY, r.unusedNoqa[1]!.edit!).split('\n')[2]).toBe("CELERY_ACCEPT_CONTENT = ['pickle']  # noqa: CEL203, E501");
    const [d1, d2] = unusedNoqaDiagnostics(r.unusedNoqa);
    expect(d1).toEqual({
      code: 'CEL900',
      name: 'unused-noqa',
      message: 'Unused noqa directive (unused: CEL101)',
      severity: 'warning',
      span: { file: 'conf.py', start: { line: 1, column: 38, offset: 37 }, end: { line: 1, column: 52, offset: 51 } },
      fix: { applicability: 'safe', message: 'Remove the unused noqa directive', edits: [{ file: 'conf.py', start: 35, end: 51, content: '' }] },
    });
    expect(d2!.message).toBe('Unused noqa directive (unused: CEL201)');
    expect(d2!.fix!.message).toBe('Remove unused codes: CEL201');
    expect(UNUSED_NOQA.code).toBe('CEL900');
  });

  it('never calls a code unused when it could not have been reported', () => {
    const r = applySuppressions([], comments, { files: ['conf.py'], reportable: (c) => c !== 'CEL101' });
    expect(r.unusedNoqa.map((u) => [u.line, u.codes])).toEqual([[3, ['CEL203', 'CEL201']]]);
  });

  it('looks for unused directives in the files given, not only those with findings', () => {
    expect(applySuppressions([], comments).unusedNoqa).toEqual([]);
    expect(applySuppressions([], comments, { files: ['conf.py'] }).unusedNoqa.map((u) => u.line)).toEqual([1, 3]);
  });

  it('keeps a reason written after the codes as a comment', () => {
    const text = 'x = 1  # noqa: CEL101 legacy settings\ny = 2  # type: ignore  # noqa: CEL102\n';
    const p = project({ 'b.py': ['python', text] });
    const r = applySuppressions([], p.comments, { files: ['b.py'] });
    expect(applyEdit(text, r.unusedNoqa[0]!.edit!).split('\n')[0]).toBe('x = 1  # legacy settings');
    expect(applyEdit(text, r.unusedNoqa[1]!.edit!).split('\n')[1]).toBe('y = 2  # type: ignore');
  });
});

describe('file-level suppression', () => {
  it('# celery-lint: noqa anywhere suppresses every finding in the file', () => {
    const p = project({ 'a.py': ['python', "A = 1\nB = 2\n# celery-lint: noqa\n"], 'b.py': ['python', 'A = 1\n'] });
    const r = applySuppressions([p.diag('CEL101', 'a.py', 'A'), p.diag('CEL203', 'a.py', 'B'), p.diag('CEL101', 'b.py', 'A')], p.comments);
    expect(codesOf(r.suppressed)).toEqual(['CEL101@a.py:1', 'CEL203@a.py:2']);
    expect(codesOf(r.kept)).toEqual(['CEL101@b.py:1']);
    expect(r.unusedNoqa).toEqual([]);
  });

  it('# celery-lint: noqa: CODES suppresses those codes file-wide, and reports the unused ones', () => {
    const p = project({ 'docker-compose.yml': ['compose', '# celery-lint: noqa: CEL301, CEL302\nservices:\n  w:\n    command: celery worker\n'] });
    const r = applySuppressions([p.diag('CEL301', 'docker-compose.yml', 'celery worker'), p.diag('CEL303', 'docker-compose.yml', 'celery worker')], p.comments);
    expect(codesOf(r.suppressed)).toEqual(['CEL301@docker-compose.yml:4']);
    expect(codesOf(r.kept)).toEqual(['CEL303@docker-compose.yml:4']);
    expect(r.unusedNoqa.map((u) => [u.line, u.scope, u.codes, u.edit])).toEqual([
      [1, 'file', ['CEL302'], { file: 'docker-compose.yml', start: 0, end: 35, content: '# celery-lint: noqa: CEL301' }],
    ]);
    const [d] = unusedNoqaDiagnostics(r.unusedNoqa);
    expect(d!.message).toBe('Unused file-level noqa directive (unused: CEL302)');
    expect(d!.fix).toEqual({ applicability: 'safe', message: 'Remove unused codes: CEL302', edits: [r.unusedNoqa[0]!.edit] });
  });

  it('a bare file-level directive that suppresses nothing is unused; a bare line # noqa never is', () => {
    const p = project({ Procfile: ['procfile', '# celery-lint: noqa\nworker: celery worker  # noqa\n'] });
    const r = applySuppressions([], p.comments, { files: ['Procfile'] });
    expect(r.unusedNoqa.map((u) => [u.line, u.scope, u.codes])).toEqual([[1, 'file', []]]);
    const [d] = unusedNoqaDiagnostics(r.unusedNoqa);
    expect(d!.message).toBe('Unused file-level noqa directive (it suppresses no finding)');
    expect(d!.fix!.message).toBe('Remove the unused noqa directive');
    expect(applyEdit('# celery-lint: noqa\nworker: celery worker  # noqa\n', r.unusedNoqa[0]!.edit!)).toBe('\nworker: celery worker  # noqa\n');
  });
});

describe('deploy files', () => {
  it('a noqa comment on a Procfile, compose or supervisor line suppresses findings on it', () => {
    const p = project({
      Procfile: ['procfile', 'worker: celery -A proj worker  # noqa: CEL301\nbeat: celery beat\n'],
      'compose.yaml': ['compose', 'services:\n  w:\n    command: celery worker  # noqa\n'],
      'w.conf': ['supervisor', '[program:w]\ncommand=celery worker ; noqa: CEL301\n'],
    });
    const diags = [
      p.diag('CEL301', 'Procfile', 'celery -A proj worker'),
      p.diag('CEL301', 'Procfile', 'celery beat'),
      p.diag('CEL302', 'compose.yaml', 'celery worker'),
      p.diag('CEL301', 'w.conf', 'celery worker'),
    ];
    const r = applySuppressions(diags, p.comments);
    expect(codesOf(r.suppressed)).toEqual(['CEL301@Procfile:1', 'CEL302@compose.yaml:3', 'CEL301@w.conf:2']);
    expect(codesOf(r.kept)).toEqual(['CEL301@Procfile:2']);
  });
});

describe('directive parsing', () => {
  const c = (text: string): Comment => ({ text, gapStart: 0, span: { file: 'f', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: text.length + 1, offset: text.length } } });
  it('reads line and file directives, bare or with codes', () => {
    expect(parseDirective(c('# NOQA'))).toMatchObject({ scope: 'line', codes: undefined, start: 0, end: 6 });
    expect(parseDirective(c('# noqa: cel101 CEL102,CEL103'))).toMatchObject({ scope: 'line', codes: ['CEL101', 'CEL102', 'CEL103'], start: 0, end: 28 });
    expect(parseDirective(c('# pragma  # noqa:CEL101'))).toMatchObject({ scope: 'line', codes: ['CEL101'], start: 10, end: 23 });
    expect(parseDirective(c('# celery-lint: noqa'))).toMatchObject({ scope: 'file', codes: undefined });
    expect(parseDirective(c('# celery-lint: noqa: CEL101'))).toMatchObject({ scope: 'file', codes: ['CEL101'] });
    expect(parseDirective(c('# noqa: see ticket'))).toBeUndefined();
    expect(parseDirective(c('# noqa-like'))).toBeUndefined();
    expect(parseDirective(c('# a comment'))).toBeUndefined();
  });
});
