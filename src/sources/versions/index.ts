import type { Source } from '../source.js';
import { poetryLockSource, uvLockSource } from './locks.js';
import { pipfileLockSource, pipfileSource } from './pipfile.js';
import { pyprojectSource } from './pyproject.js';
import { requirementsSource } from './requirements.js';
import { setupCfgSource } from './setup-cfg.js';
import { setupPySource } from './setup-py.js';

/** Every source of version pins; lock files last, so the model lists declared specs before resolved versions. */
export const versionSources: Source[] = [
  requirementsSource, pyprojectSource, setupCfgSource, setupPySource, pipfileSource, pipfileLockSource, poetryLockSource, uvLockSource,
];
