import type { ParseProblem, VersionPin } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';
import { makePin, parseRequirement } from './pep508.js';

/**
 * Pins from setup.cfg: `install_requires` in `[options]` and every list in `[options.extras_require]`, one
 * requirement per line (configparser continuation lines). Markers keep their `;`, so this does not reuse the
 * supervisor INI reader, which treats ` ;` as a comment.
 */
export const setupCfgSource: Source = {
  name: 'setup.cfg',
  collect(ctx) {
    const versions: VersionPin[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('setup.cfg')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const lines = new LineIndex(text);
      for (const item of requirementLines(text)) {
        const span = lines.span(file.path, item.start, item.start + item.text.length);
        const req = parseRequirement(item.text);
        if (!req) {
          problems.push({ file: file.path, span, severity: 'warning', message: `cannot read requirement ${JSON.stringify(item.text.slice(0, 80))}` });
          continue;
        }
        if (req.url) continue;
        const pin = makePin(req.package, req.spec, file.path, lines.span(file.path, item.start, item.start + req.length), 'setup.cfg');
        if (pin) versions.push(pin);
      }
    }
    return { versions, problems };
  },
};

/** The requirement lines of the options that list runtime dependencies, with their offsets. */
function requirementLines(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let section = '';
  let collecting = false;
  let offset = 0;
  const take = (value: string, start: number) => {
    const body = value.replace(/(^|\s)#.*$/, '').trimEnd();
    const lead = body.length - body.trimStart().length;
    if (body.trim()) out.push({ text: body.trim(), start: start + lead });
  };
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // configparser keeps a value going across blank lines and skips whole-line comments inside it.
    if (!line.trim() || /^\s*[#;]/.test(line)) continue;
    if (/^\s/.test(line)) {
      if (collecting) take(line, start);
      continue;
    }
    const header = /^\[([^\]]*)\]/.exec(line);
    if (header) {
      section = (header[1] ?? '').trim().toLowerCase();
      collecting = false;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*/.exec(line);
    const key = kv?.[1]?.trim().toLowerCase().replace(/-/g, '_');
    collecting = !!key && ((section === 'options' && key === 'install_requires') || section === 'options.extras_require');
    if (collecting && kv) take(line.slice(kv[0].length), start + kv[0].length);
  }
  return out;
}
