import type { CeleryApp, ConfigSourceRef, SettingFact, SettingOrigin, Value } from '../../model/types.js';
import { callArguments, descendants, dottedName, namedChildren, nodeSpan, type Node, type PyFile } from '../../parse/python.js';
import { evaluate, stringValue, knownString, type Scope } from '../../parse/pyvalue.js';
import { absoluteModule, fromImports, moduleScope } from './module-scope.js';

const CELERY_CONSTRUCTORS = new Set(['Celery', 'celery.Celery', 'celery.app.Celery', 'celery.app.base.Celery']);

/** Celery() keyword arguments that set a configuration key, with the key Celery stores them under. */
const CONSTRUCTOR_SETTINGS: Record<string, string> = { broker: 'broker_url', backend: 'result_backend', include: 'include' };
/**
 * The named parameters of Celery.__init__ (celery/app/base.py, 4.0-5.6). Any other keyword lands in **kwargs, which
 * Celery stores as a setting of that name (from 5.1; which releases read it is the engine's business).
 */
const CONSTRUCTOR_PARAMETERS = new Set([
  'main', 'loader', 'backend', 'amqp', 'events', 'log', 'control', 'set_as_current', 'tasks', 'broker', 'include',
  'changes', 'config_source', 'fixups', 'task_cls', 'autofinalize', 'namespace', 'strict_typing',
]);

export interface AppsInFile {
  apps: CeleryApp[];
  /**
   * Classes defined here that derive from Celery, as `module.Class`: another file may create an app from one. `plain`:
   * the body is only a docstring or `pass`, so it configures nothing.
   */
  subclasses?: { name: string; plain: boolean }[];
  /**
   * `x = Name(...)` where Name is imported from another module of the project: an app if Name turns out to be a
   * Celery subclass defined there (indico: `IndicoCelery` in one module, `celery = IndicoCelery('indico')` in another).
   */
  candidates?: { constructor: string; app: CeleryApp }[];
  /** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")`, for resolving django.conf:settings. */
  djangoSettingsModule?: string;
  /** Set by `os.environ["DJANGO_SETTINGS_MODULE"] = ...`, which wins over the environment a deploy gives. */
  djangoSettingsForced?: boolean;
  /**
   * Configuration given here to an app imported from another module (`from proj.extensions import celery_app` then
   * `celery_app.config_from_object(...)`, Superset's and Flask factories' way): `target` is the app's `module.variable`.
   */
  foreign?: { target: string; configSources: ConfigSourceRef[]; directSettings: SettingFact[]; namespace?: string }[];
}

