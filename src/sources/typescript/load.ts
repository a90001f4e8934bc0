import { createRequire } from 'node:module';

type TsMorph = typeof import('ts-morph');

let loaded: TsMorph | undefined;

/**
 * ts-morph (and the TypeScript compiler under it) takes ~160 ms to load, so it is required on first use: a
 * project without celery-node/celery-ts files never pays for it.
 */
export function tsMorph(): TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as TsMorph;
  return loaded;
}
