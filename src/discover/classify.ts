import path from 'node:path';

export type FileKind =
  | 'python'
  | 'requirements'
  | 'pyproject'
  | 'setup.cfg'
  | 'pipfile'
  | 'pipfile.lock'
  | 'poetry.lock'
  | 'uv.lock'
  | 'dotenv'
  | 'compose'
  | 'yaml'
  | 'procfile'
  | 'supervisor'
  | 'systemd'
  | 'shell'
  | 'dockerfile'
  | 'redis.conf'
  | 'rabbitmq.conf'
  | 'conf'
  | 'typescript'
  | 'package.json';

/** Classifies a project file by its name; `conf` files are told apart by content later (supervisor or not). */
export function classify(relPath: string): FileKind | undefined {
  const base = path.posix.basename(relPath);
  const lower = base.toLowerCase();
  const dir = path.posix.dirname(relPath).toLowerCase();
  if (lower.endsWith('.py')) return 'python';
  if (lower === 'pyproject.toml') return 'pyproject';
  if (lower === 'setup.cfg') return 'setup.cfg';
  if (base === 'Pipfile') return 'pipfile';
  if (base === 'Pipfile.lock') return 'pipfile.lock';
  if (lower === 'poetry.lock') return 'poetry.lock';
  if (lower === 'uv.lock') return 'uv.lock';
  if (lower === 'package.json') return 'package.json';
  if (/^(requirements|constraints)([-_.\w]*)\.(txt|in|pip)$/.test(lower)) return 'requirements';
  if (/(^|\/)requirements$/.test(dir) && /\.(txt|in)$/.test(lower)) return 'requirements';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  if (/^(docker-)?compose([-.\w]*)\.ya?ml$/.test(lower)) return 'compose';
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (base === 'Procfile' || base.startsWith('Procfile.')) return 'procfile';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (lower.endsWith('.service')) return 'systemd';
  if (lower.endsWith('.sh') || lower.endsWith('.bash')) return 'shell';
  if (/^redis[-_.\w]*\.conf$/.test(lower)) return 'redis.conf';
  if (lower === 'rabbitmq.conf') return 'rabbitmq.conf';
  if (lower.endsWith('.conf') || lower.endsWith('.ini')) return 'conf';
  if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(lower) && !lower.endsWith('.d.ts')) return 'typescript';
  return undefined;
}
