import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import type { DiscoveredFile } from '../../discover/walk.js';
import type { CallSite, ParseProblem, ProducerClient } from '../../model/types.js';
import { LineIndex } from '../../parse/span.js';
import type { Source, SourceContext } from '../source.js';
import { libraryBindings, relativeImports } from './bindings.js';
import { findCalls } from './calls.js';
import { findClients, type ClientBinding } from './clients.js';
import { tsMorph } from './load.js';
import { TsFile } from './ts-value.js';

// A file takes part when it names a library or calls createTask/sendTask on a client imported from one that does.
const MENTIONS_LIBRARY = /\bcelery-(?:node|ts)\b/;
const MENTIONS_CALLS = /\.(?:createTask|sendTask|asyncResult)\s*[<(]/;

interface Parsed {
  file: DiscoveredFile;
  sf: SourceFile;
  ts: TsFile;
  clients: ClientBinding[];
}

/**
 * Node.js producers (celery-node, celery-ts) in .ts/.js/.mts/.cjs files: their clients with broker/backend URLs
 * and protocol, the tasks they send by name and how they read results. A cheap text check picks the files first;
 * only those are parsed, in one in-memory ts-morph project without type checking.
 */
export const typescriptProducerSource: Source = {
  name: 'typescript-producers',
  collect(ctx: SourceContext) {
    const candidates: { file: DiscoveredFile; text: string; names: boolean }[] = [];
    for (const file of ctx.filesOfKind('typescript')) {
      const text = ctx.text(file);
      if (text === undefined) continue;
      const names = MENTIONS_LIBRARY.test(text);
      if (names || MENTIONS_CALLS.test(text)) candidates.push({ file, text, names });
    }
    if (!candidates.some((c) => c.names)) return {};
    const problems: ParseProblem[] = [];
    const { Project } = tsMorph();
    const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: true, noLib: true, noResolve: true } });
    const parsed: Parsed[] = [];
    for (const { file, text } of candidates) {
      try {
        const sf = project.createSourceFile(`/${file.path}`, text, { overwrite: true });
        const ts = new TsFile(file.path, new LineIndex(text));
        parsed.push({ file, sf, ts, clients: findClients(sf, ts, libraryBindings(sf)) });
      } catch (e) {
        problems.push({ file: file.path, severity: 'warning', message: `could not analyse this file for celery-node/celery-ts producers: ${(e as Error).message}` });
      }
    }
    const byPath = new Map(parsed.map((p) => [p.file.path, p]));
    const callSites: CallSite[] = [];
    const producers: ProducerClient[] = parsed.flatMap((p) => p.clients.map((c) => c.client));
    for (const p of parsed) {
      try {
        callSites.push(...findCalls(p.sf, p.ts, [...p.clients, ...importedClients(p, byPath)]));
      } catch (e) {
        problems.push({ file: p.file.path, severity: 'warning', message: `could not analyse this file for celery-node/celery-ts producers: ${(e as Error).message}` });
      }
    }
    return { producers, callSites, problems };
  },
};

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** Clients another project file creates and exports, imported here by name (`import { client } from './celery'`). */
function importedClients(p: Parsed, byPath: Map<string, Parsed>): ClientBinding[] {
  const out: ClientBinding[] = [];
  for (const [local, { specifier, name }] of relativeImports(p.sf)) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(p.file.path), specifier));
    // `./celery.js` in NodeNext ESM names the `./celery.ts` source
    const stem = base.replace(/\.(js|mjs|cjs)$/, '');
    const from = [...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => stem + e)].map((f) => byPath.get(f)).find(Boolean);
    if (!from || from === p) continue;
    const target = name === 'default' ? defaultExport(from) : exportedLocals(from.sf).get(name) ?? name;
    const c = from.clients.find((b) => b.name === target && (b.exported || exportedLocals(from.sf).has(name) || name === 'default'));
    if (c) out.push({ client: c.client, name: local, scope: p.sf, exported: false });
  }
  return out;
}

/** `export { client }` / `export { client as celery }`: exported name → local name. */
function exportedLocals(sf: SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of sf.getExportDeclarations()) {
    if (d.getModuleSpecifier()) continue;
    for (const n of d.getNamedExports()) out.set(n.getAliasNode()?.getText() ?? n.getName(), n.getName());
  }
  return out;
}

function defaultExport(p: Parsed): string | undefined {
  const assignment = p.sf.getExportAssignments().find((a) => !a.isExportEquals());
  return assignment?.getExpression().getText();
}
