export interface Progress {
  /** `done` of `total` stages finished; `stage` is the one starting. */
  update(done: number, total: number, stage: string): void;
  /** Clears the line if anything was shown. */
  end(): void;
}

export interface ProgressOptions {
  enabled: boolean;
  now?: () => number;
  /** Nothing is shown for runs shorter than this: a small project never flickers. */
  delayMs?: number;
  /** At most one redraw per interval. */
  intervalMs?: number;
}

const SILENT: Progress = { update() {}, end() {} };

/**
 * `celery-lint: analysing [3/14] python-code` redrawn in place on stderr for a long run on a terminal; nothing when
 * stderr is not a terminal (CI logs, pipes, pre-commit) or with --quiet.
 */
export function createProgress(stream: { write(s: string): unknown }, opts: ProgressOptions): Progress {
  if (!opts.enabled) return SILENT;
  const now = opts.now ?? (() => performance.now());
  const delay = opts.delayMs ?? 500;
  const interval = opts.intervalMs ?? 100;
  const start = now();
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total, stage) {
      const t = now();
      if (t - start < delay || t - last < interval) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[Kcelery-lint: analysing [${done + 1}/${total}] ${stage}`);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
