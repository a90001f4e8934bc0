import { beforeAll, describe, expect, it } from 'vitest';
import { initPython, parsePython, namedChildren } from '../../src/parse/python.js';
import { evaluate, toPlain, describeValue } from '../../src/parse/pyvalue.js';
import type { Value } from '../../src/model/types.js';

beforeAll(async () => {
  await initPython();
});

function value(expr: string, scope: Map<string, Value> = new Map()): Value {
  const py = parsePython('x.py', `X = ${expr}\n`);
  const stmt = namedChildren(py.tree.rootNode)[0]!;
  const assign = namedChildren(stmt)[0]!;
  return evaluate(py, assign.childForFieldName('right')!, scope);
}

describe('evaluate', () => {
  it.each([
    ["'a' 'b'", 'ab'],
    ['"redis://" + "h:6379"', 'redis://h:6379'],
    ["r'\\d+'", '\\d+'],
    ["'tab\\tnew\\nline'", 'tab\tnew\nline'],
    ['60 * 60 * 24', 86400],
    ['-5', -5],
    ['1_000', 1000],
    ['0x10', 16],
    ['2.5', 2.5],
    ['True', true],
    ['None', null],
    ["['json', 'msgpack']", ['json', 'msgpack']],
    ["('json',)", ['json']],
    ["{'visibility_timeout': 3600, 'socket_timeout': 5}", { visibility_timeout: 3600, socket_timeout: 5 }],
    ["(('a' + 'b'))", 'ab'],
  ])('%s', (expr, expected) => {
    expect(toPlain(value(expr))).toEqual(expected);
  });

  it('reads environment lookups with their defaults', () => {
    expect(value("os.environ.get('BROKER_URL', 'redis://localhost')")).toMatchObject({ kind: 'env', name: 'BROKER_URL', default: { kind: 'str', value: 'redis://localhost' } });
    expect(value("os.getenv('X')")).toMatchObject({ kind: 'env', name: 'X' });
    expect(value("os.environ['X']")).toMatchObject({ kind: 'env', name: 'X' });
    expect(value("env('CELERY_BROKER_URL', default='redis://redis:6379/0')")).toMatchObject({ kind: 'env', name: 'CELERY_BROKER_URL', default: { value: 'redis://redis:6379/0' } });
    expect(value("env.int('CONC', default=4)")).toMatchObject({ kind: 'env', name: 'CONC', default: { kind: 'num', value: 4 } });
  });

  it('never guesses: calls, f-strings, %-formatting and unknown names are unknown', () => {
    for (const expr of ["f'redis://{HOST}'", "'redis://%s' % host", 'get_url()', 'HOST', "b'bytes'", '[*a]']) {
      const v = value(expr);
      expect(v.kind, expr).toBe('unknown');
    }
    expect(describeValue(value('get_url()'))).toBe('<get_url()>');
  });

  it('marks bytes literals, whose type is certain though their value is not kept', () => {
    for (const expr of ["b'x'", 'rb"x"', "Br'x'", "b'a' b'b'"]) expect(value(expr), expr).toMatchObject({ kind: 'unknown', literal: 'bytes' });
    for (const expr of ["f'x{y}'", "'a' b'b'", 'get()', "u'x' + y"]) expect((value(expr) as { literal?: string }).literal, expr).toBeUndefined();
  });

  it("keeps an f-string's text with its replacement fields as a template", () => {
    expect(value('f"redis://{HOST}:6379/{db + 1}"')).toMatchObject({ kind: 'unknown', template: 'redis://{HOST}:6379/{db + 1}' });
    expect(value("rf'a\\n{x}'")).toMatchObject({ template: 'a\\n{x}' });
    expect((value("'x' + y") as { template?: string }).template).toBeUndefined();
  });

  it('uses names bound earlier in the module', () => {
    const scope = new Map<string, Value>([['HOST', { kind: 'str', value: 'redis://r' }]]);
    expect(toPlain(value("HOST + ':6379/0'", scope))).toBe('redis://r:6379/0');
  });

  it('records exact spans on values', () => {
    const v = value("['json']");
    expect(v.span).toMatchObject({ file: 'x.py', start: { line: 1, column: 5, offset: 4 }, end: { line: 1, column: 13, offset: 12 } });
  });
});

describe('parsePython', () => {
  it('parses what it can and reports syntax errors with their location', () => {
    const py = parsePython('bad.py', "BROKER_URL = 'redis://'\ndef broken(:\n    pass\nCELERY_TIMEZONE = 'UTC'\n");
    expect(py.errors.length).toBeGreaterThan(0);
    expect(py.errors[0]!.span.start.line).toBe(2);
    const names = namedChildren(py.tree.rootNode).filter((n) => n.type === 'expression_statement').map((n) => n.text);
    expect(names).toEqual(["BROKER_URL = 'redis://'", "CELERY_TIMEZONE = 'UTC'"]);
  });
});
