import { compareRelease } from './version-path.js';

/** Ruff-style selection: codes or prefixes (`CEL1`, `CEL101`, `ALL`); the longest matching entry decides. */
export function isSelected(code: string, select: readonly string[] | undefined, ignore: readonly string[] | undefined): boolean {
  const match = (list: readonly string[] | undefined) =>
    Math.max(-1, ...(list ?? []).filter((p) => p === 'ALL' || code.startsWith(p.toUpperCase())).map((p) => (p === 'ALL' ? 0 : p.length)));
  const sel = select && select.length ? match(select) : 0;
  const ign = match(ignore);
  if (sel < 0) return false;
  return ign < 0 || sel > ign;
}

/**
 * Whether a rule judges the target release: `introduced` ≤ target < `until`. The same test as the lint runner's,
 * for callers that need to know which rules ran (an unused `# noqa: CODE` only counts for a rule that ran).
 */
export function appliesToTarget(versions: { introduced?: string; until?: string }, target: string | undefined): boolean {
  if (!target) return true;
  if (versions.introduced && compareRelease(target, versions.introduced) < 0) return false;
  if (versions.until && compareRelease(target, versions.until) >= 0) return false;
  return true;
}
