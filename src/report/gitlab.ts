import { fingerprints } from '../engine/baseline.js';
import type { Diagnostic, Severity } from '../engine/types.js';
import { maskSecrets } from '../model/url.js';

type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

// An error breaks the worker or loses tasks after the upgrade; GitLab's "critical" is kept for security issues.
const SEVERITY: Record<Severity, GitlabSeverity> = { error: 'major', warning: 'minor', info: 'info' };

/**
 * GitLab Code Quality report (a JSON array of issues). The fingerprint is the baseline one, so a finding keeps
 * its identity in merge-request widgets when lines move above it.
 */
export function renderGitlab(diags: readonly Diagnostic[], source: (file: string) => string | undefined): string {
  const prints = fingerprints(diags, source);
  const issues = diags.map((d, i) => ({
    type: 'issue',
    check_name: d.code,
    description: `${d.code} ${maskSecrets(d.message)}`,
    categories: ['Compatibility'],
    fingerprint: prints[i],
    severity: SEVERITY[d.severity],
    location: { path: d.span.file, lines: { begin: d.span.start.line, end: d.span.end.line } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
