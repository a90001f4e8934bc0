import { compareVersions, knowledge, type Knowledge, type RemovedAttribute, type RemovedDoc } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix, type RuleContext } from '../../src/engine/types.js';
import type { ImportFact, ProjectModel } from '../../src/model/types.js';
import { short } from '../serializers/content.js';

type RemovedModule = RemovedDoc['modules'][number];
type RemovedPackage = RemovedDoc['packages'][number];

export default createRule({
  meta: {
    code: 'CEL601',
    name: 'removed-import',
    summary: 'An import of a Celery module removed at the judged release, or of django-celery (djcelery).',
    why:
      'Celery removed its 2.x/3.x compatibility modules: celery.task.http, celery.task.sets, ' +
      'celery.contrib.batches, celery.datastructures, celery.utils.timeutils and others in 4.0; celery.task (the old ' +
      '`task`, `periodic_task`, `Task`, `PeriodicTask`) and celery.five in 5.0; celery.decorators (a compatibility ' +
      'module the celery package built from 3.0 to 5.1) in 5.2, though its periodic_task already fails on 5.0-5.1 ' +
      '(it imports periodic_task from the removed celery.task when applied). Up to 4.x the celery package also exposed the ' +
      'celery.task module as `celery.task`, callable as the legacy decorator, so `from celery import task` and ' +
      '`import celery` + `@celery.task` are the same removed API. Importing one raises ImportError (reaching ' +
      '`celery.task` raises ModuleNotFoundError on 5.0-5.1, AttributeError from 5.2), so ' +
      'the module that imports it - often a tasks module the worker imports at start - fails to load. django-celery ' +
      '(djcelery) is the Celery 3.1 Django integration; its last release requires celery<4.0, and Celery 4.0+ ' +
      'integrates with Django itself (results and beat schedules move to django-celery-results and ' +
      'django-celery-beat). In migrate-check the finding sits on the step where the module disappears. The fix ' +
      'rewrites `from celery.task import task` and `from celery import task` to `from celery import shared_task` ' +
      'together with every `@task` decorator of the file, and `@celery.task` to `@celery.shared_task`. It is ' +
      'unsafe: the legacy decorator gives the task the old compatibility base class ' +
      '(celery.task.Task, with helpers such as get_logger) where shared_task uses the app\'s Task, and a use of the ' +
      'name `task` other than as a decorator is not renamed. periodic_task and the other names have no mechanical ' +
      'replacement.',
    example: 'from celery.task import task\n\n@task\ndef add(x, y):\n    return x + y',
    useInstead: 'from celery import shared_task\n\n@shared_task\ndef add(x, y):\n    return x + y',
    fixSafety: 'sometimes',
    versions: { description: 'Most compatibility modules and djcelery: 4.0; celery.task (also as `from celery import task` / `celery.task`) and celery.five: 5.0; celery.decorators: 5.2.' },
    references: [
      'https://docs.celeryq.dev/en/stable/history/whatsnew-4.0.html',
      'https://docs.celeryq.dev/en/stable/history/whatsnew-5.0.html',
      'https://github.com/celery/celery/blob/v4.4.7/celery/task/__init__.py',
      'https://github.com/celery/celery/blob/v4.4.7/celery/__init__.py',
      'https://github.com/celery/celery/blob/v5.1.2/celery/local.py',
      'https://pypi.org/project/django-celery/',
    ],
    defaultSeverity: 'error',
  },
  check(model, ctx) {
    const target = ctx.versions.target;
    if (!target) return;
    const k = knowledge();
    for (const imp of model.imports) {
      const pkg = packageOf(k, imp.module);
      if (pkg?.unsupportedFrom && compareVersions(target, pkg.unsupportedFrom) >= 0) {
        ctx.report({
          message:
            `${describe(imp)} imports ${pkg.package} (${pkg.import}), which does not work with Celery ${short(pkg.unsupportedFrom)}+ ` +
            `(Celery ${short(target)} is judged): ${pkg.note}`,
          span: imp.span,
          since: pkg.unsupportedFrom,
        });
        continue;
      }
      const found = removedIn(k, imp);
      if (!found || compareVersions(target, found.mod.removed) < 0 || hasFallback(k, model, imp)) continue;
      const { mod, via } = found;
      const attr = via ? k.removedAttribute(`${imp.module}.${via}`) : undefined;
      ctx.report({
        message:
          `${describe(imp)}: ${mod.module}` +
          (attr ? ` (what the ${imp.module} package exposed as \`${via}\`, the legacy task decorator before Celery ${short(mod.removed)})` : '') +
          ` was removed in Celery ${short(mod.removed)}, so on Celery ${short(target)} this import raises ` +
          `${(attr && failureAt(attr.attribute, target)?.import) ?? 'ImportError'} and the module importing it fails to load.` +
          (mod.replacement ? ` Use ${mod.replacement} instead.` : '') +
          (mod.note ? ` ${mod.note}` : ''),
        span: imp.span,
        since: mod.removed,
        fix: sharedTaskFix(model, imp),
      });
    }
    reportAttributeDecorators(model, ctx, k, target);
    reportBrokenNames(model, ctx, k, target);
  },
});