/** Finds Celery apps in one Python file: the constructor call, conf mutations, config sources, autodiscovery. */
export function collectApps(py: PyFile, module: string): AppsInFile {
  const scope = moduleScope(py);
  const apps = new Map<string, CeleryApp>();
  const root = py.tree.rootNode;

  const local = celerySubclasses(root);
  const constructors = new Set([...CELERY_CONSTRUCTORS, ...local.map((c) => c.name)]);
  const configuring = new Set(local.filter((c) => !c.plain).map((c) => c.name));
  const imported = importedNames(py, module);
  const candidates = new Map<string, string>();
  // `app = make_celery('x')` / `app = import_string(cls)('x')`: an object configured with config_from_object is an app
  const configured = new Set<string>();
  for (const call of descendants(root, 'call')) {
    const callee = appRef(call.childForFieldName('function'));
    if (callee?.endsWith('.config_from_object')) configured.add(callee.slice(0, -'.config_from_object'.length));
  }
  for (const assign of descendants(root, 'assignment')) {
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (!left || !right || right.type !== 'call') continue;
    const variable = appRef(left);
    if (!variable) continue;
    const callee = dottedName(right.childForFieldName('function'));
    const from = callee ? imported.get(callee) : undefined;
    // a class (capitalised) from a module of the project, not Celery's own
    const maybeSubclass = from !== undefined && /^[A-Z]/.test(from.slice(from.lastIndexOf('.') + 1)) && !/^celery(\.|$)/.test(from);
    if (maybeSubclass && !(callee && constructors.has(callee)) && !configured.has(variable)) candidates.set(variable, from);
    else if (!(callee && constructors.has(callee)) && !configured.has(variable)) continue;
    const app = constructApp(py, module, variable, right, scope);
    if (callee && configuring.has(callee)) app.configSources.push(subclassRef(py, callee, right));
    apps.set(variable, app);
  }

  // an app made elsewhere and configured here: collected on a stand-in, handed over when the sources are linked
  const foreign = new Map<string, string>();
  for (const call of descendants(root, 'call')) {
    const callee = appRef(call.childForFieldName('function'));
    const receiver = callee && /^(.+?)(?:\.config_from_object|\.config_from_envvar|\.conf\.update)$/.exec(callee)?.[1];
    const target = receiver && !apps.has(receiver) ? importedTarget(receiver, imported) : undefined;
    if (!receiver || !target || foreign.has(receiver)) continue;
    foreign.set(receiver, target);
    apps.set(receiver, { id: `${py.file}:${receiver}`, file: py.file, module, variable: receiver, span: nodeSpan(py, call), configSources: [], directSettings: [], autodiscover: [] });
  }

  let djangoSettingsModule: string | undefined;
  let djangoSettingsForced = false;
  for (const call of descendants(root, 'call')) {
    const fn = call.childForFieldName('function');
    const callee = appRef(fn);
    if (!callee) continue;
    if (callee === 'os.environ.setdefault' || callee === 'environ.setdefault') {
      const { positional } = callArguments(call);
      if (positional[0] && stringValue(positional[0]) === 'DJANGO_SETTINGS_MODULE' && positional[1]) {
        djangoSettingsModule = stringValue(positional[1]) ?? djangoSettingsModule;
      }
      continue;
    }
    const dot = callee.lastIndexOf('.');
    if (dot < 0) continue;
    const receiver = callee.slice(0, dot);
    const method = callee.slice(dot + 1);
    if (method === 'update' && receiver.endsWith('.conf')) {
      const app = apps.get(receiver.slice(0, -'.conf'.length));
      if (app) {
        app.directSettings.push(...confUpdate(py, call, scope, app.namespace));
        const opaque = opaqueUpdate(py, call, scope);
        if (opaque) app.configSources.push(opaque);
      }
    } else if (method === 'config_from_object' || method === 'config_from_envvar') {
      const app = apps.get(receiver);
      if (app) addConfigSource(py, app, call, method, scope);
    } else if (method === 'autodiscover_tasks') {
      const app = apps.get(receiver);
      if (app) {
        const { positional, keywords } = callArguments(call);
        const pkgs = keywords.find((k) => k.name === 'packages')?.value ?? positional[0];
        app.autodiscover.push({ packages: pkgs ? evaluate(py, pkgs, scope) : undefined, span: nodeSpan(py, call) });
      }
    }
  }

  // app.conf.x = v and app.conf["x"] = v, in source order with the update() calls
  for (const assign of descendants(root, 'assignment')) {
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (!left || !right) continue;
    const fact = confAssignment(py, assign, left, right, scope, apps);
    if (fact) fact.app.directSettings.push(fact.setting);
    // os.environ["DJANGO_SETTINGS_MODULE"] = "x" wins over any setdefault (kpi's kobo/celery.py)
    if (left.type === 'subscript' && /^(os\.)?environ$/.test(dottedName(left.childForFieldName('value')) ?? '')) {
      const key = left.childForFieldName('subscript');
      const forced = key && stringValue(key) === 'DJANGO_SETTINGS_MODULE' ? stringValue(right) : undefined;
      if (forced) {
        djangoSettingsModule = forced;
        djangoSettingsForced = true;
      }
    }
    // app.Task = CustomTask: every task of the app derives from it
    if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'Task') {
      const app = apps.get(appRef(left.childForFieldName('object')) ?? '');
      if (app) app.taskClass = nodeSpan(py, assign);
    }
  }
  for (const app of apps.values()) app.directSettings.sort((a, b) => a.span.start.offset - b.span.start.offset);

  const out: AppsInFile = { apps: [...apps.values()].filter((a) => !candidates.has(a.variable) && !foreign.has(a.variable)), djangoSettingsModule };
  if (djangoSettingsForced) out.djangoSettingsForced = true;
  if (foreign.size) {
    out.foreign = [...foreign].map(([receiver, target]) => {
      const { configSources, directSettings, namespace } = apps.get(receiver)!;
      return { target, configSources, directSettings, ...(namespace ? { namespace } : {}) };
    });
  }
  if (local.length) out.subclasses = local.map((c) => ({ name: `${module}.${c.name}`, plain: c.plain }));
  if (candidates.size) out.candidates = [...candidates].map(([variable, constructor]) => ({ constructor, app: apps.get(variable)! }));
  return out;
}

