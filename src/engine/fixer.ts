import path from 'node:path';
import YAML from 'yaml';
import { buildModel, type BuildOptions } from '../sources/build.js';
import type { ProjectModel } from '../model/types.js';
import { parsePython } from '../parse/python.js';
import { readText } from '../discover/read.js';
import { applyEdits, selectFixes } from './edits.js';
import type { Diagnostic, Fix } from './types.js';
import { writeFileAtomic } from './write.js';

export interface FixOptions extends BuildOptions {
  unsafe: boolean;
  /**
   * Runs the rules on a model; the fixer calls it again after each round of edits. `text` gives a file's
   * current (possibly already edited) text, for reading `# noqa` comments at the right lines.
   */
  lint(model: ProjectModel, text: (file: string) => string | undefined): Diagnostic[];
  /** Only fix findings in these files (pre-commit passes the changed files). */
  onlyFiles?: ReadonlySet<string>;
  maxRounds?: number;
}

export interface FixResult {
  /** Files whose text changed, before and after. */
  changed: Map<string, { before: string; after: string; bom: boolean }>;
  /** Files a fix would have broken (re-parse failed): left untouched. */
  failures: { file: string; message: string }[];
  rounds: number;
  fixesApplied: number;
}

/**
 * Applies fixes in memory until nothing more can be fixed (bounded rounds): each round applies the fixes that
 * don't overlap, re-checks every changed file re-parses, then rebuilds the model and lints again.
 * Nothing is written here; see writeFixes.
 */
export async function computeFixes(root: string, paths: string[], opts: FixOptions): Promise<FixResult> {
  const overlay = new Map<string, string>();
  const originals = new Map<string, { text: string; bom: boolean }>();
  const blocked = new Set<string>();
  const failures: FixResult['failures'] = [];
  const maxRounds = opts.maxRounds ?? 10;
  let rounds = 0;
  let fixesApplied = 0;
  for (; rounds < maxRounds; rounds++) {
    const model = await buildModel(root, paths, { ...opts, overlay });
    const fixes = opts
      .lint(model, (file) => overlay.get(file) ?? readOriginal(root, file, originals))
      .filter((d) => d.fix && (d.fix.applicability === 'safe' || (opts.unsafe && d.fix.applicability === 'unsafe')))
      .filter((d) => !opts.onlyFiles || opts.onlyFiles.has(d.span.file))
      .map((d) => d.fix as Fix)
      .filter((f) => f.edits.length > 0 && f.edits.every((e) => !blocked.has(e.file)));
    if (fixes.length === 0) break;
    const { chosen } = selectFixes(fixes);
    const byFile = new Map<string, Fix['edits']>();
    for (const fix of chosen) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    let progressed = false;
    for (const [file, edits] of byFile) {
      const current = overlay.get(file) ?? readOriginal(root, file, originals);
      if (current === undefined) {
        blocked.add(file);
        failures.push({ file, message: 'cannot read the file to fix it' });
        continue;
      }
      const { text } = applyEdits(current, edits);
      if (text === current) continue;
      const broken = breaksParse(file, current, text);
      if (broken) {
        blocked.add(file);
        failures.push({ file, message: `fix not applied: the result would not parse (${broken})` });
        continue;
      }
      overlay.set(file, text);
      progressed = true;
    }
    if (!progressed) break;
    fixesApplied += chosen.length;
  }
  const changed: FixResult['changed'] = new Map();
  for (const [file, after] of overlay) {
    if (blocked.has(file)) continue;
    const orig = originals.get(file);
    if (orig && orig.text !== after) changed.set(file, { before: orig.text, after, bom: orig.bom });
  }
  return { changed, failures, rounds, fixesApplied };
}

/** Writes each changed file atomically. */
export function writeFixes(root: string, result: FixResult): void {
  for (const [file, { after, bom }] of result.changed) writeFileAtomic(path.join(root, file), after, { bom });
}

function readOriginal(root: string, file: string, originals: Map<string, { text: string; bom: boolean }>): string | undefined {
  const cached = originals.get(file);
  if (cached) return cached.text;
  const r = readText(path.join(root, file), file);
  if (!r.ok) return undefined;
  originals.set(file, { text: r.text, bom: r.bom });
  return r.text;
}

/** A reason when the edited text has more syntax errors than before, else undefined. */
function breaksParse(file: string, before: string, after: string): string | undefined {
  if (file.endsWith('.py')) {
    const a = parsePython(file, before);
    const b = parsePython(file, after);
    const n = b.errors.length;
    const m = a.errors.length;
    a.tree.delete();
    b.tree.delete();
    return n > m ? `${n - m} new syntax error${n - m > 1 ? 's' : ''}` : undefined;
  }
  if (/\.ya?ml$/.test(file)) {
    const errs = (t: string) => YAML.parseAllDocuments(t).reduce((k, d) => k + ('errors' in d ? d.errors.length : 0), 0);
    return errs(after) > errs(before) ? 'YAML error' : undefined;
  }
  return undefined;
}
