export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
}

/** A user-facing failure: one line on stderr and exit code 2, never a stack trace. */
export class UsageError extends Error {}

export { VERSION } from '../version.js';
