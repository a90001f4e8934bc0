import { compareVersions, knowledge, type Knowledge, type RemovedDoc } from '../../src/engine/knowledge.js';
import { createRule, type Edit, type Fix } from '../../src/engine/types.js';
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
      'Celery removed its 2.x/3.x compatibility modules: celery.decorators in 3.0; celery.task.http, celery.task.sets, ' +
      'celery.contrib.batches, celery.datastructures, celery.utils.timeutils and others in 4.0; celery.task (the old ' +
      '`task`, `periodic_task`, `Task`, `PeriodicTask`) and celery.five in 5.0. Importing one raises ImportError, so ' +
      'the module that imports it - often a tasks module the worker imports at start - fails to load. django-celery ' +
      '(djcelery) is the Celery 3.1 Django integration; its last release requires celery<4.0, and Celery 4.0+ ' +
      'integrates with Django itself (results and beat schedules move to django-celery-results and ' +
      'django-celery-beat). In migrate-check the finding sits on the step where the module disappears. The fix ' +
      'rewrites `from celery.task import task` to `from celery import shared_task` together with every `@task` ' +
      'decorator of the file. It is unsafe: the legacy decorator gives the task the old compatibility base class ' +
      '(celery.task.Task, with helpers such as get_logger) where shared_task uses the app\'s Task, and a use of the ' +
      'name `task` other than as a decorator is not renamed. periodic_task and the other names have no mechanical ' +
      'replacement.',
    example: 'from celery.task import task\n\n@task\ndef add(x, y):\n    return x + y',
    useInstead: 'from celery import shared_task\n\n@shared_task\ndef add(x, y):\n    return x + y',
    fixSafety: 'sometimes',
    versions: { description: 'celery.decorators: gone from 3.0; most compatibility modules and djcelery: 4.0; celery.task and celery.five: 5.0.' },
    references: [
      'https://docs.celeryq.dev/en/stable/history/whatsnew-4.0.html',
      'https://docs.celeryq.dev/en/stable/history/whatsnew-5.0.html',
      'https://github.com/celery/celery/blob/v4.4.7/celery/task/__init__.py',
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
      const mod = k.removedModule(imp.module);
      if (!mod || compareVersions(target, mod.removed) < 0 || hasFallback(model, imp)) continue;
      ctx.report({
        message:
          `${describe(imp)}: ${mod.module} was removed in Celery ${short(mod.removed)}, so on Celery ${short(target)} this import ` +
          `raises ImportError and the module importing it fails to load.` +
          (mod.replacement ? ` Use ${mod.replacement} instead.` : '') +
          (mod.note ? ` ${mod.note}` : ''),
        span: imp.span,
        since: mod.removed,
        fix: sharedTaskFix(model, imp),
      });
    }
  },
});

/**
 * `try: from celery.task import task / except ImportError: from celery import shared_task as task`: the same local
 * name is also imported from `celery` itself, so the code already copes with the removal.
 */
function hasFallback(model: ProjectModel, imp: ImportFact): boolean {
  const local = new Set(imp.names.map((n) => n.alias ?? n.name));
  return model.imports.some((i) => i.file === imp.file && i.module === 'celery' && i.names.some((n) => local.has(n.alias ?? n.name)));
}

function packageOf(k: Knowledge, module: string): RemovedPackage | undefined {
  return k.removed.packages.find((p) => module === p.import || module.startsWith(`${p.import}.`));
}

function describe(imp: ImportFact): string {
  if (imp.style === 'import') return `\`import ${imp.module}\``;
  return `\`from ${imp.module} import ${imp.names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)).join(', ')}\``;
}

/**
 * `from celery.task import task` (the only celery.task import of its file, no alias) → `from celery import
 * shared_task`, with every legacy `@task` decorator of the file renamed in the same fix. Skipped when a decorator's
 * name does not span exactly `task` after the `@` (spaces, a dotted name), since the edit could not be exact.
 */
function sharedTaskFix(model: ProjectModel, imp: ImportFact): Fix | undefined {
  const only = imp.names[0];
  if (imp.module !== 'celery.task' || imp.style !== 'from' || imp.names.length !== 1 || only?.name !== 'task' || only.alias) return undefined;
  if (model.imports.filter((i) => i.file === imp.file && isCeleryTask(i.module)).length !== 1) return undefined;
  const edits: Edit[] = [{ file: imp.file, start: imp.span.start.offset, end: imp.span.end.offset, content: 'from celery import shared_task' }];
  for (const t of model.tasks) {
    if (t.file !== imp.file || t.decorator !== 'legacy.task') continue;
    const start = t.decoratorSpan.start.offset + 1;
    const end = t.decoratorArgsSpan?.start.offset ?? t.decoratorSpan.end.offset;
    if (end - start !== 'task'.length) return undefined;
    edits.push({ file: imp.file, start, end, content: 'shared_task' });
  }
  return { applicability: 'unsafe', message: 'Import shared_task from celery and decorate the tasks with @shared_task', edits };
}

function isCeleryTask(module: string): boolean {
  return module === 'celery.task' || module.startsWith('celery.task.');
}
