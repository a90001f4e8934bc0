import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/*
 * The version knowledge base: facts about Celery/Kombu releases kept as data in rules/knowledge/*.yaml.
 * Every fact names the release tag and file it was read from, so a rule can cite it and a reviewer can check it.
 */

// ---------- versions ----------

/** Compares 'X.Y.Z' (or 'X.Y', leading 'v' allowed) numerically; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

// Rules compare the same few dozen version strings many thousand times in a large project.
const parsedVersions = new Map<string, number[]>();
function versionParts(v: string): number[] {
  let parts = parsedVersions.get(v);
  if (!parts) {
    parts = v.replace(/^v/, '').split('.').map((p) => parseInt(p, 10) || 0);
    if (parsedVersions.size < 10_000) parsedVersions.set(v, parts);
  }
  return parts;
}

/** True when `since <= version < until` (an absent bound is open). */
export function inRange(version: string, since?: string, until?: string): boolean {
  if (since !== undefined && compareVersions(version, since) < 0) return false;
  if (until !== undefined && compareVersions(version, until) >= 0) return false;
  return true;
}

// ---------- schemas ----------

// YAML 1.2 reads `4.0.0` as a string but `4.0` as a number, so versions are checked as strings of digits and dots.
const version = z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'expected a version like 4.0.1');
const line = z.string().regex(/^\d+\.\d+$/, "expected a release line like '4.4' (quoted)");
const tag = z.string().regex(/^v?\d+\.\d+\.\d+$/, 'expected a release tag like v4.0.0');

export const sourceSchema = z.strictObject({ release: tag, file: z.string().min(1) });
export type Source = z.infer<typeof sourceSchema>;

const jsonValue = z.json();
export type JsonValue = z.infer<typeof jsonValue>;

const datedValue = z.strictObject({ since: version, value: jsonValue });
export type DatedValue = z.infer<typeof datedValue>;

const oldName = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), since: version, until: version.optional() }),
]);

const settingSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'new-style settings are lowercase'),
  namespace: z.string(),
  type: z.string(),
  added: version,
  removed: version.optional(),
  old: z.array(oldName),
  defaults: z.array(datedValue).min(1),
  typeChanges: z.array(z.strictObject({ since: version, type: z.string() })).optional(),
  definedIn: z.enum(['defaults', 'code']),
  note: z.string().optional(),
  source: sourceSchema,
});

const celery31SettingSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'Celery 3.1 settings are uppercase'),
  type: z.string(),
  added: version,
  removed: version.optional(),
  defaults: z.array(datedValue).min(1),
  deprecated: z
    .strictObject({ since: z.string().optional(), removal: z.string().optional(), alternative: z.string().optional() })
    .optional(),
  renamedTo: z.string().nullable(),
  renamedToSince: version.optional(),
  source: sourceSchema,
});

export const settingsDocSchema = z.strictObject({
  settings: z.array(settingSchema),
  celery31: z.array(celery31SettingSchema),
});

const kombuReq = z.strictObject({ first: z.string(), newest: z.string() });
export const releasesDocSchema = z.strictObject({
  celery: z.array(
    z.strictObject({
      line,
      first: version,
      newest: version,
      kombu: kombuReq,
      kombuLines: z.array(line).min(1),
      python: z.string().optional(),
      note: z.string().optional(),
      source: sourceSchema,
    }),
  ),
  kombu: z.array(z.strictObject({ line, newest: version, source: sourceSchema })),
});

const jsonEffect = z.enum(['roundTrip', 'toString', 'error', 'list', 'depends']);
export const serializersDocSchema = z.strictObject({
  defaults: z.array(
    z.strictObject({
      since: version,
      task_serializer: z.string(),
      result_serializer: z.string(),
      accept_content: z.array(z.string()),
      result_accept_content: z.array(z.string()).nullable().optional(),
      event_serializer: z.string(),
      source: sourceSchema,
    }),
  ),
  resultAcceptContent: z.strictObject({ since: version, summary: z.string(), source: sourceSchema }),
  serializers: z.array(
    z.strictObject({
      name: z.string(),
      contentType: z.string(),
      builtin: z.boolean(),
      requires: z.string().optional(),
      source: sourceSchema,
    }),
  ),
  json: z.array(
    z.strictObject({
      kombu: version,
      until: version.optional(),
      values: z.record(z.string(), jsonEffect),
      note: z.string().optional(),
      source: sourceSchema,
      verified: z.strictObject({ kombu: version, how: z.string() }).optional(),
    }),
  ),
});

const transportOption = z.strictObject({
  key: z.string().min(1),
  since: version,
  removed: version.optional(),
  absent: z.array(z.strictObject({ from: version, until: version })).optional(),
  defaults: z.array(datedValue).optional(),
});
export type TransportOption = z.infer<typeof transportOption>;

