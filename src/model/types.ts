// The ProjectModel: every fact celery-lint knows about a project, each with the file and span it came from.
// Rules read only this; sources produce only this.

export type { Position, Span, ParseProblem } from '../discover/location.js';
export type { Value, DictEntry } from '../parse/value.js';
import type { ParseProblem, Span } from '../discover/location.js';
import type { Value } from '../parse/value.js';

export type SettingOrigin =
  | 'module' // module-level assignment in a config module / Django settings
  | 'conf-update' // app.conf.update(x=...) or app.conf.update({...})
  | 'conf-attr' // app.conf.x = ...
  | 'conf-item' // app.conf["x"] = ...
  | 'celery-arg' // Celery(broker=..., backend=...)
  | 'env'; // an environment variable in a deploy file (.env, compose, k8s)

export interface SettingFact {
  /** The name exactly as written (`CELERY_RESULT_SERIALIZER`, `result_serializer`, `BROKER_URL`). */
  name: string;
  /** The name as Celery sees it after stripping the app's namespace prefix (`CELERY_`), if any. */
  key: string;
  value: Value;
  origin: SettingOrigin;
  /** The whole statement/keyword (for deletion or replacement). */
  span: Span;
  /** Just the name token (the identifier, the keyword name, or the string key without quotes). */
  nameSpan: Span;
  valueSpan: Span;
  /** How the name is written: identifier (module/attr/kwarg) or a quoted string key (dict/item). */
  nameStyle: 'identifier' | 'string';
}

/** A Python module whose top-level assignments are settings: a celeryconfig or Django settings module. */
export interface ConfigModule {
  /** Dotted module name as referenced (`proj.celeryconfig`, `proj.settings.production`). */
  module: string;
  file: string;
  /** Settings in evaluation order, including those pulled in by `from .base import *` (with their own spans). */
  settings: SettingFact[];
  /** Files followed through star imports, in order (the module's own file last). */
  chain: string[];
  isDjango: boolean;
  /**
   * Names the module's own files read back as bare names: helpers such as `redis_host` in
   * `CACHES = {... f"redis://{redis_host}/0" ...}` (Django drops it anyway) or REDIS_MAX_CONNECTIONS feeding CACHES,
   * not Celery settings written in the wrong case or without the namespace prefix.
   * Django settings modules only; absent when there are none.
   */
  localReads?: string[];
}

export interface ConfigSourceRef {
  /**
   * `conf_update`: `app.conf.update(mapping)` with a mapping that is not a literal (Flask's `app.config`), read at run
   * time. `subclass`: the app is an instance of the project's own Celery subclass, whose methods may configure it
   * (indico's `init_app` sets `self.conf[...]`); `target` names the class.
   */
  kind: 'config_from_object' | 'config_from_envvar' | 'config_source_arg' | 'conf_update' | 'subclass';
  /** The string passed (`proj.celeryconfig`, `django.conf:settings`), or unknown. */
  target: Value;
  namespace?: string;
  /** Resolved module, if we found it in the project. */
  module?: string;
  file?: string;
  span: Span;
}

export interface CeleryApp {
  /** Stable id: `file:variable`. */
  id: string;
  file: string;
  /** Dotted module of the file defining the app. */
  module: string;
  variable: string;
  /** First positional argument / `main=`. */
  main?: Value;
  span: Span;
  broker?: SettingFact;
  backend?: SettingFact;
  include?: Value;
  configSources: ConfigSourceRef[];
  /** Settings set directly on this app (Celery() kwargs, conf.update, conf.x =, conf["x"] =), in order. */
  directSettings: SettingFact[];
  autodiscover: { packages?: Value; span: Span }[];
  /** Namespace in effect for config_from_object (e.g. CELERY), if any. */
  namespace?: string;
  /**
   * Where the app's default task class is replaced (`Celery(task_cls=...)`, `app.Task = X`): that class's attributes
   * (time_limit, ignore_result, acks_late, ...) apply to every task and are not in the model.
   */
  taskClass?: Span;
}

export interface TaskOption {
  value: Value;
  span: Span;
}

export type TaskDecoratorKind =
  | 'app.task' // @app.task / @celery.task / @app.task(...)
  | 'shared_task'
  | 'legacy.task' // from celery.task / celery.decorators import task; from celery import task; import celery + @celery.task
  | 'legacy.periodic_task'
  | 'class'; // class Foo(Task)

