import { fingerprints } from '../engine/baseline.js';
import type { Diagnostic, Edit, RuleMeta, Severity } from '../engine/types.js';
import { maskSecrets } from '../model/url.js';
import type { Position } from '../model/types.js';
import { LineIndex } from '../parse/span.js';
import { ruleMarkdown } from './rule-docs.js';

export interface SarifOptions {
  /** celery-lint's version, for tool.driver.version. */
  version: string;
  /** File texts by path (relative to the root), for fingerprints and fix regions. */
  source(file: string): string | undefined;
  informationUri?: string;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/celery-lint/celery-lint';
/** Key of our fingerprint in partialFingerprints; versioned so a change of recipe does not collide. */
export const FINGERPRINT_KEY = 'celeryLint/v1';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule in `rules` as a reportingDescriptor, one
 * result per finding with a location relative to %SRCROOT%, a line-move-proof fingerprint, and fixes.
 */
export function renderSarif(diags: readonly Diagnostic[], rules: readonly RuleMeta[], opts: SarifOptions): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const prints = fingerprints(diags, opts.source);
  const indexes = new Map<string, LineIndex | undefined>();
  const indexOf = (file: string) => {
    if (!indexes.has(file)) {
      const text = opts.source(file);
      indexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return indexes.get(file);
  };

  const results = diags.map((d, i) => {
    const index = ruleIndex.get(d.code);
    const result: Record<string, unknown> = {
      ruleId: d.code,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: LEVEL[d.severity],
      message: { text: maskSecrets(d.message) },
      locations: [{ physicalLocation: { artifactLocation: artifact(d.span.file), region: region(d.span.start, d.span.end) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
    };
    const fix = d.fix && d.fix.edits.length > 0 ? sarifFix(d.fix.message, d.fix.edits, indexOf) : undefined;
    if (fix) result.fixes = [fix];
    if (d.step) result.properties = { step: d.step };
    return result;
  });

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'celery-lint',
            version: opts.version,
            semanticVersion: opts.version,
            informationUri: opts.informationUri ?? INFORMATION_URI,
            rules: rules.map(descriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function descriptor(m: RuleMeta): Record<string, unknown> {
  return {
    id: m.code,
    name: m.name,
    shortDescription: { text: maskSecrets(m.summary) },
    fullDescription: { text: maskSecrets(m.why) },
    help: { text: maskSecrets(`${m.summary}\n\n${m.why}`), markdown: maskSecrets(ruleMarkdown({ meta: m, check: () => undefined })) },
    defaultConfiguration: { level: LEVEL[m.defaultSeverity] },
    properties: { tags: ['celery', 'upgrade'] },
  };
}

function artifact(file: string): { uri: string; uriBaseId: string } {
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF regions are 1-based with an exclusive end column, as celery-lint's spans are. */
function region(start: Position, end: Position): Record<string, number> {
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

function sarifFix(message: string, edits: readonly Edit[], indexOf: (file: string) => LineIndex | undefined): Record<string, unknown> {
  const byFile = new Map<string, Edit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const artifactChanges = [...byFile].map(([file, fileEdits]) => {
    const idx = indexOf(file);
    return {
      artifactLocation: artifact(file),
      replacements: fileEdits.map((e) => ({
        // Without the file's text, offsets are still exact: SARIF allows a character-offset region.
        deletedRegion: idx ? region(idx.position(e.start), idx.position(e.end)) : { charOffset: e.start, charLength: e.end - e.start },
        insertedContent: { text: maskSecrets(e.content) },
      })),
    };
  });
  return { description: { text: maskSecrets(message) }, artifactChanges };
}