/** `from pkg.mod import Name [as Alias]` at module level: the local name → `pkg.mod.Name` (relative imports resolved). */
function importedNames(py: PyFile, module: string): Map<string, string> {
  const isPackage = py.file.endsWith('__init__.py');
  return new Map(fromImports(py).map((i) => [i.bound, `${absoluteModule(i.module, module, isPackage)}.${i.name}`]));
}

/** `celery_app` imported with `from proj.extensions import celery_app`, or `extensions.celery_app` with `from proj import extensions`. */
function importedTarget(receiver: string, imported: Map<string, string>): string | undefined {
  const direct = imported.get(receiver);
  if (direct) return direct;
  const dot = receiver.indexOf('.');
  const head = dot > 0 ? imported.get(receiver.slice(0, dot)) : undefined;
  return head && !receiver.includes('[') ? `${head}${receiver.slice(dot)}` : undefined;
}

/**
 * Where an app is kept: a dotted name, or one with string subscripts, as Pyramid's `config.registry["celery.app"]`
 * (warehouse) and Flask's `app.extensions["celery"]` keep it. Other subscripts (an index, a variable) name nothing.
 */
function appRef(node: Node | null | undefined): string | undefined {
  if (node?.type === 'subscript') {
    const base = appRef(node.childForFieldName('value'));
    const subs = node.childrenForFieldName('subscript').filter((c): c is Node => c !== null);
    const key = subs.length === 1 ? stringValue(subs[0]!) : undefined;
    return base !== undefined && key !== undefined ? `${base}[${JSON.stringify(key)}]` : undefined;
  }
  if (node?.type === 'attribute') {
    const obj = appRef(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    return obj !== undefined && attr ? `${obj}.${attr.text}` : undefined;
  }
  return dottedName(node);
}

/**
 * Classes defined in this file that derive from Celery (`class MayanCelery(Celery)`): calling one makes an app. A body
 * with more than a docstring or `pass` may configure the app in its methods.
 */
function celerySubclasses(root: Node): { name: string; plain: boolean }[] {
  const out: { name: string; plain: boolean }[] = [];
  for (const cls of descendants(root, 'class_definition')) {
    const bases = cls.childForFieldName('superclasses');
    const name = cls.childForFieldName('name')?.text;
    if (!name || !bases || !namedChildren(bases).some((b) => CELERY_CONSTRUCTORS.has(dottedName(b) ?? ''))) continue;
    const body = cls.childForFieldName('body');
    const plain = !body || namedChildren(body).every((s) => s.type === 'pass_statement' || s.type === 'comment' || (s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'string'));
    out.push({ name, plain });
  }
  return out;
}

/** The app is an instance of a project Celery subclass whose methods may set its configuration. */
function subclassRef(py: PyFile, className: string, call: Node): ConfigSourceRef {
  return configRef(py, 'subclass', { kind: 'unknown', text: className }, undefined, call.childForFieldName('function') ?? call);
}

function constructApp(py: PyFile, module: string, variable: string, call: Node, scope: Scope): CeleryApp {
  const { positional, keywords, splats } = callArguments(call);
  const app: CeleryApp = {
    id: `${py.file}:${variable}`,
    file: py.file,
    module,
    variable,
    span: nodeSpan(py, call),
    configSources: [],
    directSettings: [],
    autodiscover: [],
  };
  const mainNode = keywords.find((k) => k.name === 'main')?.value ?? positional[0];
  if (mainNode) app.main = evaluate(py, mainNode, scope);
  const ns = keywords.find((k) => k.name === 'namespace');
  if (ns) app.namespace = knownString(evaluate(py, ns.value, scope));
  const taskCls = keywords.find((k) => k.name === 'task_cls');
  if (taskCls) app.taskClass = nodeSpan(py, taskCls.value);
  for (const kw of keywords) {
    const key = CONSTRUCTOR_SETTINGS[kw.name];
    if (kw.name === 'config_source') {
      app.configSources.push(configRef(py, 'config_source_arg', evaluate(py, kw.value, scope), undefined, kw.node));
      continue;
    }
    if (!key && CONSTRUCTOR_PARAMETERS.has(kw.name)) continue;
    const fact = settingFact(py, kw.name, key ?? kw.name, evaluate(py, kw.value, scope), 'celery-arg', kw.node, kw.nameNode, kw.value, 'identifier');
    app.directSettings.push(fact);
    if (kw.name === 'broker') app.broker = fact;
    if (kw.name === 'backend') app.backend = fact;
    if (kw.name === 'include') app.include = fact.value;
  }
  // Celery('x', **settings): keys not in the code, so no setting can be said to be missing
  const splat = splats.find((n) => n.type === 'dictionary_splat');
  if (splat) app.configSources.push(configRef(py, 'conf_update', evaluate(py, namedChildren(splat)[0] ?? splat, scope), undefined, splat));
  return app;
}

function addConfigSource(py: PyFile, app: CeleryApp, call: Node, method: string, scope: Scope): void {
  const { positional, keywords } = callArguments(call);
  const target = positional[0] ?? keywords.find((k) => k.name === 'obj' || k.name === 'variable_name')?.value;
  const nsNode = keywords.find((k) => k.name === 'namespace')?.value;
  const namespace = nsNode ? knownString(evaluate(py, nsNode, scope)) : undefined;
  let value: Value = target ? evaluate(py, target, scope) : { kind: 'unknown', text: '' };
  // config_from_object(celeryconfig) with an imported module object: keep its dotted name
  if (target && value.kind === 'unknown') {
    const dotted = dottedName(target);
    if (dotted) value = { kind: 'unknown', text: dotted, span: nodeSpan(py, target) };
  }
  const kind = method === 'config_from_envvar' ? 'config_from_envvar' : 'config_from_object';
  app.configSources.push(configRef(py, kind, value, namespace, call));
  // config_from_object({...}): Celery reads a mapping as the configuration itself (flower's docs/tasks.py)
  if (kind === 'config_from_object' && target?.type === 'dictionary') app.directSettings.push(...dictSettings(py, target, scope, namespace));
  if (namespace !== undefined) app.namespace = namespace;
}

function configRef(py: PyFile, kind: ConfigSourceRef['kind'], target: Value, namespace: string | undefined, node: Node): ConfigSourceRef {
  const ref: ConfigSourceRef = { kind, target, span: nodeSpan(py, node) };
  if (namespace !== undefined) ref.namespace = namespace;
  return ref;
}

function confUpdate(py: PyFile, call: Node, scope: Scope, namespace: string | undefined): SettingFact[] {
  void namespace; // conf.update() keys are never namespaced: they are the real keys
  const out: SettingFact[] = [];
  const { positional, keywords } = callArguments(call);
  for (const kw of keywords) {
    out.push(settingFact(py, kw.name, kw.name, evaluate(py, kw.value, scope), 'conf-update', kw.node, kw.nameNode, kw.value, 'identifier'));
  }
  const dict = positional[0];
  const dictNode = dict?.type === 'dictionary' ? dict : undefined;
  const splat = namedChildren(call.childForFieldName('arguments')!).find((c) => c.type === 'dictionary_splat');
  const splatDict = splat ? namedChildren(splat).find((c) => c.type === 'dictionary') : undefined;
  for (const d of [dictNode, splatDict]) {
    if (d) out.push(...dictSettings(py, d, scope, undefined));
  }
  return out;
}

/**
 * `conf.update(flask_app.config)` / `conf.update(**settings)`: a mapping whose keys are not in the code. Recorded as a
 * config source that cannot be read, so that no rule claims a setting is missing from this app.
 */
function opaqueUpdate(py: PyFile, call: Node, scope: Scope): ConfigSourceRef | undefined {
  const { positional } = callArguments(call);
  const args = call.childForFieldName('arguments');
  const splats = args ? namedChildren(args).filter((c) => c.type === 'dictionary_splat') : [];
  const mapping = [positional[0], ...splats.map((s) => namedChildren(s)[0])].find((n) => n && n.type !== 'dictionary');
  return mapping ? configRef(py, 'conf_update', evaluate(py, mapping, scope), undefined, call) : undefined;
}

/** The string-keyed entries of a dict literal as settings; with a namespace, `CELERY_X` is read as key `x`. */
function dictSettings(py: PyFile, dict: Node, scope: Scope, namespace: string | undefined): SettingFact[] {
  const out: SettingFact[] = [];
  for (const pair of namedChildren(dict)) {
    if (pair.type !== 'pair') continue;
    const k = pair.childForFieldName('key');
    const v = pair.childForFieldName('value');
    const name = k ? stringValue(k) : undefined;
    if (!k || !v || name === undefined) continue;
    const key = namespace && name.startsWith(`${namespace}_`) ? name.slice(namespace.length + 1).toLowerCase() : name;
    out.push(settingFact(py, name, key, evaluate(py, v, scope), 'conf-update', pair, stringContentNode(k), v, 'string'));
  }
  return out;
}

function confAssignment(
  py: PyFile, assign: Node, left: Node, right: Node, scope: Scope, apps: Map<string, CeleryApp>,
): { app: CeleryApp; setting: SettingFact } | undefined {
  const statement = assign.parent?.type === 'expression_statement' ? assign.parent : assign;
  if (left.type === 'attribute') {
    const obj = appRef(left.childForFieldName('object'));
    const attr = left.childForFieldName('attribute');
    if (!obj?.endsWith('.conf') || !attr) return undefined;
    const app = apps.get(obj.slice(0, -'.conf'.length));
    if (!app) return undefined;
    return { app, setting: settingFact(py, attr.text, attr.text, evaluate(py, right, scope), 'conf-attr', statement, attr, right, 'identifier') };
  }
  if (left.type === 'subscript') {
    const obj = appRef(left.childForFieldName('value'));
    const sub = left.childForFieldName('subscript');
    if (!obj?.endsWith('.conf') || !sub) return undefined;
    const app = apps.get(obj.slice(0, -'.conf'.length));
    const name = stringValue(sub);
    if (!app || name === undefined) return undefined;
    return { app, setting: settingFact(py, name, name, evaluate(py, right, scope), 'conf-item', statement, stringContentNode(sub), right, 'string') };
  }
  return undefined;
}

/** For a string node, the node covering just its content (so a rename keeps the quotes). */
export function stringContentNode(node: Node): Node {
  return node.children.find((c) => c?.type === 'string_content') ?? node;
}

export function settingFact(
  py: PyFile, name: string, key: string, value: Value, origin: SettingOrigin, whole: Node, nameNode: Node, valueNode: Node,
  nameStyle: SettingFact['nameStyle'],
): SettingFact {
  return {
    name,
    key,
    value,
    origin,
    span: nodeSpan(py, whole),
    nameSpan: nodeSpan(py, nameNode),
    valueSpan: nodeSpan(py, valueNode),
    nameStyle,
  };
}
