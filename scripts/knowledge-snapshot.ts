import { writeFileSync } from 'node:fs';
import { SNAPSHOT_FILE, knowledgeSnapshot } from '../src/engine/knowledge.js';

// Run by `npm run build` after tsc: the validated knowledge base as JSON beside the compiled loader, so a run
// skips parsing the YAML (see `fromSnapshot`). A stale snapshot is never used: it carries the YAML's hash.
writeFileSync(SNAPSHOT_FILE, knowledgeSnapshot());
