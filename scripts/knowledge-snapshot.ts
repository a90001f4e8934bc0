import { rmSync, writeFileSync } from 'node:fs';
import { SNAPSHOT_FILE, knowledgeSnapshot } from '../src/engine/knowledge.js';

// Run by `npm run build` after tsc: the validated knowledge base as JSON beside the compiled loader, so a run
// skips parsing the YAML (see `fromSnapshot`). A stale snapshot is never used: it carries the YAML's hash.
// An invalid knowledge base does not fail the build (nor `npm ci`): there is then no snapshot, and every run
// reports the knowledge error itself, as the tests do.
try {
  writeFileSync(SNAPSHOT_FILE, knowledgeSnapshot());
} catch (e) {
  rmSync(SNAPSHOT_FILE, { force: true });
  process.stderr.write(`knowledge snapshot not written: ${(e as Error).message}\n`);
}
