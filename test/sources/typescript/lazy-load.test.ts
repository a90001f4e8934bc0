import { describe, expect, it, vi } from 'vitest';
import { contextFor } from '../../helpers/project.js';

// ts-morph costs ~160 ms to load; a Node monorepo that never names celery-node/celery-ts must not pay for it.
const load = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../../src/sources/typescript/load.js', async (original) => {
  const actual = await original<typeof import('../../../src/sources/typescript/load.js')>();
  return { tsMorph: () => (load.calls++, actual.tsMorph()) };
});
const { typescriptProducerSource } = await import('../../../src/sources/typescript/producers.js');

describe('typescript producers: loading ts-morph', () => {
  it('does not load it for a large Node monorepo without Celery, even where call-like words appear', () => {
    const files: Record<string, string> = {};
    const body = 'export function f(x: number): number {\n  return Math.max(x, 1);\n}\nexport const delayed = (t: { applyAsync(): void }) => t.applyAsync();\n';
    for (let i = 0; i < 500; i++) files[`packages/p${i % 50}/src/m${i}.ts`] = `import { z } from 'zod';\n${body}`;
    const { ctx } = contextFor(files);
    load.calls = 0;
    expect(typescriptProducerSource.collect(ctx)).toEqual({});
    expect(ctx.filesOfKind('typescript')).toHaveLength(500);
    expect(load.calls).toBe(0);
  });

  it('loads it for a project with a celery-node client', () => {
    const { ctx } = contextFor({
      'a.ts': "import celery from 'celery-node';\nconst client = celery.createClient('redis://r', 'redis://r');\nclient.createTask('proj.add').applyAsync([1, 2]);\n",
      'b.ts': 'export const x = 1;\n',
    });
    load.calls = 0;
    const facts = typescriptProducerSource.collect(ctx);
    expect(facts.callSites?.map((c) => c.task)).toEqual(['proj.add']);
    expect(load.calls).toBeGreaterThan(0);
  });
});
