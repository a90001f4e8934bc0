import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { initPython, parsesCleanly } from '../../src/parse/python.js';
import { FIXTURES } from '../helpers/project.js';

// Property-based robustness: generated and mutated inputs must never crash check or --fix, exit codes stay
// 0/1/2, --fix writes only files that still parse and is idempotent. CELERY_LINT_FUZZ_RUNS=5000 runs longer.
const RUNS = Number(process.env.CELERY_LINT_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.CELERY_LINT_FUZZ_SEED ?? 20261125);
const PER_RUN_MS = 10_000;

const seeds: string[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-fuzz-'));
let counter = 0;

beforeAll(async () => {
  await initPython();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'broken-input') walk(p);
      else if (e.isFile() && /\.(py|txt|yml|yaml|env|conf|toml)$|Procfile/.test(e.name)) seeds.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(FIXTURES);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const started = Date.now();
  const code = await runCli(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd });
  return { code, out, err, ms: Date.now() - started };
}

function project(files: Record<string, string | Buffer>): string {
  const root = path.join(work, String(counter++));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      // the on-disk cache is celery-lint's own state, not project content
      if (e.isDirectory()) {
        if (e.name !== '.celery-lint-cache') walk(p);
      }
      else if (e.isFile()) out.set(path.relative(root, p), fs.readFileSync(p, 'latin1'));
    }
  };
  walk(root);
  return out;
}

/** check, then --fix twice: no crash, sane exit codes, written files parse, the second fix changes nothing. */
async function robust(files: Record<string, string | Buffer>): Promise<void> {
  try {
    await robustIn(files);
  } catch (e) {
    if (process.env.FUZZ_DEBUG) console.error('FAILED', (e as Error).message.slice(0, 500));
    throw e;
  }
}

async function robustIn(files: Record<string, string | Buffer>): Promise<void> {
  const root = project(files);
  const before = snapshot(root);
  const check = await cli(['check', '.'], root);
  expect([0, 1, 2], check.err).toContain(check.code);
  expect(check.err).not.toMatch(/internal error|\n\s+at /);
  expect(check.ms).toBeLessThan(PER_RUN_MS);
  const fix1 = await cli(['check', '.', '--fix', '--unsafe-fixes'], root);
  expect([0, 1, 2], fix1.err).toContain(fix1.code);
  expect(fix1.err).not.toMatch(/internal error|\n\s+at /);
  const afterFix = snapshot(root);
  for (const [file, text] of afterFix) {
    if (text === before.get(file) || !file.endsWith('.py')) continue;
    // a file --fix wrote must parse whenever it parsed before
    if (parsesCleanly(Buffer.from(before.get(file) ?? '', 'latin1').toString('utf8'))) expect(parsesCleanly(Buffer.from(text, 'latin1').toString('utf8')), file).toBe(true);
  }
  await cli(['check', '.', '--fix', '--unsafe-fixes'], root);
  expect(snapshot(root)).toEqual(afterFix);
}

const APP = "from celery import Celery\napp = Celery('proj')\napp.config_from_object('celeryconfig')\n";

/** A seed file cut, spliced with noise, or with its line endings and indentation scrambled. */
const mutated = fc
  .tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('cut', 'insert', 'delete', 'crlf', 'tabs', 'bom', 'dup'), fc.string({ unit: 'binary', maxLength: 12 }))
  .map(([i, a, b, how, noise]) => {
    const s = seeds[i % seeds.length] ?? '';
    const x = a % (s.length + 1);
    const y = Math.min(s.length, x + (b % 80));
    switch (how) {
      case 'cut':
        return s.slice(0, x);
      case 'insert':
        return s.slice(0, x) + noise + s.slice(x);
      case 'delete':
        return s.slice(0, x) + s.slice(y);
      case 'crlf':
        return s.replace(/\n/g, (m, off: number) => (off % 3 === 0 ? '\r\n' : off % 3 === 1 ? '\r' : m));
      case 'tabs':
        return s.replace(/^ {4}/gm, '\t');
      case 'bom':
        return `\uFEFF${s}`;
      default:
        return s.slice(0, y) + s.slice(x);
    }
  });

describe('fuzzing check and --fix', () => {
  it('mutated fixture files as a celeryconfig, a settings module and a Procfile', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, mutated, mutated, async (config, tasks, other) => {
        await robust({ 'app.py': APP, 'celeryconfig.py': config, 'tasks.py': tasks, Procfile: other, 'requirements.txt': 'celery==4.4.7\n' });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);

  it('random bytes and random unicode as Python, YAML and .env', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 300 }), async (bytes, text) => {
        await robust({ 'app.py': APP, 'celeryconfig.py': Buffer.from(bytes), 'docker-compose.yml': text, '.env': text, 'tasks.py': text });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);

  it('deeply nested expressions and long lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('(', '[', '{', 'f(', '-'), async (depth, open) => {
        const close = { '(': ')', '[': ']', '{': '}', 'f(': ')', '-': '' }[open];
        const expr = `${open.repeat(depth)}1${close.repeat(depth)}`;
        await robust({ 'app.py': APP, 'celeryconfig.py': `CELERY_TASK_SERIALIZER = 'json'\nBROKER_URL = ${expr}\nx = 'a' ${"+ 'a' ".repeat(depth)}\n` });
      }),
      { numRuns: Math.max(10, Math.ceil(RUNS / 4)), seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});

describe('hostile files', () => {
  it('empty files, a directory named .py, a symlink loop, a 20 MB file, non-UTF-8, NUL bytes', async () => {
    const big = `BROKER_URL = 'redis://h'\n${'x = 1\n'.repeat(20 * 1024 * 1024 / 6)}`;
    const root = project({
      'app.py': APP,
      'celeryconfig.py': "CELERY_TASK_SERIALIZER = 'json'\n",
      'empty.py': '',
      'dir.py/inner.txt': 'x',
      'big.py': big,
      'latin1.py': Buffer.from("BROKER_URL = 'caf\xe9'\n", 'latin1'),
      'nul.py': Buffer.from('x = 1\0\0\n'),
    });
    fs.symlinkSync(root, path.join(root, 'loop'));
    const r = await cli(['check', '.'], root);
    expect([0, 1]).toContain(r.code);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(r.ms).toBeLessThan(PER_RUN_MS);
  }, 60_000);
});
