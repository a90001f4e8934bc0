import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ParseProblem } from './types.js';

/** How many files a run shares with worker threads (see ContextOptions.parallel). */
export interface ParallelOptions {
  /** At most this many worker threads besides the main one; 0 never starts one. */
  workers: number;
  /** Fewer files than this are analysed on the main thread alone: a worker costs ~50 ms to start. */
  minFiles: number;
  /**
   * False: the main thread leaves the jobs to the workers it started (and only does what they fail at). Tests use it
   * to see workers take part whatever the machine's load; a run always shares.
   */
  mainThreadJobs?: boolean;
}

// Measured on 2 cores (README, Performance): parsing ~370 files of a 10,000-file project on two threads saves
// ~0.5 s of a ~2 s run, and a worker is ready ~50 ms after it is started.
// CELERY_LINT_WORKERS=0 turns them off (the bench compares both).
const fromEnv = Number.parseInt(process.env.CELERY_LINT_WORKERS ?? '', 10);
export const DEFAULT_PARALLEL: ParallelOptions = {
  workers: Number.isInteger(fromEnv) && fromEnv >= 0 ? fromEnv : Math.max(0, Math.min(3, (os.availableParallelism?.() ?? os.cpus().length) - 1)),
  minFiles: 64,
};

/** Jobs done by worker threads in this process so far (tests check that the workers really ran). */
export const parallelStats = { workerJobs: 0 };

/** One file for a worker: what it needs to compute the facts without the context. */
export interface WorkerJob {
  path: string;
  text: string;
  input: unknown;
}

export interface JobResult<T> {
  value: T;
  problems: ParseProblem[];
}

interface WorkerData {
  jobs: WorkerJob[];
  shared: unknown;
  /** [0]: next job to take, [1]: jobs finished (progress), [2 + w]: 1 when worker w has posted its results */
  state: SharedArrayBuffer;
  id: number;
  port: MessagePort;
}

type Posted<T> = { results: [number, JobResult<T>][] } | { error: string };

// A worker that makes no progress for this long is given up on, and the main thread does its files.
const STALL_MS = 30_000;

/**
 * Computes `jobs` on this thread and on worker threads running `workerUrl` (a module that calls `serveJobs`), all
 * taking the next job from one shared counter, so the faster threads take more. Synchronous: the sources' collect()
 * is. Returns the results in job order; `local(i)` computes job i here (and is used for any job a worker failed).
 */
export function runParallel<T>(jobs: WorkerJob[], shared: unknown, workerUrl: URL, local: (i: number) => JobResult<T>, opts: ParallelOptions): JobResult<T>[] {
  const results: (JobResult<T> | undefined)[] = new Array(jobs.length);
  const count = jobs.length < opts.minFiles || !fs.existsSync(fileURLToPath(workerUrl)) ? 0 : opts.workers;
  const state = new Int32Array(new SharedArrayBuffer(4 * (2 + count)));
  const started: { worker: Worker; port: MessagePort }[] = [];
  for (let id = 0; id < count; id++) {
    try {
      const { port1, port2 } = new MessageChannel();
      const data: WorkerData = { jobs, shared, state: state.buffer as SharedArrayBuffer, id, port: port2 };
      const worker = new Worker(workerUrl, { workerData: data, transferList: [port2] });
      worker.unref();
      started.push({ worker, port: port1 });
    } catch {
      break; // no worker: the main thread does everything
    }
  }
  for (; opts.mainThreadJobs !== false || !started.length; ) {
    const i = Atomics.add(state, 0, 1);
    if (i >= jobs.length) break;
    results[i] = local(i);
    Atomics.add(state, 1, 1);
  }
  for (const [id, { worker, port }] of started.entries()) {
    let progress = Atomics.load(state, 1);
    let since = Date.now();
    while (Atomics.load(state, 2 + id) === 0) {
      Atomics.wait(state, 2 + id, 0, 50);
      const now = Atomics.load(state, 1);
      if (now !== progress) [progress, since] = [now, Date.now()];
      else if (Date.now() - since > STALL_MS) break;
    }
    const message = receiveMessageOnPort(port)?.message as Posted<T> | undefined;
    if (message && 'results' in message) {
      for (const [i, r] of message.results) results[i] = r;
      parallelStats.workerJobs += message.results.length;
    }
    port.close();
    void worker.terminate();
  }
  // Whatever a worker claimed but did not deliver (it failed or stalled) is done here.
  return results.map((r, i) => r ?? local(i));
}

/**
 * The loop of a worker started by `runParallel`: takes jobs until none is left, then posts its results and says so.
 * `compute` gets one job and the shared data; an error in one job leaves that job to the main thread.
 */
export async function serveJobs<T>(data: unknown, init: () => Promise<void>, compute: (job: WorkerJob, shared: unknown) => JobResult<T>): Promise<void> {
  const { jobs, shared, state: buffer, id, port } = data as WorkerData;
  const state = new Int32Array(buffer);
  const results: [number, JobResult<T>][] = [];
  let posted: Posted<T>;
  try {
    await init();
    for (;;) {
      const i = Atomics.add(state, 0, 1);
      if (i >= jobs.length) break;
      try {
        results.push([i, compute(jobs[i]!, shared)]);
      } catch {
        /* left to the main thread */
      }
      Atomics.add(state, 1, 1);
    }
    posted = { results };
  } catch (e) {
    posted = { error: (e as Error).message };
  }
  port.postMessage(posted);
  port.close();
  Atomics.store(state, 2 + id, 1);
  Atomics.notify(state, 2 + id);
}
