import { beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/walk.js';
import { createContext, emptyContextStats } from '../../src/sources/context.js';
import type { ParseProblem } from '../../src/model/types.js';
import { initPython } from '../../src/parse/python.js';
import type { DiscoveredFile } from '../../src/discover/walk.js';
import { writeProject } from '../helpers/project.js';

beforeAll(async () => {
  await initPython();
});

const BROKEN = 'x = 1\ndef broken(:\n    pass\n';

function setup() {
  const root = writeProject({
    'bad.py': BROKEN,
    'm1.py': 'a = 1\n',
    'm2.py': 'b = 2\n',
    'm3.py': 'c = 3\n',
    'm4.py': 'd = 4\n',
  });
  const problems: ParseProblem[] = [];
  const stats = emptyContextStats();
  const ctx = createContext(discover(root, []), problems, undefined, { limits: { maxTrees: 2, minTrees: 1 }, stats });
  const file = (p: string): DiscoveredFile => {
    const f = ctx.files.find((x) => x.path === p);
    if (!f) throw new Error(`no ${p}`);
    return f;
  };
  return { ctx, problems, stats, file };
}

const syntaxProblem: ParseProblem = {
  file: 'bad.py',
  span: { file: 'bad.py', start: { line: 2, column: 12, offset: 17 }, end: { line: 2, column: 12, offset: 17 } },
  severity: 'error',
  message: 'syntax error: missing )',
};

describe('bounded tree cache of the source context', () => {
  it('re-parses an evicted file on demand, with a valid tree and its syntax errors reported once', () => {
    const { ctx, problems, stats, file } = setup();
    const bad = ctx.python(file('bad.py'));
    expect(bad?.errors).toEqual([{ span: syntaxProblem.span, message: syntaxProblem.message }]);
    const firstTree = bad?.tree;
    expect(problems).toEqual([syntaxProblem]);

    // Four more files through a cache of two: bad.py's tree is evicted (and deleted).
    for (const p of ['m1.py', 'm2.py', 'm3.py', 'm4.py']) expect(ctx.python(file(p))?.tree.rootNode.type).toBe('module');
    expect(stats).toMatchObject({ parses: 5, reparses: 0, evictions: 3, peakTrees: 2 });

    const again = ctx.python(file('bad.py'));
    expect(again).toBe(bad);
    const tree = again?.tree;
    expect(tree).not.toBe(firstTree);
    expect(tree?.rootNode.text).toBe(BROKEN);
    expect(tree?.rootNode.child(0)?.text).toBe('x = 1');
    expect(tree?.rootNode.hasError).toBe(true);
    expect(again?.errors).toEqual([{ span: syntaxProblem.span, message: syntaxProblem.message }]);
    expect(stats).toMatchObject({ parses: 5, reparses: 1, evictions: 4, peakTrees: 2 });
    expect(problems).toEqual([syntaxProblem]);
  });

  it('keeps the most recently used trees: touching a tree protects it from eviction', () => {
    const { ctx, stats, file } = setup();
    const m1 = ctx.python(file('m1.py'));
    const m1Tree = m1?.tree;
    ctx.python(file('m2.py'))?.tree;
    expect(m1?.tree).toBe(m1Tree); // m1 is now the most recent, m2 the oldest
    ctx.python(file('m3.py'))?.tree; // evicts m2
    expect(m1?.tree).toBe(m1Tree);
    expect(m1?.tree.rootNode.child(0)?.text).toBe('a = 1');
    expect(stats).toMatchObject({ parses: 3, reparses: 0, evictions: 1 });
    ctx.python(file('m2.py'))?.tree;
    expect(stats).toMatchObject({ parses: 3, reparses: 1, evictions: 2 });
  });

  it('does not parse a file whose text is all a source reads', () => {
    const { ctx, problems, stats, file } = setup();
    const bad = ctx.python(file('bad.py'));
    expect(bad?.text).toBe(BROKEN);
    expect(bad?.lines.position(17)).toEqual({ line: 2, column: 12, offset: 17 });
    expect(stats).toMatchObject({ parses: 0, reads: 1 });
    expect(problems).toEqual([]);
  });
});