const passthrough = z.strictObject({ since: version, until: version.optional(), to: z.string() });
const socketTimeout = z.strictObject({
  key: z.string(),
  /** `options`: a broker_transport_options key; `url`: a broker URL query parameter (the client library parses it). */
  via: z.enum(['options', 'url']),
  unit: z.enum(['s', 'ms']),
  default: jsonValue,
});
const poolName = z.enum(['prefork', 'solo', 'threads', 'gevent', 'eventlet']);
const resultSubscribe = z.strictObject({
  since: version,
  summary: z.string(),
  /** From this release a send with ignore_result=True does not subscribe (before, every send does). */
  ignoreResultSkipsSince: version,
  /** From this release dropping the AsyncResult unsubscribes (AsyncResult.__del__). */
  unsubscribeOnDropSince: version,
  /** send_task() reads only its own ignore_result option (default False), not the task's or task_ignore_result. */
  sendTaskOption: z.string(),
  /** Pools whose processes never subscribe when a task body sends (task_join_will_block is True there). */
  skippedInPools: z.array(poolName),
  /** Whether app.backend is one object per process or per thread (gevent/eventlet patch threads into greenlets). */
  backendScope: z.array(
    z.strictObject({ since: version, until: version.optional(), scope: z.enum(['process', 'thread']), sharedWhen: z.string().optional() }),
  ),
  verified: z.strictObject({ celery: version, how: z.string() }),
  source: sourceSchema,
});
const resultWaiting = z.strictObject({
  getInTask: z.strictObject({
    message: z.string(),
    effects: z.array(z.strictObject({ since: version, until: version.optional(), effect: z.enum(['warning', 'error']) })),
    /** Pools whose task_join_will_block is True: get() in a task body hits the check. */
    blockingPools: z.array(poolName),
    /** Pools whose task_join_will_block is False: get() in a task body waits, holding a pool slot. */
    greenPools: z.array(poolName),
    disableSyncSubtasksSince: version,
    source: sourceSchema,
  }),
  ignoredGet: z.strictObject({
    /** From this release get() on the AsyncResult of an ignore_result send returns None at once (AsyncResult.ignored). */
    returnsNoneSince: version,
    summary: z.string(),
    source: sourceSchema,
  }),
  verified: z.strictObject({ celery: version, how: z.string() }),
});

export const transportsDocSchema = z.strictObject({
  virtualOptions: z.strictObject({ options: z.array(transportOption), source: sourceSchema, note: z.string() }),
  connectionOptions: z.strictObject({ options: z.array(transportOption), source: sourceSchema, note: z.string() }),
  urlQuery: z.strictObject({
    summary: z.string(),
    accepted: z.array(z.strictObject({ since: version, keys: z.array(z.string()) })),
    sslPrefixedKeys: z.strictObject({ since: version, summary: z.string() }),
    parsesOwnUrl: z.array(z.strictObject({ transport: z.string(), since: version, note: z.string().optional() })),
    source: sourceSchema,
  }),
  transports: z.array(
    z.strictObject({
      name: z.string(),
      module: z.string(),
      schemes: z.array(z.strictObject({ scheme: z.string(), since: version, removed: version.optional() })).min(1),
      virtual: z.boolean(),
      inherits: z.string().optional(),
      options: z.array(transportOption),
      passthrough: passthrough.optional(),
      urlOptions: passthrough.optional(),
      /** Client-library options the URL query string may carry (compared case-insensitively). */
      urlQueryOptions: z.strictObject({ keys: z.array(z.string()).min(1), note: z.string(), source: sourceSchema }).optional(),
      /** The client's socket timeouts: where the transport takes them from and their default (null: none). */
      timeouts: z
        .strictObject({
          read: socketTimeout,
          connect: socketTimeout.extend({ fallsBackToRead: z.boolean() }),
          note: z.string(),
          source: sourceSchema,
        })
        .optional(),
      /** The periodic connection health check (Kombu's redis transport): the interval in force from `since`. */
      healthCheck: z
        .strictObject({
          since: version,
          interval: z.number(),
          option: z.strictObject({ key: z.string(), since: version }),
          note: z.string(),
          source: sourceSchema,
        })
        .optional(),
      note: z.string().optional(),
      gap: z.string().optional(),
      source: sourceSchema,
    }),
  ),
  resultBackend: z.strictObject({
    redis: z.strictObject({
      settings: z.array(z.strictObject({ name: z.string(), since: version, default: jsonValue })),
      note: z.string(),
      source: sourceSchema,
      /** Query parameters of the result backend URL become redis client keyword arguments. */
      urlQuery: z.strictObject({ since: version, summary: z.string(), source: sourceSchema }).optional(),
      /** The result subscription every send makes with the Redis backend (CEL501/CEL502). */
      subscribe: resultSubscribe.optional(),
    }),
    transportOptions: z.strictObject({
      summary: z.string(),
      keys: z.array(
        z.strictObject({
          key: z.string(),
          since: version,
          backend: z.string(),
          default: jsonValue.optional(),
          defaults: z.array(datedValue).optional(),
        }),
      ),
      source: sourceSchema,
      /** Result backend aliases (celery/app/backends.py) that are KeyValueStoreBackend subclasses, and the others. */
      backends: z
        .strictObject({
          keyValue: z.array(z.strictObject({ name: z.string(), since: version })),
          other: z.array(z.strictObject({ name: z.string(), since: version })),
          source: sourceSchema,
        })
        .optional(),
    }),
    /** How AsyncResult waits: get() inside a task (CEL504) and results of ignore_result tasks (CEL503). */
    waiting: resultWaiting.optional(),
  }),
});

