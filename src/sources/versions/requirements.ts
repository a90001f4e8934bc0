import type { VersionPin } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source } from '../source.js';

// Requirement lines: `name[extras] specifier ; marker`. Options (-r, -c, -e, --hash) and URLs are not pins;
// included files are discovered and read on their own, so `-r base.txt` needs no following here.
const REQUIREMENT = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)/;

/** PEP 503 normalisation: `Django_Celery` → `django-celery`. */
export function normalisePackage(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Pins from requirements files (requirements*.txt, *.in, requirements/ folder). */
export const requirementsSource: Source = {
  name: 'requirements',
  collect(ctx) {
    const versions: VersionPin[] = [];
    for (const f of ctx.filesOfKind('requirements')) {
      const text = ctx.text(f);
      if (text === undefined) continue;
      const lines = new LineIndex(text);
      let offset = 0;
      for (const raw of text.split('\n')) {
        const start = offset;
        offset += raw.length + 1;
        const line = raw.replace(/\r$/, '');
        const trimmed = line.trim();
        if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('-') || trimmed.includes('://')) continue;
        const m = REQUIREMENT.exec(trimmed);
        if (!m?.[1]) continue;
        const spec = (m[3] ?? '').replace(/\\$/, '').replace(/\s+/g, '').trim();
        const exact = /^===?([0-9][0-9A-Za-z.+!-]*)$/.exec(spec)?.[1];
        const lead = line.length - line.trimStart().length;
        const pin: VersionPin = {
          package: normalisePackage(m[1]),
          spec,
          file: f.path,
          span: lines.span(f.path, start + lead, start + line.trimEnd().length),
          source: 'requirements',
        };
        if (exact && !exact.includes('*')) pin.exact = exact;
        versions.push(pin);
      }
    }
    return { versions };
  },
};
