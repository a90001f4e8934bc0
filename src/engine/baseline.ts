import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { maskSecrets } from '../model/url.js';
import type { Diagnostic } from './types.js';
import { writeFileAtomic } from './write.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  code: string;
  file: string;
  fingerprint: string;
  /** For people reading the file; matching never looks at it (messages may change between releases). */
  message: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

/** A baseline file that cannot be read or does not have the baseline shape; the CLI prints it and exits 2. */
export class BaselineError extends Error {}

/**
 * A fingerprint per finding (same order): a hash of the code, the file and the trimmed text of the lines the
 * finding covers, plus how many identical (code, file, text) findings come before it. Line numbers are not in
 * it, so the fingerprint survives lines inserted or removed above. Without the file's text the message
 * stands in for the lines.
 */
export function fingerprints(diags: readonly Diagnostic[], source: (file: string) => string | undefined): string[] {
  const lineCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!lineCache.has(file)) lineCache.set(file, source(file)?.split('\n'));
    return lineCache.get(file);
  };
  const seen = new Map<string, number>();
  return diags.map((d) => {
    const lines = linesOf(d.span.file);
    const text = lines
      ? lines.slice(d.span.start.line - 1, d.span.end.line).map((l) => l.trim()).join('\n')
      : `message:${maskSecrets(d.message)}`;
    const key = [d.code, d.span.file, text].join('\0');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 16);
  });
}

/** Today's findings as a baseline. */
export function createBaseline(diags: readonly Diagnostic[], source: (file: string) => string | undefined): Baseline {
  const prints = fingerprints(diags, source);
  return {
    version: BASELINE_VERSION,
    findings: diags.map((d, i) => ({ code: d.code, file: d.span.file, fingerprint: prints[i] ?? '', message: maskSecrets(d.message) })),
  };
}

export interface BaselineMatch {
  /** Findings not in the baseline: the ones to report. */
  kept: Diagnostic[];
  /** Findings the baseline accounts for. */
  known: Diagnostic[];
  /** Baseline entries that matched no finding (fixed, or changed beyond recognition). */
  stale: BaselineEntry[];
}

/** Splits findings into new and known; each baseline entry accounts for at most one finding. */
export function matchBaseline(diags: readonly Diagnostic[], baseline: Baseline, source: (file: string) => string | undefined): BaselineMatch {
  const remaining = new Map<string, BaselineEntry[]>();
  const keyOf = (code: string, file: string, fingerprint: string) => `${code}\0${file}\0${fingerprint}`;
  for (const e of baseline.findings) {
    const k = keyOf(e.code, e.file, e.fingerprint);
    remaining.set(k, [...(remaining.get(k) ?? []), e]);
  }
  const prints = fingerprints(diags, source);
  const kept: Diagnostic[] = [];
  const known: Diagnostic[] = [];
  diags.forEach((d, i) => {
    const entries = remaining.get(keyOf(d.code, d.span.file, prints[i] ?? ''));
    if (entries && entries.length > 0) {
      entries.shift();
      known.push(d);
    } else {
      kept.push(d);
    }
  });
  const stale = baseline.findings.filter((e) => (remaining.get(keyOf(e.code, e.file, e.fingerprint)) ?? []).includes(e));
  return { kept, known, stale };
}

/**
 * The baseline without entries that no longer match a finding (`--prune-baseline`); never adds entries.
 * `checked` says whether an entry could have matched in this run: entries for files or rules that were not
 * checked (a run on some paths only, or with --select) stay.
 */
export function pruneBaseline(
  baseline: Baseline,
  diags: readonly Diagnostic[],
  source: (file: string) => string | undefined,
  checked: (entry: BaselineEntry) => boolean = () => true,
): Baseline {
  const stale = new Set(matchBaseline(diags, baseline, source).stale.filter(checked));
  return { version: BASELINE_VERSION, findings: baseline.findings.filter((e) => !stale.has(e)) };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

const entrySchema = z.strictObject({
  code: z.string({ error: 'expected a string' }),
  file: z.string({ error: 'expected a string' }),
  fingerprint: z.string({ error: 'expected a string' }),
  message: z.string({ error: 'expected a string' }),
});
const baselineSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'expected 1 (this celery-lint reads baseline version 1)' }),
    findings: z.array(entrySchema, { error: 'expected an array' }),
  },
  { error: 'expected a JSON object' },
);

/** Parses baseline JSON; `name` is how the file is named in errors. */
export function parseBaseline(text: string, name: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`celery-lint: ${name}: not valid JSON: ${(e as Error).message}`);
  }
  const r = baselineSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue ? issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') : '';
    const what = issue?.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue?.message ?? 'invalid';
    throw new BaselineError(`celery-lint: ${name}: ${where ? `${where}: ` : ''}${what}`);
  }
  return r.data as Baseline;
}

export function readBaseline(abs: string, name = path.basename(abs)): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BaselineError(`celery-lint: baseline file not found: ${name} (create it with --write-baseline ${name})`);
    throw new BaselineError(`celery-lint: ${name}: cannot read the baseline: ${(e as Error).message}`);
  }
  return parseBaseline(text, name);
}

/** Writes atomically: a run killed half-way leaves the old baseline, never a truncated one. */
export function writeBaseline(abs: string, baseline: Baseline): void {
  writeFileAtomic(abs, serializeBaseline(baseline));
}
