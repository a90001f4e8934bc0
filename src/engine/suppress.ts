import type { Span } from '../model/types.js';
import type { Comment } from '../parse/comments.js';
import type { Diagnostic, Edit, RuleMeta } from './types.js';

/** A `# noqa` (one line) or `# celery-lint: noqa` (whole file) directive found in a comment. */
export interface Directive {
  scope: 'line' | 'file';
  /** Upper-cased codes listed after the colon; undefined for a bare directive (everything). */
  codes?: string[];
  comment: Comment;
  /** File offsets of the directive itself, inside the comment. */
  start: number;
  end: number;
}

export interface UnusedNoqa {
  file: string;
  line: number;
  scope: 'line' | 'file';
  /** The listed codes that suppressed nothing; empty for a bare file-level directive that suppressed nothing. */
  codes: string[];
  span: Span;
  /** Edit that removes the unused codes, or the whole directive when none is used. */
  edit?: Edit;
}

export interface SuppressionResult {
  kept: Diagnostic[];
  suppressed: Diagnostic[];
  unusedNoqa: UnusedNoqa[];
}

export interface SuppressOptions {
  /** Files to look in for unused directives besides those with findings (the files that were linted). */
  files?: Iterable<string>;
  /**
   * Whether a listed code could have been reported in this run. Codes for which this is false (a rule left
   * out by --select, or another tool's code) are never called unused. Default: every CEL code.
   */
  reportable?: (code: string) => boolean;
}

const FILE_DIRECTIVE = /[#;]\s*celery-lint\s*:\s*noqa(?![\w-])/i;
const LINE_DIRECTIVE = /[#;]\s*noqa(?![\w-])/i;
const CODE_LIST = /^\s*:\s*([A-Za-z]+\d+(?:(?:\s*,\s*|\s+)[A-Za-z]+\d+)*)/;

/**
 * The directive in a comment, if any. A colon with no code after it (`# noqa: fix later`) makes the directive
 * invalid, and it suppresses nothing: a typo must not silence every finding on the line.
 */
export function parseDirective(comment: Comment): Directive | undefined {
  const file = FILE_DIRECTIVE.exec(comment.text);
  const m = file ?? LINE_DIRECTIVE.exec(comment.text);
  if (!m) return undefined;
  const afterIndex = m.index + m[0].length;
  const rest = comment.text.slice(afterIndex);
  const list = CODE_LIST.exec(rest);
  if (!list && /^\s*:/.test(rest)) return undefined;
  const base = comment.span.start.offset;
  const end = base + afterIndex + (list ? list[0].length : 0);
  const codes = list?.[1]?.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
  return { scope: file ? 'file' : 'line', codes, comment, start: base + m.index, end };
}

const isCelCode = (code: string) => /^CEL\d{3}$/.test(code);

/**
 * Drops findings silenced by `# noqa` on the line where they start, or by a file-level `# celery-lint: noqa`,
 * and lists the directives (and listed codes) that silenced nothing.
 */
export function applySuppressions(diags: readonly Diagnostic[], commentsOf: (file: string) => readonly Comment[], opts: SuppressOptions = {}): SuppressionResult {
  const reportable = opts.reportable ?? isCelCode;
  const files = new Set<string>(opts.files ?? []);
  for (const d of diags) files.add(d.span.file);
  const byFile = new Map<string, Directive[]>();
  for (const file of files) {
    const ds: Directive[] = [];
    for (const c of commentsOf(file)) {
      const d = parseDirective(c);
      if (d) ds.push(d);
    }
    byFile.set(file, ds);
  }
  const used = new Map<Directive, Set<string>>();
  const use = (d: Directive, code: string) => {
    const set = used.get(d) ?? new Set<string>();
    set.add(code);
    used.set(d, set);
  };

  const kept: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  for (const diag of diags) {
    const directives = byFile.get(diag.span.file) ?? [];
    const hit =
      directives.find((d) => d.scope === 'file' && covers(d, diag.code)) ??
      directives.find((d) => d.scope === 'line' && d.comment.span.start.line === diag.span.start.line && covers(d, diag.code));
    if (hit) {
      use(hit, diag.code);
      suppressed.push(diag);
    } else {
      kept.push(diag);
    }
  }

  const unusedNoqa: UnusedNoqa[] = [];
  for (const [file, directives] of byFile) {
    for (const d of directives) {
      const usedCodes = used.get(d) ?? new Set<string>();
      // A bare line `# noqa` is shared with Ruff and flake8: it may be there for them, so it is never unused.
      if (!d.codes && d.scope === 'line') continue;
      if (!d.codes) {
        if (usedCodes.size === 0) unusedNoqa.push({ file, line: d.comment.span.start.line, scope: 'file', codes: [], span: d.comment.span, edit: removal(d, []) });
        continue;
      }
      const unused = unique(d.codes).filter((c) => isCelCode(c) && reportable(c) && !usedCodes.has(c));
      if (unused.length === 0) continue;
      unusedNoqa.push({ file, line: d.comment.span.start.line, scope: d.scope, codes: unused, span: d.comment.span, edit: removal(d, unused) });
    }
  }
  unusedNoqa.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start.offset - b.span.start.offset));
  return { kept, suppressed, unusedNoqa };
}

