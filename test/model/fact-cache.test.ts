import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/sources/build.js';
import { CACHE_DIR, decode, encode, FactCache } from '../../src/model/fact-cache.js';
import { FIXTURES, writeProject } from '../helpers/project.js';

const fixtures = fs.readdirSync(FIXTURES).filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory()).sort();

/** A copy of a fixture in a temporary folder, so its cache is written there and not in the repository. */
function copyOf(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `celery-lint-cache-${fixture}-`));
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true, filter: (src) => path.basename(src) !== CACHE_DIR });
  return dir;
}

// A file's ctime cannot be set back, so these caches take no margin for "racy" files (changed just before the
// previous run): they trust any file whose size and times are unchanged since it was recorded.
const cacheOf = (root: string) => new FactCache(path.join(root, CACHE_DIR), 0);

/** Sets every file's times two minutes back, as a checkout some time ago. */
function age(root: string): void {
  const past = new Date(Date.now() - 120_000);
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) visit(abs);
      else fs.utimesSync(abs, past, past);
    }
  };
  visit(root);
}

const TASKS = 'from celery import shared_task\n\n@shared_task\ndef add(x, y):\n    return x + y\n';
const CALLER = 'from tasks import add\n\ndef go():\n    add.delay(1, 2)\n';

describe('fact cache: a warm run builds the same model as a cold run', () => {
  describe.each(fixtures)('fixtures/%s', (fixture) => {
    it('cold, warm from size and times, and warm from content hashes are deep-equal', async () => {
      const root = copyOf(fixture);
      age(root);
      const uncached = await buildModel(root, []);
      const cold = cacheOf(root);
      const first = await buildModel(root, [], { factCache: cold });
      expect(cold.stats.statHits + cold.stats.hashHits).toBe(0);
      const warm = cacheOf(root);
      const second = await buildModel(root, [], { factCache: warm });
      expect(warm.stats.misses).toBe(0);
      // Touched files (new times, same text) are read and found unchanged by their hash.
      const now = new Date();
      for (const f of second.files) fs.utimesSync(path.join(root, f.path), now, now);
      const hashed = cacheOf(root);
      const third = await buildModel(root, [], { factCache: hashed });
      expect(hashed.stats.misses).toBe(0);
      expect(hashed.stats.statHits).toBe(0);
      expect(first).toEqual(uncached);
      expect(second).toEqual(uncached);
      expect(third).toEqual(uncached);
      // Key order too: inspect --json prints the model as built, so a warm run must print the same bytes.
      expect(JSON.stringify(second)).toBe(JSON.stringify(uncached));
      if (uncached.tasks.length > 0) expect(warm.stats.statHits).toBeGreaterThan(0);
    }, 30_000);
  });
});

