import type { Source } from './source.js';
import { celeryConfigSource } from './python/celery-config.js';
import { pythonCodeSource } from './python/code.js';
import { deploySources } from './deploy/index.js';
import { versionSources } from './versions/index.js';
import { typescriptProducerSource } from './typescript/producers.js';

/** Every source, in the order their facts are merged. */
export const allSources: Source[] = [...deploySources, celeryConfigSource, pythonCodeSource, ...versionSources, typescriptProducerSource];