export interface TaskDef {
  /** The name Celery would register: explicit `name=` or `module.function`. */
  name: string;
  /** Whether `name` came from an explicit `name=` option. */
  explicitName: boolean;
  function: string;
  module: string;
  file: string;
  decorator: TaskDecoratorKind;
  /** The app variable for @app.task, when known. */
  appVariable?: string;
  options: Record<string, TaskOption>;
  /** The decorator (or class header) span, where a fix adds options. */
  decoratorSpan: Span;
  /** The decorator's argument list, if it has one (`(...)`), for inserting options. */
  decoratorArgsSpan?: Span;
  /** The decorator also passes `**kwargs` or positional arguments: options may be set that `options` does not list. */
  unlistedOptions?: boolean;
  /**
   * Legacy decorators only: the decorator's name as written (`task`, `celery.task`, `old_task`), what it resolves to
   * through the file's imports (`celery.task.task`, `celery.decorators.task`, or `celery.task`: the celery.task module
   * itself, which Celery 3.1-4.x makes callable as the legacy decorator and re-exports as `celery.task`), and its span.
   */
  legacyDecorator?: { written: string; resolved: string; span: Span };
  /** The function or class definition. */
  span: Span;
  bodySpan: Span;
  bind: boolean;
}

export type CallKind =
  | 'delay'
  | 'apply_async'
  | 's'
  | 'si'
  | 'signature'
  | 'send_task'
  | 'AsyncResult'
  | 'get'
  | 'join'
  | 'wait'
  | 'ready'
  | 'result_attr'
  | 'inspect_ping'
  | 'control_ping'
  | 'retry'
  | 'allow_join_result'
  /** An HTTP request with requests / httpx / urllib (`requests.get(url, ...)`, `session.post(...)`, `urlopen(url)`). */
  | 'http'
  /** Reading a whole response body: `.content`, `.text`, `.json()` on a response from an `http` call. */
  | 'http_body';

export type ResultUsage = 'discarded' | 'assigned' | 'returned' | 'chained' | 'argument' | 'used';

export interface CallSite {
  kind: CallKind;
  file: string;
  span: Span;
  /** The task name this call refers to, when resolved through the project's imports or a literal name. */
  task?: string;
  /** What the call refers to before linking: an import target (`proj.tasks.add`) or a literal task name. */
  target?: string;
  /** For s/si/signature: the canvas primitive the signature is part of, if any. */
  canvas?: 'chain' | 'group' | 'chord-header' | 'chord-body' | 'link';
  /** The receiver text (`add`, `tasks.add`, `res`), for messages. */
  receiver: string;
  options: Record<string, TaskOption>;
  /** Only for result-producing calls (delay/apply_async/send_task/AsyncResult; http: the response). */
  resultUsage?: ResultUsage;
  /** The name the result was bound to (`res = add.delay()`), if any. */
  boundTo?: string;
  /** Task whose body contains the call, if any. */
  inTask?: string;
  /** Function containing the call (qualified within its module). */
  inFunction?: string;
  /** For get/join/wait and http: whether a timeout argument was passed (a literal None is no timeout). */
  hasTimeout?: boolean;
  /** Inside a try/except or a retry-decorated function (for control commands). */
  inRetry?: boolean;
  /**
   * For get/join/wait: only reached under `if <...always_eager...>:` (open-event-server's `if
   * app.config.get('CELERY_ALWAYS_EAGER'): task.get()`), where the result is an EagerResult that never waits.
   */
  eagerOnly?: boolean;
  /**
   * For get/join/wait: the same function read the result's state first (`.state`, `.status`, `ready()`,
   * `successful()`, `failed()`): the code waits on a result it has looked at, as pollers do.
   */
  afterStateCheck?: boolean;
  /** For http/http_body outside a task: a module-level function of the same file that a task there calls by name. */
  viaTask?: { task: string; helper: string };
  /** For get/ready/result_attr/http_body: the call the receiver came from, if traceable in the same function. */
  resultOf?: { task?: string; kind: CallKind; span: Span };
  argsSpan?: Span;
  /** `typescript` for a call in a Node.js producer (celery-node, celery-ts); absent for Python. */
  language?: 'typescript';
  /** For Node.js producer calls: the library, the client and what the message carries. */
  producer?: ProducerCall;
}

export type ProducerLibraryName = 'celery-node' | 'celery-ts';

