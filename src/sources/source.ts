import type { DiscoveredFile } from '../discover/walk.js';
import type { FileKind } from '../discover/classify.js';
import type { PyFile } from '../parse/python.js';
import type {
  CallSite, CeleryApp, CeleryCommand, ConfigModule, EnvVar, ImportFact, ParseProblem, ProducerClient, ProjectModel, RabbitmqServerConf, RedisServerConf, SettingRead, SignalHandler, TaskDef, VersionPin, WebServer,
} from '../model/types.js';

/** What a source module may contribute; the model builder merges these and links them. */
export interface Facts {
  apps?: CeleryApp[];
  configModules?: ConfigModule[];
  tasks?: TaskDef[];
  callSites?: CallSite[];
  commands?: CeleryCommand[];
  envVars?: EnvVar[];
  redisConfs?: RedisServerConf[];
  rabbitmqConfs?: RabbitmqServerConf[];
  webServers?: WebServer[];
  versions?: VersionPin[];
  imports?: ImportFact[];
  producers?: ProducerClient[];
  signalHandlers?: SignalHandler[];
  settingReads?: SettingRead[];
  problems?: ParseProblem[];
}

/** Read access to the discovered project; files are read and parsed at most once. */
export interface SourceContext {
  root: string;
  files: readonly DiscoveredFile[];
  filesOfKind(...kinds: FileKind[]): DiscoveredFile[];
  /** The file's text, or undefined (the reason is recorded as a problem once). */
  text(file: DiscoveredFile): string | undefined;
  /** Frees every parsed tree (wasm memory the GC cannot see); PyFiles stay usable and parse again if read. */
  dispose?(): void;
  /** The parsed Python file, or undefined when it could not be read. */
  python(file: DiscoveredFile): PyFile | undefined;
  /**
   * One file's facts: undefined when the file cannot be read or `filter` (the source's cheap pre-filter) turns its
   * text down, else `compute()`. With the on-disk cache, both outcomes are remembered and an unchanged file (same
   * path, text and `salt`, i.e. whatever else the facts depend on) is neither analysed nor, mostly, read again.
   * Call it through `fileFacts` (sources/file-facts.ts), which also serves contexts without it.
   */
  memo?<T>(namespace: string, file: DiscoveredFile, salt: string, filter: (text: string) => boolean, compute: () => T): T | undefined;
  /**
   * `memo` for many files at once, results in the order of `files`. The files to analyse are shared with worker
   * threads running `spec.worker` when there are many. Call it through `manyFileFacts` (sources/file-facts.ts).
   */
  memoMany?<T>(namespace: string, files: readonly DiscoveredFile[], spec: ManyFacts<T>): (T | undefined)[];
  /** False turns the sources' cheap text pre-filters off (a test proves they lose no finding). */
  prefilter?: boolean;
}

/** How a source analyses many files (see SourceContext.memoMany). */
export interface ManyFacts<T> {
  /** Whatever a file's facts depend on besides its path and text. */
  salt(file: DiscoveredFile): string;
  /** The cheap pre-filter: false means the file cannot contribute. */
  filter(text: string): boolean;
  /** The facts, computed on this thread. */
  compute(file: DiscoveredFile): T;
  /** A module calling `serveJobs` that computes the same facts in a worker thread from `input(file)` and `shared`. */
  worker?: { url: URL; shared: unknown; input(file: DiscoveredFile): unknown };
}

/**
 * One kind of configuration source (like a knip plugin): it picks its files from the discovered set and
 * returns normalised facts with spans. It never reads files outside ctx, so parsing happens once.
 */
export interface Source {
  name: string;
  /** `earlier`: what the sources before this one found (the deploy sources run first, so Python config can see them). */
  collect(ctx: SourceContext, earlier?: Readonly<Pick<ProjectModel, 'envVars' | 'commands'>>): Facts;
}
