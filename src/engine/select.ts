/** Ruff-style selection: codes or prefixes (`CEL1`, `CEL101`, `ALL`); the longest matching entry decides. */
export function isSelected(code: string, select: readonly string[] | undefined, ignore: readonly string[] | undefined): boolean {
  const match = (list: readonly string[] | undefined) =>
    Math.max(-1, ...(list ?? []).filter((p) => p === 'ALL' || code.startsWith(p.toUpperCase())).map((p) => (p === 'ALL' ? 0 : p.length)));
  const sel = select && select.length ? match(select) : 0;
  const ign = match(ignore);
  if (sel < 0) return false;
  return ign < 0 || sel > ign;
}