/** What a Node.js producer call sends (sends) or reads (result reads). */
export interface ProducerCall {
  library: ProducerLibraryName;
  /** `id` of the ProducerClient the call goes through, when it could be traced. */
  client?: string;
  /** The serializer an option sets (`json`, `yaml`); absent when no option sets it (the library default, json) or it is not literal. */
  serializer?: string;
  /** The option that set the serializer, if any. */
  serializerSpan?: Span;
  /** celery-ts `applyAsync({ignoreResult: true})`: the producer does not wait for a result. */
  ignoreResult?: boolean;
  /** The task-name string literal (without quotes), for sends. */
  nameSpan?: Span;
}

/**
 * A Node.js Celery client: `createClient(...)` of celery-node (`broker`, `backend`, `queue` positional) or of
 * celery-ts (`{brokerUrl, resultBackend}`), or celery-ts's `new Client(...)`.
 */
export interface ProducerClient {
  /** Stable id: `file:line:column` of the creating call. */
  id: string;
  library: ProducerLibraryName;
  file: string;
  span: Span;
  /** The variable the client is bound to, if any. */
  variable?: string;
  /** Broker URL as passed (`process.env.X ?? 'redis://…'` is an `env` value); absent: the library default. */
  broker?: Value;
  /** Result backend URL as passed; absent: the library default (celery-node) or none (celery-ts). */
  backend?: Value;
  /** The message protocol `client.conf.TASK_PROTOCOL = n` sets; absent when unset (the library default, 2) or not literal (then `protocolSpan` is set). */
  protocol?: number;
  /** The `TASK_PROTOCOL` assignment, if any. */
  protocolSpan?: Span;
}

export type DeploySource =
  | 'procfile'
  | 'compose'
  | 'kubernetes'
  | 'helm'
  | 'supervisor'
  | 'systemd'
  | 'shell'
  | 'dockerfile'
  | 'dotenv';

export interface CliOption {
  /** As written: `-P`, `--pool`, `--pool=gevent`'s name `--pool`. */
  name: string;
  value?: string;
  span: Span;
  /** Where it stands relative to the subcommand. */
  position: 'global' | 'subcommand';
}

export interface CeleryCommand {
  source: DeploySource;
  file: string;
  span: Span;
  /** The full command text as written (with secrets masked when printed). */
  raw: string;
  /** `celery`, `celeryd`, `celerybeat`, `manage.py celery`, `python -m celery`, ... */
  program: string;
  subcommand?: string;
  /** The sub-command word as written (absent when the program implies it, as `celeryd` does). */
  subcommandSpan?: Span;
  app?: string;
  pool?: string;
  concurrency?: number;
  options: CliOption[];
  /** True when global options such as -A/--app stand after the subcommand (Celery < 5 style). */
  globalOptionsAfterSubcommand: boolean;
  /** Process/service name where the file gives one (Procfile process type, compose service, program name). */
  processName?: string;
}

/**
 * How a web server runs requests: `gevent`/`eventlet` (greenlets: gunicorn's gevent/eventlet workers and subclasses
 * such as GeventWebSocketWorker, uWSGI's `gevent` loop), `sync`, `gthread`, `tornado`, `asyncio` (uvicorn, aiohttp and
 * gunicorn's own ASGI workers), `custom` (another worker class), `unknown` (not literal: `-k $WORKER_CLASS`).
 */
export type WebServerPool = 'gevent' | 'eventlet' | 'sync' | 'gthread' | 'tornado' | 'asyncio' | 'custom' | 'unknown';

/**
 * A web server invocation or configuration: a gunicorn/uWSGI command in a deploy file, a gunicorn config file's
 * `worker_class`, a uWSGI ini's `gevent`, or `GUNICORN_CMD_ARGS`. Each entry says only what its own text sets.
 */
export interface WebServer {
  server: 'gunicorn' | 'uwsgi';
  /** Where it was found: a deploy file's command, a config file (gunicorn `*.py`, uWSGI `.ini`), an environment variable. */
  origin: 'command' | 'config' | 'env';
  /** The deploy file kind for commands and env vars. */
  source?: DeploySource;
  file: string;
  /** The worker class this entry sets; absent when it sets none (then a config file, GUNICORN_CMD_ARGS or the default decides). */
  pool?: WebServerPool;
  /** The worker class as written (`gevent`, `uvicorn.workers.UvicornWorker`; uWSGI: `gevent`). */
  workerClass?: string;
  /** The option or setting that sets the worker class; for a command without one, the command. */
  span: Span;
  /** The whole command (commands only). */
  commandSpan?: Span;
  /** gunicorn `-c/--config` or uWSGI `--ini` as written (commands only). */
  config?: string;
  /** uWSGI: `gevent-monkey-patch` (or the early variant) is set here, so gevent patches the app's sockets. */
  monkeyPatch?: boolean;
  /** Process/service name where the file gives one (Procfile process type, compose service, program name). */
  processName?: string;
}