/**
 * A name a compatibility module still exports but that fails once applied: `@periodic_task` from celery.decorators
 * on 5.0-5.1 imports, then raises when the decorator runs, at the import of the module defining the task.
 */
function reportBrokenNames(model: ProjectModel, ctx: RuleContext, k: Knowledge, target: string): void {
  for (const t of model.tasks) {
    const legacy = t.legacyDecorator;
    if (!legacy) continue;
    const dot = legacy.resolved.lastIndexOf('.');
    const [module, name] = [legacy.resolved.slice(0, dot), legacy.resolved.slice(dot + 1)];
    const mod = k.removed.modules.find((m) => m.module === module);
    const broken = mod?.brokenNames?.find((b) => b.name === name && compareVersions(target, b.since) >= 0 && compareVersions(target, b.until) < 0);
    if (!mod || !broken) continue;
    ctx.report({
      message:
        `\`@${legacy.written}\` (${mod.module}.${name}): on Celery ${short(target)} the import still works, but ${broken.why}, ` +
        `so applying the decorator raises ${broken.failure} and the module defining ${t.name} fails to load. Instead, ${broken.replacement}.`,
      span: legacy.span,
      since: broken.since,
    });
  }
}

/**
 * `import celery` + `@celery.task`: no import names the removed module, the decorator reaches it as an attribute of
 * the package. A file that also has `from celery import task` is reported on that import already.
 */
function reportAttributeDecorators(model: ProjectModel, ctx: RuleContext, k: Knowledge, target: string): void {
  for (const t of model.tasks) {
    const legacy = t.legacyDecorator;
    if (!legacy?.written.includes('.')) continue;
    const found = k.removedAttribute(legacy.resolved);
    if (!found || compareVersions(target, found.module.removed) < 0) continue;
    if (model.imports.some((i) => i.file === t.file && removedIn(k, i)?.mod === found.module)) continue;
    const head = legacy.written.slice(0, legacy.written.lastIndexOf('.'));
    const dot = found.attribute.name.lastIndexOf('.');
    const [parent, name] = [found.attribute.name.slice(0, dot), found.attribute.name.slice(dot + 1)];
    const removed = short(found.module.removed);
    const failure = failureAt(found.attribute, target);
    ctx.report({
      message:
        `\`@${legacy.written}\`: ${found.module.module} (what the ${parent} package exposed as \`${name}\`, the legacy task ` +
        `decorator before Celery ${removed}) was removed in Celery ${removed}, so on Celery ${short(target)} this decorator ` +
        `raises ${failure?.attribute ?? 'an error'} and the module defining the task fails to load.` +
        (found.module.replacement ? ` Use ${found.module.replacement} instead.` : ''),
      span: legacy.span,
      since: found.module.removed,
      fix: {
        applicability: 'unsafe',
        message: `Decorate the task with @${head}.shared_task`,
        edits: [{ file: t.file, start: legacy.span.start.offset, end: legacy.span.end.offset, content: `${head}.shared_task` }],
      },
    });
  }
}