function covers(d: Directive, code: string): boolean {
  return !d.codes || d.codes.includes(code.toUpperCase());
}

function unique(codes: string[]): string[] {
  return [...new Set(codes)];
}

/**
 * Rewrites the directive without the unused codes, or deletes it when nothing is left (`unused` is empty for a
 * bare directive, which is deleted).
 */
function removal(d: Directive, unused: string[]): Edit {
  const file = d.comment.span.file;
  const keep = unique(d.codes ?? []).filter((c) => !unused.includes(c));
  if (keep.length > 0) {
    const marker = d.comment.text[d.start - d.comment.span.start.offset] ?? '#';
    const word = d.scope === 'file' ? 'celery-lint: noqa' : 'noqa';
    return { file, start: d.start, end: d.end, content: `${marker} ${word}: ${keep.join(', ')}` };
  }
  const commentStart = d.comment.span.start.offset;
  const commentEnd = d.comment.span.end.offset;
  const trailing = d.comment.text.slice(d.end - commentStart);
  if (d.start === commentStart) {
    if (trailing.trim() === '') return { file, start: d.comment.gapStart, end: commentEnd, content: '' };
    // `# noqa: CEL101 reason`: the reason stays a comment.
    return { file, start: d.start, end: d.end, content: d.comment.text[0] ?? '#' };
  }
  // `# type: ignore  # noqa: CEL101`: keep the rest of the comment, drop the directive and the blanks before it.
  let start = d.start;
  while (start > commentStart && /[ \t]/.test(d.comment.text[start - commentStart - 1] ?? '')) start--;
  return { file, start, end: d.end, content: '' };
}

export const UNUSED_NOQA: RuleMeta = {
  code: 'CEL900',
  name: 'unused-noqa',
  summary: 'A `# noqa` or `# celery-lint: noqa` directive lists a code that suppressed no finding.',
  why:
    'A stale suppression hides the next real finding of that code on the same line (or in the whole file), and ' +
    'tells readers about a problem that is no longer there. Reported only with --report-unused-noqa; a bare ' +
    '`# noqa` is never reported, because Ruff and flake8 read it too.',
  example: "CELERY_RESULT_SERIALIZER = 'json'  # noqa: CEL101, CEL203",
  useInstead: "CELERY_RESULT_SERIALIZER = 'json'  # noqa: CEL101",
  fixSafety: 'safe',
  versions: { description: 'All versions' },
  references: ['https://docs.astral.sh/ruff/rules/unused-noqa/'],
  defaultSeverity: 'warning',
};

/** CEL900 findings for unused directives, with a safe fix that removes the unused codes or the directive. */
export function unusedNoqaDiagnostics(unused: readonly UnusedNoqa[]): Diagnostic[] {
  return unused.map((u) => {
    const what = u.scope === 'file' ? 'file-level noqa directive' : 'noqa directive';
    const message = u.codes.length ? `Unused ${what} (unused: ${u.codes.join(', ')})` : `Unused ${what} (it suppresses no finding)`;
    const d: Diagnostic = { code: UNUSED_NOQA.code, name: UNUSED_NOQA.name, message, severity: UNUSED_NOQA.defaultSeverity, span: u.span };
    if (u.edit) d.fix = { applicability: 'safe', message: u.edit.content ? `Remove unused codes: ${u.codes.join(', ')}` : 'Remove the unused noqa directive', edits: [u.edit] };
    return d;
  });
}
