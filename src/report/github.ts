import type { Diagnostic, Severity } from '../engine/types.js';
import { maskSecrets } from '../model/url.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands, one annotation per finding:
 * `::error file=f,line=1,col=2,endLine=1,endColumn=9,title=CEL101 renamed-setting::message`.
 * Columns are left out for a multi-line span, since GitHub accepts them only on a single line.
 */
export function renderGithub(diags: readonly Diagnostic[]): string {
  return diags
    .map((d) => {
      const { start, end } = d.span;
      const props: [string, string | number][] = [['file', d.span.file], ['line', start.line]];
      if (start.line === end.line) props.push(['col', start.column], ['endLine', end.line], ['endColumn', end.column]);
      else props.push(['endLine', end.line]);
      props.push(['title', `${d.code} ${d.name}`]);
      const list = props.map(([k, v]) => `${k}=${escapeProperty(maskSecrets(String(v)))}`).join(',');
      return `::${COMMAND[d.severity]} ${list}::${escapeData(maskSecrets(d.message))}\n`;
    })
    .join('');
}

/** The escaping of @actions/core for a command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The escaping of @actions/core for a property value: also `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
