import type { Source } from '../source.js';
import { composeSource } from './compose.js';
import { dockerfileSource } from './dockerfile.js';
import { dotenvSource } from './dotenv.js';
import { kubernetesSource } from './kubernetes.js';
import { procfileSource } from './procfile.js';
import { rabbitmqConfSource } from './rabbitmq-conf.js';
import { redisConfSource } from './redis-conf.js';
import { shellSource } from './shell.js';
import { supervisorSource } from './supervisor.js';
import { systemdSource } from './systemd.js';
import { webConfigSource } from './web-config.js';

/** Deployment files: where Celery and the web server are started, with which options and environment, and the Redis server's settings. */
export const deploySources: Source[] = [
  procfileSource,
  composeSource,
  kubernetesSource,
  supervisorSource,
  systemdSource,
  shellSource,
  dockerfileSource,
  dotenvSource,
  redisConfSource,
  rabbitmqConfSource,
  webConfigSource,
];
