import type { Rule } from '../src/engine/types.js';
import CEL101 from './settings/CEL101-renamed-setting.js';
import CEL102 from './settings/CEL102-mixed-setting-styles.js';
import CEL103 from './settings/CEL103-unknown-setting.js';
import CEL104 from './settings/CEL104-removed-or-inert-setting.js';
import CEL105 from './settings/CEL105-pending-default-change.js';
import CEL106 from './settings/CEL106-namespace-mismatch.js';

/** Every rule, in code order. One rule per file under rules/<family>/. */
export const allRules: Rule[] = [
  CEL101,
  CEL102,
  CEL103,
  CEL104,
  CEL105,
  CEL106,
];

export function ruleByCode(code: string): Rule | undefined {
  return allRules.find((r) => r.meta.code === code.toUpperCase());
}
