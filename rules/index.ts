import type { Rule } from '../src/engine/types.js';

/** Every rule, in code order. One rule per file under rules/<family>/. */
export const allRules: Rule[] = [];

export function ruleByCode(code: string): Rule | undefined {
  return allRules.find((r) => r.meta.code === code.toUpperCase());
}
