import type { CallSite, ImportFact, SettingRead, SignalHandler, TaskDef } from '../../model/types.js';
import { digest } from '../../model/fact-cache.js';
import type { DiscoveredFile } from '../../discover/walk.js';
import type { Source } from '../source.js';
import { manyFileFacts } from '../file-facts.js';
import { moduleIndex } from './celery-config.js';
import { codeFileFacts, mayContribute } from './code-facts.js';

/** Task definitions, the calls that send tasks or read their results, imports of Celery modules, reads of settings. */
export const pythonCodeSource: Source = {
  name: 'python-code',
  collect(ctx) {
    const modules = moduleIndex(ctx);
    const projectRoots = new Set([...modules.modules.keys()].map((m) => m.split('.')[0] ?? m));
    const moduleOf = (f: DiscoveredFile) => modules.moduleOf.get(f.path) ?? '';
    // What a file's facts depend on besides its own path and text: its module name and the project's top-level packages.
    const rootsSalt = digest([...projectRoots].sort().join(','));
    const found = manyFileFacts(ctx, 'python-code', ctx.filesOfKind('python'), {
      salt: (f) => `${moduleOf(f)}\0${rootsSalt}`,
      filter: mayContribute,
      compute: (f) => {
        const py = ctx.python(f);
        return py ? codeFileFacts(py, moduleOf(f), projectRoots) : undefined;
      },
      // Parsing dominates a cold run, and trees cannot cross threads: workers parse and send the facts back.
      worker: { url: new URL('./code-worker.js', import.meta.url), shared: [...projectRoots], input: moduleOf },
    });
    const tasks: TaskDef[] = [];
    const callSites: CallSite[] = [];
    const imports: ImportFact[] = [];
    const signalHandlers: SignalHandler[] = [];
    const settingReads: SettingRead[] = [];
    const aliases = new Set(found.flatMap((f) => f?.taskAliases ?? []));
    for (const facts of found) {
      if (!facts) continue;
      tasks.push(...facts.tasks);
      for (const c of facts.aliasCandidates ?? []) if (aliases.has(c.alias)) tasks.push(c.task);
      callSites.push(...facts.callSites);
      imports.push(...facts.imports);
      signalHandlers.push(...facts.signalHandlers);
      settingReads.push(...facts.settingReads);
    }
    return { tasks, callSites, imports, signalHandlers, settingReads };
  },
};
