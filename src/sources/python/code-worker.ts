import { workerData } from 'node:worker_threads';
import { serveJobs } from '../../model/parallel.js';
import { initPython, parsePython } from '../../parse/python.js';
import { codeFileFacts } from './code-facts.js';

// A worker thread of the python-code source (see runParallel): parses its share of the files and returns their
// facts. Trees stay in this thread (they cannot cross); facts are plain data.
let roots: ReadonlySet<string> | undefined;
await serveJobs(workerData, initPython, (job, shared) => {
  roots ??= new Set(shared as string[]);
  const py = parsePython(job.path, job.text);
  try {
    const problems = py.errors.map((e) => ({ file: job.path, span: e.span, severity: 'error' as const, message: e.message }));
    return { value: codeFileFacts(py, job.input as string, roots), problems };
  } finally {
    py.tree.delete();
  }
});