export interface EnvVar {
  name: string;
  value: Value;
  file: string;
  span: Span;
  valueSpan: Span;
  source: DeploySource;
}

export interface RedisServerConf {
  file: string;
  /** Seconds after which the server closes idle clients; 0 disables. */
  timeout?: { value: number; span: Span };
  tcpKeepalive?: { value: number; span: Span };
}

export interface RabbitmqServerConf {
  file: string;
  /** `consumer_timeout` in milliseconds: how long RabbitMQ lets a delivery stay unacknowledged. */
  consumerTimeout?: { value: number; span: Span };
}

export interface VersionPin {
  /** Normalised (PEP 503) package name: `celery`, `django-celery`, `redis`. */
  package: string;
  /** Version specifier as written (`==4.2.1`, `>=5.3,<6`, `^5.3`), empty when unconstrained. */
  spec: string;
  /** The exact version when pinned (== or a lock file entry). */
  exact?: string;
  file: string;
  span: Span;
  /** Just the version text of an exact `==` pin (requirements files), for fixes that bump it in place. */
  versionSpan?: Span;
  source: 'requirements' | 'pyproject' | 'poetry' | 'setup.cfg' | 'setup.py' | 'pipfile' | 'pipfile.lock' | 'poetry.lock' | 'uv.lock' | 'package.json';
}

/** A function connected to a Celery signal: `@worker_process_init.connect` or `worker_process_init.connect(fn)`. */
export interface SignalHandler {
  /** The signal's name in celery.signals (`worker_process_init`, `task_prerun`). */
  signal: string;
  /** The handler function's name as written (`close_db`, `handlers.close_db`). */
  function: string;
  file: string;
  /** The decorator or the `.connect(...)` call. */
  span: Span;
}

/**
 * The project's own read of a setting name: it uses the name for its own purposes (`CELERY_BEAT_NAME_BY_TASK`), so
 * the name need not be one Celery knows. Only upper-case names with a Celery prefix (`CELERY_`, `CELERYD_`,
 * `CELERYBEAT_`, `CELERYMON_`, `BROKER_`) are recorded.
 */
export interface SettingRead {
  name: string;
  file: string;
  /** The name token: the attribute, the string's text without its quotes, or the identifier. */
  span: Span;
  /**
   * `attribute`: `settings.NAME`; `getattr`/`hasattr`: `getattr(settings, 'NAME'[, default])`, `hasattr(settings, 'NAME')`
   * (`settings` being django.conf.settings however imported); `name`: a bare `NAME` read in a module that binds it at
   * module level (assigned, imported, or possibly star-imported), other than where it is bound.
   */
  via: 'attribute' | 'getattr' | 'hasattr' | 'name';
}

export interface ProjectModel {
  root: string;
  files: { path: string; kind: string }[];
  apps: CeleryApp[];
  configModules: ConfigModule[];
  tasks: TaskDef[];
  callSites: CallSite[];
  commands: CeleryCommand[];
  envVars: EnvVar[];
  redisConfs: RedisServerConf[];
  /** gunicorn/uWSGI commands and configuration: how the web process runs requests (absent when none). */
  webServers?: WebServer[];
  /** rabbitmq.conf files of the repository (absent from models built before this source existed). */
  rabbitmqConfs?: RabbitmqServerConf[];
  versions: VersionPin[];
  /** Python imports of interest (legacy celery modules, djcelery), for removed-API rules. */
  imports: ImportFact[];
  /** Node.js producer clients (celery-node, celery-ts); their calls are in `callSites` with `language: 'typescript'`. */
  producers: ProducerClient[];
  /** Functions connected to Celery signals (celery.signals), from Python code. */
  signalHandlers: SignalHandler[];
  /** Where Python code reads Celery-looking setting names itself (`settings.CELERY_X`, `getattr(settings, 'CELERY_X')`). */
  settingReads: SettingRead[];
  problems: ParseProblem[];
}

export interface ImportFact {
  file: string;
  span: Span;
  /** `celery.task`, `djcelery`, `celery.decorators`. */
  module: string;
  /** Imported names (`task`, `periodic_task`); empty for `import x`. */
  names: { name: string; alias?: string; span: Span }[];
  /** `from x import y` vs `import x`. */
  style: 'from' | 'import';
}