const cliChange = z.strictObject({
  /**
   * removed/renamed/ignored: a sub-command option; global-options-position: global options rejected after the
   * sub-command; global-options-parsing: how global options before the sub-command are read; program-removed:
   * a program (or manage.py command) no longer installed; command-removed: a `celery` sub-command; value-removed:
   * option values no longer accepted.
   */
  kind: z.enum(['removed', 'renamed', 'ignored', 'global-options-position', 'global-options-parsing', 'program-removed', 'command-removed', 'value-removed']),
  option: z.string().optional(),
  options: z.array(z.string()).optional(),
  command: z.string().optional(),
  /** global-options-position: the core sub-commands that reject them, and those that pass them on (multi). */
  commands: z.array(z.string()).optional(),
  passThrough: z.array(z.string()).optional(),
  program: z.string().optional(),
  values: z.array(z.string()).optional(),
  /** value-removed: the values still accepted. */
  accepted: z.array(z.string()).optional(),
  replacement: z.string().optional(),
  /** First release that accepts `replacement` (a rename is only behaviour-preserving from there). */
  replacementSince: version.optional(),
  effect: z.string().optional(),
  /** The error the release prints, as seen on a real install. */
  error: z.string().optional(),
  verified: z.strictObject({ celery: version, how: z.string() }).optional(),
  source: sourceSchema.extend({ repo: z.string().optional() }),
});
export const removedDocSchema = z.strictObject({
  brokerTransports: z.array(
    z.strictObject({
      scheme: z.string(),
      kombu: version,
      celery: version,
      restored: z.strictObject({ kombu: version }).optional(),
      replacement: z.string().optional(),
      note: z.string().optional(),
      source: sourceSchema,
    }),
  ),
  resultBackends: z.array(
    z.strictObject({
      name: z.string(),
      removed: version,
      aliasRemoved: version.optional(),
      /** What loading the backend raises at a Celery version. */
      failure: z.array(z.strictObject({ since: version, until: version.optional(), error: z.string() })).optional(),
      replacement: z.string().optional(),
      note: z.string().optional(),
      source: sourceSchema,
      changelog: sourceSchema.optional(),
    }),
  ),
  modules: z.array(
    z.strictObject({
      module: z.string(),
      removed: version,
      names: z.array(z.string()).optional(),
      replacement: z.string().optional(),
      note: z.string().optional(),
      source: sourceSchema,
      /** The last release where the module is still there, when that is not obvious from `source`. */
      present: sourceSchema.optional(),
      /** Names the module still exports before its removal whose use (as a decorator or a call) already fails. */
      brokenNames: z
        .array(z.strictObject({ name: z.string(), since: version, until: version, failure: z.string(), why: z.string(), replacement: z.string(), source: sourceSchema }))
        .optional(),
      /** Attributes of a parent package that stood for the module (`celery.task` of the celery package) and how reaching them fails. */
      attributes: z
        .array(
          z.strictObject({
            name: z.string(),
            what: z.string(),
            source: sourceSchema,
            /** `import`: what `from <parent> import <name>` raises; `attribute`: what `<parent>.<name>` raises. */
            failure: z.array(z.strictObject({ since: version, until: version.optional(), import: z.string(), attribute: z.string(), source: sourceSchema })),
          }),
        )
        .optional(),
    }),
  ),
  packages: z.array(
    z.strictObject({
      package: z.string(),
      import: z.string(),
      /** The first Celery release the package cannot be installed with. */
      unsupportedFrom: version.optional(),
      note: z.string(),
      source: sourceSchema,
    }),
  ),
  cli: z.array(z.strictObject({ release: version, changes: z.array(cliChange) })),
});

