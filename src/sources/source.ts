import type { DiscoveredFile } from '../discover/walk.js';
import type { FileKind } from '../discover/classify.js';
import type { PyFile } from '../parse/python.js';
import type {
  CallSite, CeleryApp, CeleryCommand, ConfigModule, EnvVar, ImportFact, ParseProblem, ProducerClient, RedisServerConf, SignalHandler, TaskDef, VersionPin,
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
  versions?: VersionPin[];
  imports?: ImportFact[];
  producers?: ProducerClient[];
  signalHandlers?: SignalHandler[];
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
}

/**
 * One kind of configuration source (like a knip plugin): it picks its files from the discovered set and
 * returns normalised facts with spans. It never reads files outside ctx, so parsing happens once.
 */
export interface Source {
  name: string;
  collect(ctx: SourceContext): Facts;
}
