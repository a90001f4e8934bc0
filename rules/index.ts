import type { Rule } from '../src/engine/types.js';
import CEL101 from './settings/CEL101-renamed-setting.js';
import CEL102 from './settings/CEL102-mixed-setting-styles.js';
import CEL103 from './settings/CEL103-unknown-setting.js';
import CEL104 from './settings/CEL104-removed-or-inert-setting.js';
import CEL105 from './settings/CEL105-pending-default-change.js';
import CEL106 from './settings/CEL106-namespace-mismatch.js';
import CEL201 from './serializers/CEL201-serializer-default-changed.js';
import CEL202 from './serializers/CEL202-serializer-not-accepted.js';
import CEL203 from './serializers/CEL203-pickle-accepted.js';
import CEL301 from './transports/CEL301-dropped-transport-option.js';
import CEL302 from './transports/CEL302-removed-transport.js';
import CEL303 from './transports/CEL303-removed-result-backend.js';
import CEL401 from './connections/CEL401-broker-socket-timeout-missing.js';
import CEL402 from './connections/CEL402-redis-idle-timeout.js';
import CEL403 from './timeouts/CEL403-task-time-limit-missing.js';
import CEL404 from './timeouts/CEL404-result-get-without-timeout.js';
import CEL405 from './timeouts/CEL405-control-command-without-retry.js';
import CEL406 from './timeouts/CEL406-blocking-call-without-timeout-in-task.js';
import CEL407 from './timeouts/CEL407-eta-beyond-visibility-timeout.js';
import CEL408 from './timeouts/CEL408-eta-beyond-consumer-timeout.js';
import CEL501 from './results/CEL501-result-backend-subscribe-risk.js';
import CEL502 from './results/CEL502-unused-result.js';
import CEL503 from './results/CEL503-ignored-result-read.js';
import CEL504 from './results/CEL504-result-get-inside-task.js';
import CEL601 from './removed/CEL601-removed-import.js';
import CEL602 from './cli/CEL602-cli-option-order.js';
import CEL603 from './cli/CEL603-removed-cli-option.js';
import CEL604 from './cli/CEL604-protocol-transition.js';
import CEL701 from './producers/CEL701-unknown-task-name.js';
import CEL702 from './producers/CEL702-producer-content-not-accepted.js';
import CEL703 from './producers/CEL703-producer-result-without-timeout.js';
import CEL704 from './producers/CEL704-broker-mismatch.js';
import CEL801 from './advisories/CEL801-known-regression-pin.js';
import CEL802 from './advisories/CEL802-db-connection-inherited-by-fork.js';

/** Every rule, in code order. One rule per file under rules/<family>/. */
export const allRules: Rule[] = [
  CEL101,
  CEL102,
  CEL103,
  CEL104,
  CEL105,
  CEL106,
  CEL201,
  CEL202,
  CEL203,
  CEL301,
  CEL302,
  CEL303,
  CEL401,
  CEL402,
  CEL403,
  CEL404,
  CEL405,
  CEL406,
  CEL407,
  CEL408,
  CEL501,
  CEL502,
  CEL503,
  CEL504,
  CEL601,
  CEL602,
  CEL603,
  CEL604,
  CEL701,
  CEL702,
  CEL703,
  CEL704,
  CEL801,
  CEL802,
];

export function ruleByCode(code: string): Rule | undefined {
  return allRules.find((r) => r.meta.code === code.toUpperCase());
}