const example = z.record(z.string(), jsonValue);
export const configLoadingDocSchema = z.strictObject({
  mixing: z.strictObject({
    since: version,
    summary: z.string(),
    errorWhenNewWins: z.string(),
    errorWhenOldWins: z.string(),
    tieGoesTo: z.enum(['new', 'old']),
    bothFormsOfSameSetting: z.string(),
    namespaceDisablesCheck: z.boolean(),
    source: sourceSchema,
    examples: z.array(example),
  }),
  namespace: z.strictObject({
    since: version,
    summary: z.string(),
    recognisedKey: z.string(),
    alsoRecognised: z.string(),
    oldNamesRecognised: z.string(),
    source: sourceSchema,
    verified: z.strictObject({ celery: version, how: z.string() }),
    examples: z.array(z.strictObject({ key: z.string(), setting: z.string(), recognised: z.boolean() })),
  }),
  celery31Names: z.strictObject({ summary: z.string(), source: sourceSchema }),
  deprecationWarning: z.strictObject({
    since: version,
    summary: z.string(),
    removal: version,
    djangoSourceExemptSince: version,
    source: sourceSchema,
  }),
  djangoTimeZone: z.strictObject({
    summary: z.string(),
    fallbackKey: z.array(z.strictObject({ since: version, key: z.string() })),
    source: sourceSchema,
  }),
  environment: z.strictObject({
    summary: z.string(),
    variables: z.array(z.strictObject({ name: z.string(), setting: z.string(), since: version })),
    source: sourceSchema,
  }),
  /** Which Celery() keyword arguments become settings: `always` in every release, the others from `since` ('*': any). */
  constructorKeywords: z.strictObject({
    summary: z.string(),
    always: z.array(z.string()),
    stored: z.array(z.strictObject({ keys: z.array(z.string()).min(1), since: version, source: sourceSchema })),
  }),
  pendingChanges: z
    .array(
      z.strictObject({
        setting: z.string(),
        summary: z.string(),
        warns: z.array(
          z.strictObject({
            since: version,
            until: version.optional(),
            when: z.enum(['unset', 'unset-and-retry-disabled', 'connection-loss-while-false']),
          }),
        ),
        changesIn: version,
        affects: z.string().optional(),
        keepsTodayWith: z.union([z.strictObject({ setting: z.string() }), z.strictObject({ value: jsonValue })]),
        source: sourceSchema,
      }),
    )
    .optional(),
});

// Facts about the Node.js producer libraries are read from their npm packages, not from a Celery tag.
const packageSource = z.strictObject({ package: z.string().min(1), version, file: z.string().min(1) });
export const producersDocSchema = z.strictObject({
  workerProtocols: z.array(
    z.strictObject({
      since: version,
      until: version.optional(),
      reads: z.array(z.number().int()),
      requiredHeaders: z.array(z.string()),
      requiredEmbed: z.array(z.string()),
      summary: z.string(),
      source: sourceSchema,
    }),
  ),
  /** The rolling upgrade from 3.1 to 4.0: the 3.1 release Celery's guide has workers run first. */
  rollingUpgrade: z.strictObject({ intermediate: version, summary: z.string(), source: sourceSchema }).optional(),
  libraries: z.array(
    z.strictObject({
      name: z.enum(['celery-node', 'celery-ts']),
      version,
      protocol: z.number().int(),
      protocols: z.array(z.number().int()),
      protocolOption: z.string().optional(),
      v2Headers: z.array(z.string()),
      v2Embed: z.array(z.string()),
      serializers: z.array(z.string()),
      resultSerializers: z.array(z.string()),
      resultWait: z.string(),
      timeoutUnit: z.enum(['ms', 's']),
      brokerDefault: z.string().optional(),
      backendDefault: z.string().optional(),
      source: packageSource,
    }),
  ),
});

