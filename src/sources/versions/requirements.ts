import path from 'node:path';
import type { DiscoveredFile } from '../../discover/walk.js';
import type { ParseProblem, VersionPin } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source, SourceContext } from '../source.js';
import { makePin, parseRequirement } from './pep508.js';

/** A logical line: physical lines joined at trailing backslashes, each character mapped back to its offset. */
interface LogicalLine {
  text: string;
  offsets: number[];
}

/**
 * Pins from pip requirements files (requirements*.txt, *.in, requirements/ folder). `-r`/`-c` includes are
 * followed relative to the including file; a file is read once however often it is included, so loops end.
 */
export const requirementsSource: Source = {
  name: 'requirements',
  collect(ctx) {
    const versions: VersionPin[] = [];
    const problems: ParseProblem[] = [];
    const queue: DiscoveredFile[] = [...ctx.filesOfKind('requirements')];
    const seen = new Set(queue.map((f) => f.path));
    for (let i = 0; i < queue.length; i++) {
      const file = queue[i];
      if (!file) continue;
      const text = ctx.text(file);
      if (text === undefined) continue;
      const found = readRequirements(file.path, text);
      versions.push(...found.versions);
      problems.push(...found.problems);
      for (const inc of found.includes) {
        if (seen.has(inc.target)) continue;
        seen.add(inc.target);
        if (inc.target === '..' || inc.target.startsWith('../') || path.posix.isAbsolute(inc.target)) {
          problems.push({ file: file.path, span: inc.span, severity: 'warning', message: `${inc.option} ${inc.written}: included file is outside the project, not read` });
          continue;
        }
        const target = resolveInclude(ctx, inc.target);
        if (ctx.text(target) === undefined) {
          problems.push({ file: file.path, span: inc.span, severity: 'warning', message: `${inc.option} ${inc.written}: included file ${inc.target} not found` });
          continue;
        }
        queue.push(target);
      }
    }
    return { versions, problems };
  },
};

interface Include {
  option: string;
  written: string;
  /** Project-relative path, forward slashes. */
  target: string;
  span: VersionPin['span'];
}

/** Parses one requirements file; exported for tests and for files reached only through includes. */
export function readRequirements(file: string, text: string): { versions: VersionPin[]; includes: Include[]; problems: ParseProblem[] } {
  const lines = new LineIndex(text);
  const versions: VersionPin[] = [];
  const includes: Include[] = [];
  const problems: ParseProblem[] = [];
  for (const logical of logicalLines(text)) {
    const body = stripComment(logical.text);
    const lead = body.length - body.trimStart().length;
    const content = body.trim();
    if (!content) continue;
    const spanOf = (s: number, e: number) => lines.span(file, logical.offsets[s] ?? 0, (logical.offsets[e - 1] ?? 0) + 1);
    if (content.startsWith('-')) {
      const inc = includeOf(content);
      if (inc && !/^[a-z][a-z0-9+.-]*:\/\//i.test(inc.written)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), inc.written.replace(/\\/g, '/')));
        includes.push({ ...inc, target, span: spanOf(lead, lead + content.length) });
      }
      continue; // -e, --hash, --index-url and other options carry no version of a named package
    }
    // A requirement's own options (`--hash=...`) start at the first whitespace-separated `-` token.
    const optionAt = /\s-/.exec(content);
    const requirement = optionAt ? content.slice(0, optionAt.index) : content;
    if (requirement.includes('://') || /^[./~]/.test(requirement)) continue; // URLs and local paths
    const req = parseRequirement(requirement);
    if (!req) {
      problems.push({ file, span: spanOf(lead, lead + requirement.trimEnd().length), severity: 'warning', message: `cannot read requirement ${JSON.stringify(requirement.trim().slice(0, 80))}` });
      continue;
    }
    if (req.url) continue;
    const pin = makePin(req.package, req.spec, file, spanOf(lead, lead + req.length), 'requirements');
    const at = pin?.exact ? exactPinAt(requirement, pin.exact) : undefined;
    if (pin && at !== undefined) pin.versionSpan = spanOf(lead + at, lead + at + pin.exact!.length);
    if (pin) versions.push(pin);
  }
  return { versions, includes, problems };
}

/** Where the version of an `==` pin starts in the requirement text (before any `;` marker). */
function exactPinAt(requirement: string, version: string): number | undefined {
  const semi = requirement.indexOf(';');
  const head = semi === -1 ? requirement : requirement.slice(0, semi);
  const m = /={2,3}\s*/.exec(head);
  if (!m) return undefined;
  const at = m.index + m[0].length;
  return head.startsWith(version, at) ? at : undefined;
}

function includeOf(content: string): { option: string; written: string } | undefined {
  const m = /^(-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(\S.*)$/.exec(content);
  if (!m?.[1] || !m[2]) return undefined;
  return { option: m[1], written: m[2].trim() };
}

/** pip's rule: `#` at the line start or after whitespace begins a comment. */
function stripComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/** pip joins a line ending in `\` with the next one, unless the line is a comment. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const comment = /^\s*#/.test(line);
    const continues = line.endsWith('\\') && !comment;
    const kept = continues ? line.slice(0, -1) : comment && current ? '' : line;
    current ??= { text: '', offsets: [] };
    for (let i = 0; i < kept.length; i++) current.offsets.push(start + i);
    current.text += kept;
    if (!continues) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

/** An included file: discovered already, or read through the context even if its name is not a requirements name. */
function resolveInclude(ctx: SourceContext, target: string): DiscoveredFile {
  const known = ctx.files.find((f) => f.path === target);
  if (known) return known;
  return { path: target, abs: path.join(ctx.root, ...target.split('/')), kind: 'requirements', size: 0 };
}
