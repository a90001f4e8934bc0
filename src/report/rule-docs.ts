import type { Rule } from '../engine/types.js';

const FIX_SAFETY: Record<Rule['meta']['fixSafety'], string> = {
  safe: 'The fix is safe: it keeps the behaviour the project has today and is applied by `--fix`.',
  unsafe: 'The fix is unsafe: it changes behaviour or picks a value for you, so it is applied only with `--unsafe-fixes`. Review it.',
  sometimes: 'The fix is safe in the cases the message says, and unsafe otherwise (then it needs `--unsafe-fixes`).',
  none: 'No automatic fix: the right change depends on the project.',
};

/** A rule's documentation from its meta, with Ruff's sections. */
export function ruleMarkdown(rule: Rule): string {
  const m = rule.meta;
  return [
    `# ${m.code} ${m.name}`,
    '',
    `## What it does`,
    m.summary,
    '',
    `## Why is this bad?`,
    m.why,
    '',
    `## Example`,
    fence(m.example),
    '',
    `## Use instead`,
    fence(m.useInstead),
    '',
    `## Fix safety`,
    FIX_SAFETY[m.fixSafety],
    '',
    `## Versions`,
    m.versions.description,
    '',
    `## References`,
    ...m.references.map((r) => `- ${r}`),
    '',
  ].join('\n');
}

function fence(code: string): string {
  const lang = /^\s*(worker|web|beat|\w+):|^\[|^ExecStart/m.test(code) && !/^\s*(import|from|@|def|class)\b/m.test(code) ? '' : 'python';
  return `\`\`\`${lang}\n${code.replace(/\n+$/, '')}\n\`\`\``;
}

export function rulesTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| ${r.meta.code} | ${r.meta.name} | ${r.meta.summary.replace(/\|/g, '\\|')} | ${r.meta.fixSafety === 'none' ? '—' : r.meta.fixSafety} | ${r.meta.versions.description.replace(/\|/g, '\\|')} |`);
  return ['| Code | Name | What it finds | Fix | Versions |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