// Known severe bugs of particular releases (CEL801) and Django fork handling (CEL802): rules/knowledge/advisories.yaml.
const pep440Range = z.string().min(1);
const advisoryLink = z.strictObject({ url: z.url(), what: z.string().min(1) });
export const advisoryConditionSchema = z.strictObject({
  broker: z.array(z.string().min(1)).min(1).optional(),
  resultBackend: z.array(z.string().min(1)).min(1).optional(),
  pool: z.array(z.enum(['prefork', 'gevent', 'eventlet', 'threads', 'solo'])).min(1).optional(),
  python: pep440Range.optional(),
  calls: z.array(z.string().min(1)).min(1).optional(),
  commands: z.array(z.string().min(1)).min(1).optional(),
  worker: z.literal(true).optional(),
});
export const advisoriesDocSchema = z.strictObject({
  advisories: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9-]+$/),
      package: z.string().regex(/^[a-z0-9-]+$/, 'a normalised (PEP 503) package name'),
      title: z.string().min(1),
      summary: z.string().min(1),
      affected: z.array(z.strictObject({ range: pep440Range, fixedIn: version })).min(1),
      condition: advisoryConditionSchema,
      note: z.string().optional(),
      sources: z.array(advisoryLink).min(1),
    }),
  ),
  djangoForkedConnections: z.strictObject({
    celery: z.array(
      z.strictObject({ since: version, until: version.optional(), closesPersistent: z.boolean(), how: z.string(), source: sourceSchema }),
    ),
    fixupSkippedWhen: z.string(),
    djcelery: z.strictObject({ closesPersistent: z.boolean(), how: z.string(), source: sourceSchema.extend({ repo: z.string() }) }),
  }),
});
export type AdvisoriesDoc = z.infer<typeof advisoriesDocSchema>;

// Broker-server behaviour (RabbitMQ consumer_timeout) and how workers hold ETA messages: rules/knowledge/brokers.yaml.
const brokerLink = z.strictObject({ url: z.url(), what: z.string().min(1) });
const queueType = z.enum(['classic', 'quorum', 'stream']);
export const brokersDocSchema = z.strictObject({
  rabbitmq: z.strictObject({
    consumerTimeout: z.strictObject({
      key: z.string().min(1),
      unit: z.literal('ms'),
      /** RabbitMQ server versions (not Celery's). */
      defaults: z.array(z.strictObject({ since: version, value: z.number().int().positive() })).min(1),
      behaviour: z.array(z.strictObject({ since: version, until: version.optional(), queues: z.array(queueType).min(1), effect: z.string().min(1) })).min(1),
      sources: z.array(brokerLink).min(1),
    }),
  }),
  celery: z.strictObject({
    etaHeldUnacked: z.strictObject({ summary: z.string().min(1), source: sourceSchema }),
    consumerTimeoutWarning: z.strictObject({ since: version, summary: z.string().min(1), source: sourceSchema }),
    nativeDelayedDelivery: z.strictObject({ since: version, exchangeTypes: z.array(z.string().min(1)).min(1), summary: z.string().min(1), source: sourceSchema }),
    channelErrors: z.strictObject({
      stops: z.strictObject({ summary: z.string().min(1), source: sourceSchema }),
      retry: z.strictObject({ since: version, setting: z.string().min(1), summary: z.string().min(1), source: sourceSchema }),
    }),
  }),
});
export type BrokersDoc = z.infer<typeof brokersDocSchema>;
export type Advisory = AdvisoriesDoc['advisories'][number];
export type AdvisoryCondition = z.infer<typeof advisoryConditionSchema>;

export type SettingsDoc = z.infer<typeof settingsDocSchema>;
export type Setting = SettingsDoc['settings'][number];
export type Celery31Setting = SettingsDoc['celery31'][number];
export type ReleasesDoc = z.infer<typeof releasesDocSchema>;
export type SerializersDoc = z.infer<typeof serializersDocSchema>;
export type TransportsDoc = z.infer<typeof transportsDocSchema>;
export type Transport = TransportsDoc['transports'][number];
export type RemovedDoc = z.infer<typeof removedDocSchema>;
export type RemovedAttribute = NonNullable<RemovedDoc['modules'][number]['attributes']>[number];
export type CliChange = z.infer<typeof cliChange>;
export type ConfigLoadingDoc = z.infer<typeof configLoadingDocSchema>;
export type PendingChange = NonNullable<ConfigLoadingDoc['pendingChanges']>[number];
export type ProducersDoc = z.infer<typeof producersDocSchema>;
export type ProducerLibrary = ProducersDoc['libraries'][number];
export type WorkerProtocol = ProducersDoc['workerProtocols'][number];

/** One schema per knowledge file; a file in the folder without an entry here is an error (nothing is silently skipped). */
export const knowledgeFiles = {
  'settings.yaml': settingsDocSchema,
  'releases.yaml': releasesDocSchema,
  'serializers.yaml': serializersDocSchema,
  'transports.yaml': transportsDocSchema,
  'removed.yaml': removedDocSchema,
  'config-loading.yaml': configLoadingDocSchema,
  'producers.yaml': producersDocSchema,
  'advisories.yaml': advisoriesDocSchema,
  'brokers.yaml': brokersDocSchema,
} as const;

// ---------- loading ----------

export class KnowledgeError extends Error {
  override name = 'KnowledgeError';
}

