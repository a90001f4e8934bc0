import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/sources/build.js';
import { computeFixes } from '../src/engine/fixer.js';
import { lint } from '../src/engine/run.js';
import type { Diagnostic, Rule } from '../src/engine/types.js';
import type { ProjectModel } from '../src/model/types.js';
import { initPython, parsePython } from '../src/parse/python.js';
import { writeProject } from './helpers/project.js';

/**
 * RuleTester in the typescript-eslint style. A case is a Python snippet placed in `filename` (default
 * `celeryconfig.py`) inside a small project whose other files come from `files`; by default the project has
 * `app.py` loading `celeryconfig` and a requirements.txt pinning `celery==<celery>` (default 5.2.7).
 */
export interface ValidCase {
  code: string;
  filename?: string;
  files?: Record<string, string>;
  celery?: string | null;
  mode?: 'check' | 'migrate';
  from?: string;
  to?: string;
  name?: string;
}

export interface ExpectedError {
  /** Substring (or exact with `messageExact`) of the message. */
  message?: string;
  messageExact?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  file?: string;
  severity?: Diagnostic['severity'];
  step?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The fixed text of `filename` after --fix (and --unsafe-fixes when `unsafe`), or null: no fix changes it. */
  output?: string | null;
  /** Other files' expected text after fixing. */
  outputFiles?: Record<string, string>;
  unsafe?: boolean;
}

export const DEFAULT_APP = "from celery import Celery\n\napp = Celery('proj')\napp.config_from_object('celeryconfig')\n";

export const NEWEST = '5.5';

function projectFiles(c: ValidCase): Record<string, string> {
  const filename = c.filename ?? 'celeryconfig.py';
  const files: Record<string, string> = {};
  if (!c.files || !Object.keys(c.files).some((f) => f.endsWith('.py') && f !== filename && c.files![f]!.includes('Celery('))) {
    if (filename !== 'app.py') files['app.py'] = DEFAULT_APP;
  }
  const celery = c.celery === undefined ? '5.2.7' : c.celery;
  if (celery) files['requirements.txt'] = `celery==${celery}\n`;
  Object.assign(files, c.files ?? {});
  files[filename] = c.code;
  return files;
}

async function runCase(c: ValidCase, rule: Rule): Promise<{ root: string; model: ProjectModel; diags: Diagnostic[] }> {
  await initPython();
  const root = writeProject(projectFiles(c));
  const model = await buildModel(root, []);
  const run = (m: ProjectModel) =>
    lint(m, { mode: c.mode ?? 'check', rules: [rule], newest: NEWEST, from: c.from, to: c.to }).diagnostics;
  return { root, model, diags: run(model) };
}

export function ruleTester(rule: Rule, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  const norm = (c: string | ValidCase): ValidCase => (typeof c === 'string' ? { code: c } : c);
  describe(`${rule.meta.code} ${rule.meta.name}`, () => {
    describe('valid', () => {
      cases.valid.map(norm).forEach((c, i) => {
        it(c.name ?? `valid #${i + 1}: ${firstLine(c.code)}`, async () => {
          const { diags } = await runCase(c, rule);
          expect(diags.map(show)).toEqual([]);
        });
      });
    });
    describe('invalid', () => {
      cases.invalid.forEach((c, i) => {
        it(c.name ?? `invalid #${i + 1}: ${firstLine(c.code)}`, async () => {
          const { root, diags } = await runCase(c, rule);
          const filename = c.filename ?? 'celeryconfig.py';
          expect(diags.length, diags.map(show).join('\n')).toBe(c.errors.length);
          c.errors.forEach((e, k) => {
            const d = diags[k]!;
            const got = { file: d.span.file, line: d.span.start.line, column: d.span.start.column, endLine: d.span.end.line, endColumn: d.span.end.column };
            const want = { file: e.file ?? filename, line: e.line, column: e.column, endLine: e.endLine ?? got.endLine, endColumn: e.endColumn ?? got.endColumn };
            expect(got, show(d)).toEqual(want);
            if (e.messageExact !== undefined) expect(d.message).toBe(e.messageExact);
            if (e.message !== undefined) expect(d.message).toContain(e.message);
            if (e.severity) expect(d.severity).toBe(e.severity);
            if (e.step) expect(d.step).toBe(e.step);
          });
          if (c.output === undefined && !c.outputFiles) return;
          const fixOpts = {
            unsafe: !!c.unsafe,
            lint: (m: ProjectModel) => lint(m, { mode: c.mode ?? 'check', rules: [rule], newest: NEWEST, from: c.from, to: c.to }).diagnostics,
          };
          const first = await computeFixes(root, [], fixOpts);
          expect(first.failures).toEqual([]);
          const fixed = first.changed.get(filename)?.after ?? null;
          if (c.output !== undefined) expect(fixed).toBe(c.output === null ? null : c.output);
          for (const [f, want] of Object.entries(c.outputFiles ?? {})) expect(first.changed.get(f)?.after).toBe(want);
          for (const [f, { after }] of first.changed) {
            if (f.endsWith('.py')) expect(parsePython(f, after).errors, `${f} must still parse`).toEqual([]);
          }
          // Idempotence: fixing the fixed project changes nothing more.
          if (first.changed.size) {
            const fixedRoot = writeProject(Object.fromEntries([...Object.entries(projectFiles(c)), ...[...first.changed].map(([f, v]) => [f, v.after] as const)]));
            const second = await computeFixes(fixedRoot, [], fixOpts);
            expect([...second.changed.keys()], 'a second --fix must change nothing').toEqual([]);
          }
        });
      });
    });
  });
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim())?.slice(0, 60) ?? '';
}

function show(d: Diagnostic): string {
  return `${d.span.file}:${d.span.start.line}:${d.span.start.column}-${d.span.end.line}:${d.span.end.column} ${d.code} ${d.message}`;
}
