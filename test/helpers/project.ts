import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover } from '../../src/discover/walk.js';
import { createContext } from '../../src/sources/context.js';
import type { ParseProblem } from '../../src/model/types.js';
import type { SourceContext } from '../../src/sources/source.js';

/** Writes a throwaway project ({relative path: content}) and returns its root. */
export function writeProject(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

/** A SourceContext over a throwaway project, plus the problems it records. */
export function contextFor(files: Record<string, string | Buffer>): { ctx: SourceContext; problems: ParseProblem[]; root: string } {
  const root = writeProject(files);
  const problems: ParseProblem[] = [];
  const ctx = createContext(discover(root, []), problems);
  return { ctx, problems, root };
}

export const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../fixtures');