/** The removed module an import names: the module itself, or for `from celery import task` the submodule celery.task. */
function removedIn(k: Knowledge, imp: ImportFact): { mod: RemovedModule; via?: string } | undefined {
  const mod = k.removedModule(imp.module);
  if (mod) return { mod };
  if (imp.style !== 'from') return undefined;
  for (const n of imp.names) {
    const sub = k.removedModule(`${imp.module}.${n.name}`);
    if (sub) return { mod: sub, via: n.name };
  }
  return undefined;
}

function failureAt(attr: RemovedAttribute, version: string): RemovedAttribute['failure'][number] | undefined {
  return attr.failure.find((f) => compareVersions(version, f.since) >= 0 && (!f.until || compareVersions(version, f.until) < 0));
}

/**
 * `try: from celery.task import task / except ImportError: from celery import shared_task as task`: the same local
 * name is also imported, from something that is not removed, so the code already copes with the removal.
 */
function hasFallback(k: Knowledge, model: ProjectModel, imp: ImportFact): boolean {
  const local = new Set(imp.names.map((n) => n.alias ?? n.name));
  return model.imports.some(
    (i) =>
      i !== imp &&
      i.file === imp.file &&
      i.module === 'celery' &&
      i.names.some((n) => local.has(n.alias ?? n.name) && !k.removedModule(`celery.${n.name}`)),
  );
}

function packageOf(k: Knowledge, module: string): RemovedPackage | undefined {
  return k.removed.packages.find((p) => module === p.import || module.startsWith(`${p.import}.`));
}

function describe(imp: ImportFact): string {
  if (imp.style === 'import') return `\`import ${imp.module}\``;
  return `\`from ${imp.module} import ${imp.names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)).join(', ')}\``;
}

/**
 * `from celery.task import task` (the only celery.task import of its file) → `from celery import shared_task`, and
 * `from celery import task` → `from celery import shared_task` (only that name is rewritten), with every `@task`
 * decorator of the file renamed in the same fix. No fix when the name is aliased, when the file already binds
 * `shared_task`, or when `task` is used as a module (`@task.periodic_task`): those uses would break.
 */
function sharedTaskFix(model: ProjectModel, imp: ImportFact): Fix | undefined {
  if (imp.style !== 'from') return undefined;
  const edits: Edit[] = [];
  if (imp.module === 'celery.task') {
    const only = imp.names[0];
    if (imp.names.length !== 1 || only?.name !== 'task' || only.alias) return undefined;
    if (model.imports.filter((i) => i.file === imp.file && isCeleryTask(i.module)).length !== 1) return undefined;
    edits.push({ file: imp.file, start: imp.span.start.offset, end: imp.span.end.offset, content: 'from celery import shared_task' });
  } else if (imp.module === 'celery') {
    const name = imp.names.find((n) => n.name === 'task');
    if (!name || name.alias) return undefined;
    edits.push({ file: imp.file, start: name.span.start.offset, end: name.span.end.offset, content: 'shared_task' });
  } else {
    return undefined;
  }
  const binds = model.imports.some((i) => i.file === imp.file && i.names.some((n) => (n.alias ?? n.name) === 'shared_task'));
  if (binds) return undefined;
  for (const t of model.tasks) {
    const legacy = t.legacyDecorator;
    if (t.file !== imp.file || !legacy) continue;
    if (legacy.written.startsWith('task.')) return undefined;
    if (legacy.written !== 'task') continue;
    edits.push({ file: imp.file, start: legacy.span.start.offset, end: legacy.span.end.offset, content: 'shared_task' });
  }
  return { applicability: 'unsafe', message: 'Import shared_task from celery and decorate the tasks with @shared_task', edits };
}

function isCeleryTask(module: string): boolean {
  return module === 'celery.task' || module.startsWith('celery.task.');
}
