import { spawnSync } from 'node:child_process';

/** Debian's Python with python3-celery (5.2.x in CI): the oracle the rules' runtime claims are checked against. */
export const PY = '/usr/bin/python3';

export const celeryAvailable = spawnSync(PY, ['-c', 'import celery, kombu'], { encoding: 'utf8' }).status === 0;

export const SKIP_REASON = `needs ${PY} with celery and kombu importable (apt-get install python3-celery python3-kombu; .ci/run installs them)`;

/** Runs a Python script with arguments; bounded in time so a hanging claim fails instead of hanging CI. */
export function python(script: string, args: string[] = [], timeoutMs = 30_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The JSON object a script printed on its last stdout line. */
export function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as Record<string, unknown>;
}
