import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { allRules } from '../rules/index.js';
import { INSPECT_JSON_VERSION } from '../src/report/inspect.js';
import { ruleMarkdown, rulesTable } from '../src/report/rule-docs.js';

// Regenerates docs/rules/CODE.md and the rules table in README.md from each rule's meta.
// `--check` writes nothing and exits 1 when a file is out of date (the docs test runs the same comparison).
export const BEGIN = '<!-- rules-table:begin -->';
export const END = '<!-- rules-table:end -->';

export function expectedDocs(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of allRules) out.set(path.join(root, 'docs/rules', `${r.meta.code}.md`), ruleMarkdown(r));
  const readmePath = path.join(root, 'README.md');
  const readme = fs.readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start >= 0 && end > start) {
    out.set(readmePath, `${readme.slice(0, start + BEGIN.length)}\n${rulesTable(allRules)}\n${readme.slice(end)}`);
  }
  out.set(path.join(root, 'docs/inspect-schema.json'), `${JSON.stringify(modelSchema(root), null, 2)}\n`);
  return out;
}

/** The JSON Schema of `inspect --json`, generated from the ProjectModel types and their doc comments. */
export function modelSchema(root: string): Record<string, unknown> {
  const schema = createGenerator({ path: path.join(root, 'src/model/types.ts'), tsconfig: path.join(root, 'tsconfig.json'), type: 'ProjectModel', topRef: false, skipTypeCheck: true }).createSchema('ProjectModel');
  const properties = { version: { const: INSPECT_JSON_VERSION, description: 'Bumped when a field changes meaning or is removed.' }, ...(schema.properties as object) };
  return { ...schema, title: 'celery-lint inspect --json', properties, required: ['version', ...((schema.required as string[]) ?? [])] };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url).replace(/\.ts$/, '.js') === path.resolve(process.argv[1]).replace(/\.ts$/, '.js');
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.argv[1]?.includes('dist') ? '../..' : '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of expectedDocs(root)) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === text) continue;
    stale++;
    if (check) console.error(`out of date: ${path.relative(root, file)}`);
    else fs.writeFileSync(file, text);
  }
  if (check && stale) process.exit(1);
  if (!check) console.log(`${stale} file(s) updated`);
}
