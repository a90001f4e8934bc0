import type { Source } from '../source.js';
import { requirementsSource } from './requirements.js';

export const versionSources: Source[] = [requirementsSource];
