export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
}

/** A user-facing failure: one line on stderr and exit code 2, never a stack trace. */
export class UsageError extends Error {}

export { VERSION } from '../version.js';

/**
 * `celery-lint rules | head -1`: a reader that closes the pipe early ends the run quietly (exit 0), as cat or grep
 * do, instead of Node's unhandled 'error' event and its stack trace.
 */
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      process.exitCode = 2;
    });
  }
}
