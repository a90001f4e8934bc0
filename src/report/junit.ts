import type { Diagnostic } from '../engine/types.js';
import { maskSecrets } from '../model/url.js';

/**
 * JUnit XML: one testsuite per file with findings, one failing testcase per finding. With no findings, one
 * passing testcase, so CI test views show that celery-lint ran.
 */
export function renderJunit(diags: readonly Diagnostic[]): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diags) byFile.set(d.span.file, [...(byFile.get(d.span.file) ?? []), d]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="celery-lint" tests="${Math.max(1, diags.length)}" failures="${diags.length}" errors="0">`];
  if (diags.length === 0) {
    out.push('  <testsuite name="celery-lint" tests="1" failures="0" errors="0" skipped="0">');
    out.push('    <testcase name="no findings" classname="celery-lint"/>');
    out.push('  </testsuite>');
  }
  for (const [file, ds] of byFile) {
    const f = attr(file);
    out.push(`  <testsuite name="${f}" tests="${ds.length}" failures="${ds.length}" errors="0" skipped="0">`);
    for (const d of ds) {
      const { line, column } = d.span.start;
      const message = maskSecrets(d.message);
      out.push(`    <testcase name="${attr(`${d.code} ${d.name} at line ${line}, column ${column}`)}" classname="${f}" file="${f}" line="${line}">`);
      out.push(`      <failure message="${attr(message)}" type="${attr(d.code)}">${text(`${file}:${line}:${column}: ${d.code} ${message}`)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

// XML 1.0 cannot carry most control characters even escaped; they are dropped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
