import { runCli } from '../../src/cli/program.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` and captures what it prints. */
export async function run(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd });
  return { code, stdout, stderr };
}

/**
 * Concise output without the messages: `file:line:column: CODE` per finding (`[*]` when fixable), then the
 * summary line. Rule messages are the rules' own business; which findings a run reports is this suite's.
 */
export function findings(stdout: string): string[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => /^(\S+:\d+:\d+: CEL\d{3}(?: \[\*\])?) /.exec(line)?.[1] ?? line);
}
