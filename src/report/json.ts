import type { Diagnostic, Edit } from '../engine/types.js';
import { maskSecrets } from '../model/url.js';
import { LineIndex } from '../parse/span.js';

/** Version of the JSON output shape (docs/json-output.md); bumped on any incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/**
 * Ruff-compatible JSON: an array of diagnostics with `code`, `message`, `location`/`end_location`
 * ({row, column}, 1-based), `filename`, `fix` ({applicability, message, edits}), `url`, `noqa_row`; plus
 * celery-lint's own `name`, `severity`, `step` and `schema_version`.
 */
export function renderJson(diags: readonly Diagnostic[], source: (file: string) => string | undefined): string {
  const indexes = new Map<string, LineIndex>();
  const index = (file: string) => {
    let idx = indexes.get(file);
    if (!idx) {
      idx = new LineIndex(source(file) ?? '');
      indexes.set(file, idx);
    }
    return idx;
  };
  const loc = (p: { line: number; column: number }) => ({ row: p.line, column: p.column });
  const edit = (e: Edit) => {
    const idx = index(e.file);
    return { content: maskSecrets(e.content), location: loc(idx.position(e.start)), end_location: loc(idx.position(e.end)) };
  };
  const items = diags.map((d) => ({
    schema_version: JSON_SCHEMA_VERSION,
    code: d.code,
    name: d.name,
    severity: d.severity,
    message: maskSecrets(d.message),
    filename: d.span.file,
    location: loc(d.span.start),
    end_location: loc(d.span.end),
    noqa_row: d.span.start.line,
    fix: d.fix ? { applicability: d.fix.applicability, message: maskSecrets(d.fix.message), edits: d.fix.edits.map(edit) } : null,
    url: d.url ?? null,
    step: d.step ?? null,
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}