describe('fact cache: safety', () => {
  it('re-analyses exactly the file that changed, and sees the change', async () => {
    const root = writeProject({ 'tasks.py': TASKS, 'caller.py': CALLER });
    age(root);
    await buildModel(root, [], { factCache: cacheOf(root) });
    fs.writeFileSync(path.join(root, 'tasks.py'), `${TASKS}\n@shared_task\ndef mul(x, y):\n    return x * y\n`);
    const cache = cacheOf(root);
    const model = await buildModel(root, [], { factCache: cache });
    // tasks.py is analysed again by both Python sources that read it; caller.py comes from the cache.
    expect(cache.stats.misses).toBe(1);
    expect(model.tasks.map((t) => t.name)).toEqual(['tasks.add', 'tasks.mul']);
    // `def mul` after the 6 lines of TASKS and the decorator: 77 characters of TASKS, one blank line, '@shared_task\n'.
    expect(model.tasks[1]!.span.start).toEqual({ line: 8, column: 1, offset: 91 });
    expect(model).toEqual(await buildModel(root, []));
  });

  it('ignores a corrupted cache file line by line, and one with a foreign header as a whole', async () => {
    const root = writeProject({ 'tasks.py': TASKS, 'caller.py': CALLER });
    age(root);
    const expected = await buildModel(root, []);
    await buildModel(root, [], { factCache: cacheOf(root) });
    const file = path.join(root, CACHE_DIR, 'facts-python-code.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(4); // header, two files, final newline
    // One entry's facts cut in half, the other's meta garbled: both are analysed again.
    const tab = lines[1]!.indexOf('\t');
    fs.writeFileSync(file, [lines[0], lines[1]!.slice(0, tab + 20), `{not json\t${lines[2]!.split('\t')[1]}`, ''].join('\n'));
    const damaged = cacheOf(root);
    expect(await buildModel(root, [], { factCache: damaged })).toEqual(expected);
    expect(damaged.stats.corrupt).toBe(2);
    expect(damaged.stats.misses).toBe(2);
    // Random bytes where the header should be.
    fs.writeFileSync(file, Buffer.from([0xff, 0x00, 0x09, 0x0a, 0x7b, 0x09]));
    const foreign = cacheOf(root);
    expect(await buildModel(root, [], { factCache: foreign })).toEqual(expected);
    expect(foreign.stats.misses).toBe(2);
    // The rebuilt cache works again.
    const rebuilt = cacheOf(root);
    expect(await buildModel(root, [], { factCache: rebuilt })).toEqual(expected);
    expect(rebuilt.stats.misses).toBe(0);
  });

  it('reads a file changed just before the previous run again instead of trusting its size and times', async () => {
    const root = writeProject({ 'tasks.py': TASKS, 'caller.py': CALLER });
    await buildModel(root, [], { factCache: new FactCache(path.join(root, CACHE_DIR)) });
    const next = new FactCache(path.join(root, CACHE_DIR));
    await buildModel(root, [], { factCache: next });
    expect(next.stats).toEqual({ statHits: 0, hashHits: 2, misses: 0, corrupt: 0 });
  });

  it('never throws when the cache folder cannot be written', async () => {
    const root = writeProject({ 'tasks.py': TASKS });
    fs.writeFileSync(path.join(root, CACHE_DIR), 'a file where the folder should be');
    const model = await buildModel(root, [], { factCache: cacheOf(root) });
    expect(model.tasks.map((t) => t.name)).toEqual(['tasks.add']);
    expect(fs.readFileSync(path.join(root, CACHE_DIR), 'utf8')).toBe('a file where the folder should be');
  });

  it('two runs saving at once leave one whole cache file, no temporary file', async () => {
    const root = writeProject({ 'tasks.py': TASKS, 'caller.py': CALLER });
    const a = new FactCache(path.join(root, CACHE_DIR));
    const b = new FactCache(path.join(root, CACHE_DIR));
    await Promise.all([buildModel(root, [], { factCache: a }), buildModel(root, [], { factCache: b })]);
    expect(fs.readdirSync(path.join(root, CACHE_DIR)).sort()).toEqual(['.gitignore', 'facts-python-apps.jsonl', 'facts-python-code.jsonl']);
    const warm = cacheOf(root);
    await buildModel(root, [], { factCache: warm });
    expect(warm.stats.misses).toBe(0);
  });

  it('appends the lines of changed files, reads the newest line of a file, and compacts when old lines pile up', async () => {
    const root = writeProject({ 'tasks.py': TASKS, 'caller.py': CALLER });
    age(root);
    await buildModel(root, [], { factCache: cacheOf(root) });
    const file = path.join(root, CACHE_DIR, 'facts-python-code.jsonl');
    const entries = () => fs.readFileSync(file, 'utf8').split('\n').slice(1, -1).map((l) => l.slice(0, l.indexOf('\t')));
    expect(entries()).toEqual(['caller.py', 'tasks.py']);
    const before = fs.readFileSync(file, 'utf8');
    const tasksPy = path.join(root, 'tasks.py');
    const edit = (n: number) => {
      fs.writeFileSync(tasksPy, `${TASKS}\n@shared_task\ndef t${n}():\n    return ${n}\n`);
      fs.utimesSync(tasksPy, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000 + n));
    };
    edit(1);
    const first = cacheOf(root);
    expect((await buildModel(root, [], { factCache: first })).tasks.map((t) => t.name)).toEqual(['tasks.add', 'tasks.t1']);
    // Appended, not rewritten: the old line of tasks.py is still there, superseded by the new one. (caller.py may
    // be appended too: recorded in the millisecond its ctime was set, it is "racy" and read again once.)
    const after = fs.readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(entries().slice(2).filter((p) => p === 'tasks.py')).toEqual(['tasks.py']);
    const warm = cacheOf(root);
    expect((await buildModel(root, [], { factCache: warm })).tasks.map((t) => t.name)).toEqual(['tasks.add', 'tasks.t1']);
    expect(warm.stats.misses).toBe(0);
    expect(warm.stats.corrupt).toBe(0);
    // Superseded lines are bounded: 2 live files allow 1.5 * 2 + 64 lines before the file is rewritten.
    for (let n = 2; n <= 70; n++) {
      edit(n);
      await buildModel(root, [], { factCache: cacheOf(root) });
    }
    expect(entries().length).toBeLessThanOrEqual(67);
    expect(entries().length).toBeGreaterThanOrEqual(2);
    const last = cacheOf(root);
    expect((await buildModel(root, [], { factCache: last })).tasks.map((t) => t.name)).toEqual(['tasks.add', 'tasks.t70']);
    expect(last.stats.misses).toBe(0);
  });

  it('does not trust a line another version of the tool appended', async () => {
    const root = writeProject({ 'tasks.py': TASKS, 'caller.py': CALLER });
    age(root);
    await buildModel(root, [], { factCache: cacheOf(root) });
    const file = path.join(root, CACHE_DIR, 'facts-python-code.jsonl');
    const [header, callerLine] = fs.readFileSync(file, 'utf8').split('\n');
    // path, size, mtime, ctime, recorded, salt, header digest, hash, facts
    const fields = callerLine!.split('\t');
    expect(fields[0]).toBe('caller.py');
    const foreign = [...fields.slice(0, 6), 'another-version', fields[7], '{"value":{"tasks":[]},"problems":[]}'];
    fs.appendFileSync(file, `${foreign.join('\t')}\n`);
    expect(header).toContain('"tool":"celery-lint"');
    const cache = cacheOf(root);
    const model = await buildModel(root, [], { factCache: cache });
    expect(cache.stats.corrupt).toBe(1);
    expect(model).toEqual(await buildModel(root, []));
  });

  it('keeps paths with tabs, line breaks and backslashes apart', async () => {
    const names = ['tab\tname.py', 'line\nbreak.py', 'back\\slash.py', 'plain.py'];
    const root = writeProject(Object.fromEntries(names.map((n, i) => [n, `from celery import shared_task\n\n@shared_task\ndef t${i}():\n    return ${i}\n`])));
    age(root);
    const expected = await buildModel(root, []);
    await buildModel(root, [], { factCache: cacheOf(root) });
    const warm = cacheOf(root);
    expect(await buildModel(root, [], { factCache: warm })).toEqual(expected);
    expect(warm.stats.misses).toBe(0);
    expect(warm.stats.corrupt).toBe(0);
    expect(expected.tasks).toHaveLength(4);
  });

  it('writes spans compactly and reads them back whole, with the file only when it is another', () => {
    const span = (file: string, a: number, b: number) => ({ file, start: { line: 1, column: a + 1, offset: a }, end: { line: 1, column: b + 1, offset: b } });
    const value = { tasks: [{ span: span('t.py', 0, 5), options: { x: { value: { kind: 'num', value: 1, span: span('t.py', 2, 3) }, span: span('other.py', 0, 1) } } }] };
    const text = encode(value, 't.py');
    expect(text).toBe('{"tasks":[{"span":{"$s":[1,1,0,1,6,5]},"options":{"x":{"value":{"kind":"num","value":1,"span":{"$s":[1,3,2,1,4,3]}},"span":{"$s":[1,1,0,1,2,1,"other.py"]}}}}]}');
    expect(JSON.stringify(decode(text, 't.py'))).toBe(JSON.stringify(value));
    // An object that only looks like a span (another key) is left as it is.
    const lookalike = { ...span('t.py', 0, 1), extra: true };
    expect(decode(encode(lookalike, 't.py'), 't.py')).toEqual(lookalike);
  });

  it('keeps values JSON cannot hold: infinities, NaN and negative zero', () => {
    const value = { a: Infinity, b: -Infinity, c: Number.NaN, d: -0, e: [0, 1.5, -2], f: { kind: 'num', value: -0 } };
    const back = decode<typeof value>(encode(value))!;
    expect(back.a).toBe(Infinity);
    expect(back.b).toBe(-Infinity);
    expect(back.c).toBeNaN();
    expect(Object.is(back.d, -0)).toBe(true);
    expect(Object.is(back.f.value, -0)).toBe(true);
    expect(Object.is(back.e[0], 0)).toBe(true);
    expect(back.e).toEqual([0, 1.5, -2]);
    expect(decode('{"truncated": [1, 2')).toBeUndefined();
  });
});