/** Validates one parsed document; throws KnowledgeError naming the file and each failing zod path. */
export function validateDocument<S extends z.ZodType>(file: string, schema: S, data: unknown): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const lines = r.error.issues.slice(0, 20).map((i) => `  at ${formatPath(i.path)}: ${i.message}`);
  throw new KnowledgeError(`invalid knowledge file ${file}:\n${lines.join('\n')}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Parses YAML text and validates it; a YAML syntax error is reported with the file name too. */
export function parseKnowledgeFile<S extends z.ZodType>(file: string, text: string, schema: S): z.infer<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new KnowledgeError(`invalid knowledge file ${file}: ${(e as Error).message}`);
  }
  return validateDocument(file, schema, data);
}

/**
 * The rules/knowledge folder. Walks up from this module because the code runs both from src/ (vitest) and
 * from dist/src/ (after tsc), and the YAML is not copied into dist.
 */
export function knowledgeDir(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'rules', 'knowledge');
    if (existsSync(join(candidate, 'settings.yaml'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new KnowledgeError(`rules/knowledge not found above ${start}`);
    dir = parent;
  }
}

export function loadKnowledge(dir: string = knowledgeDir()): Knowledge {
  const read = <K extends keyof typeof knowledgeFiles>(name: K): z.infer<(typeof knowledgeFiles)[K]> => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new KnowledgeError(`missing knowledge file ${path}`);
    return parseKnowledgeFile(path, readFileSync(path, 'utf8'), knowledgeFiles[name]) as z.infer<
      (typeof knowledgeFiles)[K]
    >;
  };
  return new Knowledge(
    read('settings.yaml'),
    read('releases.yaml'),
    read('serializers.yaml'),
    read('transports.yaml'),
    read('removed.yaml'),
    read('config-loading.yaml'),
    read('producers.yaml'),
    read('advisories.yaml'),
    read('brokers.yaml'),
  );
}

let cached: Knowledge | undefined;
/** The knowledge base of this package, loaded once. */
export function knowledge(): Knowledge {
  cached ??= fromSnapshot() ?? loadKnowledge();
  return cached;
}

// ---------- snapshot ----------

/**
 * Parsing and validating the YAML takes ~0.35 s per run (most of a warm pre-commit run), so the build writes the
 * validated documents as JSON next to the compiled module (scripts/knowledge-snapshot.ts). It is used only when
 * the hash of the YAML texts it was made from matches the YAML present now; otherwise the YAML is parsed.
 */
export const SNAPSHOT_FILE = fileURLToPath(new URL('./knowledge.snapshot.json', import.meta.url));

const DOC_ORDER = ['settings.yaml', 'releases.yaml', 'serializers.yaml', 'transports.yaml', 'removed.yaml', 'config-loading.yaml', 'producers.yaml', 'advisories.yaml', 'brokers.yaml'] as const;

function knowledgeHash(dir: string): string {
  const hash = createHash('sha1');
  for (const name of DOC_ORDER) hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
  return hash.digest('hex');
}

/** The snapshot text of the knowledge in `dir` (validated first: an invalid knowledge base throws here). */
export function knowledgeSnapshot(dir: string = knowledgeDir()): string {
  const k = loadKnowledge(dir);
  const docs = [k.settings, k.releases, k.serializers, k.transports, k.removed, k.configLoading, k.producers, k.advisories, k.brokers];
  return JSON.stringify({ hash: knowledgeHash(dir), docs });
}

/** The knowledge from a snapshot text, or undefined when it is missing, unreadable or made from other YAML. */
export function fromSnapshot(text?: string, dir?: string): Knowledge | undefined {
  try {
    const snap = JSON.parse(text ?? readFileSync(SNAPSHOT_FILE, 'utf8')) as { hash?: string; docs?: unknown[] };
    if (!Array.isArray(snap.docs) || snap.docs.length !== DOC_ORDER.length || snap.hash !== knowledgeHash(dir ?? knowledgeDir())) return undefined;
    const d = snap.docs as [SettingsDoc, ReleasesDoc, SerializersDoc, TransportsDoc, RemovedDoc, ConfigLoadingDoc, ProducersDoc, AdvisoriesDoc, BrokersDoc];
    return new Knowledge(...d);
  } catch {
    return undefined;
  }
}

/** Newest Celery release in the knowledge base (e.g. '5.6.3'): the default migrate target. */
export function newestRelease(k: Knowledge = knowledge()): string {
  return k.releases.celery.map((r) => r.newest).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
}

// ---------- queries ----------

export type SettingMatch =
  | { kind: 'new'; setting: Setting }
  | { kind: 'old'; setting: Setting; oldName: string; since?: string; until?: string }
  | { kind: 'celery31'; setting: Celery31Setting };

function oldNameParts(o: Setting['old'][number]): { name: string; since?: string; until?: string } {
  return typeof o === 'string' ? { name: o } : o;
}

export class Knowledge {
  private readonly byNew = new Map<string, Setting>();
  private readonly byOld = new Map<string, { setting: Setting; since?: string; until?: string }[]>();
  private readonly by31 = new Map<string, Celery31Setting>();

  constructor(
    readonly settings: SettingsDoc,
    readonly releases: ReleasesDoc,
    readonly serializers: SerializersDoc,
    readonly transports: TransportsDoc,
    readonly removed: RemovedDoc,
    readonly configLoading: ConfigLoadingDoc,
    readonly producers: ProducersDoc,
    readonly advisories: AdvisoriesDoc,
    readonly brokers: BrokersDoc,
  ) {
    for (const s of settings.settings) {
      if (this.byNew.has(s.name)) throw new KnowledgeError(`settings.yaml: duplicate setting ${s.name}`);
      this.byNew.set(s.name, s);
      for (const o of s.old) {
        const { name, since, until } = oldNameParts(o);
        const list = this.byOld.get(name) ?? [];
        list.push({ setting: s, since, until });
        this.byOld.set(name, list);
      }
    }
    for (const s of settings.celery31) this.by31.set(s.name, s);
  }

  /**
   * Every reading of a configuration key: the new setting it names, the new settings it is an old alias of,
   * and the Celery 3.1 setting of that name. Matching is exact (Celery's keys are case-sensitive).
   */
  settingByName(name: string): SettingMatch[] {
    const out: SettingMatch[] = [];
    const s = this.byNew.get(name);
    if (s) out.push({ kind: 'new', setting: s });
    for (const o of this.byOld.get(name) ?? []) {
      out.push({ kind: 'old', setting: o.setting, oldName: name, since: o.since, until: o.until });
    }
    const s31 = this.by31.get(name);
    if (s31) out.push({ kind: 'celery31', setting: s31 });
    return out;
  }

  setting(name: string): Setting | undefined {
    return this.byNew.get(name);
  }

  celery31Setting(name: string): Celery31Setting | undefined {
    return this.by31.get(name);
  }

  /** Settings that exist at a Celery version: lowercase ones for 4.0+, the uppercase 3.1 ones before. */
  settingsKnownAt(celeryVersion: string): (Setting | Celery31Setting)[] {
    if (compareVersions(celeryVersion, '4.0.0') < 0) {
      return this.settings.celery31.filter((s) => inRange(celeryVersion, s.added, s.removed));
    }
    return this.settings.settings.filter((s) => inRange(celeryVersion, s.added, s.removed));
  }

  /** The new name of `oldName` at a Celery version (4.0+), honouring per-release alias changes. */
  newNameAt(oldName: string, celeryVersion: string): string | undefined {
    for (const o of this.byOld.get(oldName) ?? []) {
      const s = o.setting;
      if (inRange(celeryVersion, o.since ?? s.added, o.until ?? s.removed)) return s.name;
    }
    return undefined;
  }

  /**
   * The default of a setting at a Celery version, or undefined when the setting does not exist there.
   * `name` may be a new name (4.0+) or a 3.1 uppercase name (before 4.0). A setting without default reads as null.
   */
  defaultAt(name: string, celeryVersion: string): { value: JsonValue } | undefined {
    const s: Setting | Celery31Setting | undefined = this.byNew.get(name) ?? this.by31.get(name);
    if (!s || !inRange(celeryVersion, s.added, s.removed)) return undefined;
    let current: DatedValue | undefined;
    for (const d of s.defaults) if (compareVersions(celeryVersion, d.since) >= 0) current = d;
    return current ? { value: current.value } : undefined;
  }

  transport(nameOrScheme: string): Transport | undefined {
    return this.transports.transports.find(
      (t) => t.name === nameOrScheme || t.schemes.some((s) => s.scheme === nameOrScheme),
    );
  }

  /**
   * The broker_transport_options keys a transport reads at a Kombu version, with the default in force there.
   * Includes the keys every virtual transport reads and the connection-retry keys kombu.Connection reads.
   */
  transportOptions(
    nameOrScheme: string,
    kombuVersion: string,
  ): { key: string; default?: JsonValue; origin: 'transport' | 'virtual' | 'connection' }[] | undefined {
    const t = this.transport(nameOrScheme);
    if (!t) return undefined;
    const base = t.inherits ? this.transport(t.inherits) : undefined;
    const out: { key: string; default?: JsonValue; origin: 'transport' | 'virtual' | 'connection' }[] = [];
    const seen = new Set<string>();
    const add = (opts: TransportOption[], origin: 'transport' | 'virtual' | 'connection') => {
      for (const o of opts) {
        if (seen.has(o.key) || !optionLive(o, kombuVersion)) continue;
        seen.add(o.key);
        const d = latestAt(o.defaults, kombuVersion);
        out.push(d ? { key: o.key, default: d.value, origin } : { key: o.key, origin });
      }
    };
    add(t.options, 'transport');
    if (base) add(base.options, 'transport');
    if (t.virtual) add(this.transports.virtualOptions.options, 'virtual');
    add(this.transports.connectionOptions.options, 'connection');
    return out;
  }

  /** Whether broker_transport_options as a whole is handed to the client library at a Kombu version. */
  transportPassthroughAt(nameOrScheme: string, kombuVersion: string): string | undefined {
    const p = this.transport(nameOrScheme)?.passthrough;
    return p && inRange(kombuVersion, p.since, p.until) ? p.to : undefined;
  }

  /** The health-check interval Kombu's transport runs with at a Kombu version (before the option is read, the fixed one). */
  healthCheckAt(nameOrScheme: string, kombuVersion: string): { interval: number; configurable: boolean; key: string } | undefined {
    const t = this.transport(nameOrScheme);
    const h = t?.healthCheck ?? (t?.inherits ? this.transport(t.inherits)?.healthCheck : undefined);
    if (!h || compareVersions(kombuVersion, h.since) < 0) return undefined;
    return { interval: h.interval, configurable: compareVersions(kombuVersion, h.option.since) >= 0, key: h.option.key };
  }

  celeryLine(celeryVersion: string): ReleasesDoc['celery'][number] | undefined {
    const [maj, min] = celeryVersion.replace(/^v/, '').split('.');
    return this.releases.celery.find((r) => r.line === `${maj}.${min}`);
  }

  serializerDefaultsAt(celeryVersion: string): SerializersDoc['defaults'][number] | undefined {
    let current: SerializersDoc['defaults'][number] | undefined;
    for (const d of this.serializers.defaults) if (compareVersions(celeryVersion, d.since) >= 0) current = d;
    return current;
  }

  /** Every command-line change of removed.yaml's `cli` list, with the release it happens in, oldest first. */
  cliChanges(): (CliChange & { release: string })[] {
    return this.removed.cli
      .flatMap((r) => r.changes.map((c) => ({ ...c, release: r.release })))
      .sort((a, b) => compareVersions(a.release, b.release));
  }

  /** Whether Celery() at `version` stores the keyword argument `key` as a setting (else it is silently dropped). */
  constructorKeywordRead(key: string, version: string): boolean {
    const kw = this.configLoading.constructorKeywords;
    if (kw.always.includes(key)) return true;
    return kw.stored.some((s) => (s.keys.includes(key) || s.keys.includes('*')) && compareVersions(version, s.since) >= 0);
  }

  removedModule(module: string): RemovedDoc['modules'][number] | undefined {
    return this.removed.modules.find((m) => m.module === module || module.startsWith(`${m.module}.`));
  }

  /** A removed module that a parent package exposed as an attribute (`celery.task` of the celery package), and how reaching it fails. */
  removedAttribute(name: string): { module: RemovedDoc['modules'][number]; attribute: RemovedAttribute } | undefined {
    for (const module of this.removed.modules) {
      const attribute = module.attributes?.find((a) => a.name === name);
      if (attribute) return { module, attribute };
    }
    return undefined;
  }

  /** How a worker of this Celery version reads task messages (which protocols, which headers it requires). */
  workerProtocolAt(celeryVersion: string): WorkerProtocol | undefined {
    return this.producers.workerProtocols.find((w) => inRange(celeryVersion, w.since, w.until));
  }

  /** Whether Celery's Django fix-up closes persistent DB connections a forked pool process inherits, at a version. */
  djangoForkCloseAt(celeryVersion: string): AdvisoriesDoc['djangoForkedConnections']['celery'][number] | undefined {
    return this.advisories.djangoForkedConnections.celery.find((r) => inRange(celeryVersion, r.since, r.until));
  }

  producerLibrary(name: ProducerLibrary['name']): ProducerLibrary | undefined {
    return this.producers.libraries.find((l) => l.name === name);
  }
}

function optionLive(o: TransportOption, v: string): boolean {
  if (!inRange(v, o.since, o.removed)) return false;
  return !(o.absent ?? []).some((g) => inRange(v, g.from, g.until));
}

function latestAt(defs: DatedValue[] | undefined, v: string): DatedValue | undefined {
  let current: DatedValue | undefined;
  for (const d of defs ?? []) if (compareVersions(v, d.since) >= 0) current = d;
  return current;
}
