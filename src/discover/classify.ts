import fs from 'node:fs';
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
  if (/(^|\/)requirements$/.test(dir) && /\.(txt|in|pip)$/.test(lower)) return 'requirements';
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

// `#!/bin/bash`, `#!/usr/bin/env sh`, `#!/bin/sh -e`: the interpreter word of a POSIX-family shell.
const SHELL_SHEBANG = /^#![ \t]*\S*?\b(?:env[ \t]+(?:-\S+[ \t]+)*)?(?:ba|da|k|z|a)?sh\b/;

/**
 * Extensionless scripts (`scripts/start-worker`, cookiecutter-django's `compose/production/django/celery/worker/start`)
 * are where many projects start their workers: a name without a dot is classified by its shebang line. Only the first
 * bytes are read, and only for names `classify` does not know, so other files are never opened.
 */
export function classifyByContent(relPath: string, abs: string): FileKind | undefined {
  if (path.posix.basename(relPath).includes('.')) return undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    const head = Buffer.alloc(128);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, n).toString('latin1').split('\n', 1)[0] ?? '';
    return SHELL_SHEBANG.test(line) ? 'shell' : undefined;
  } catch {
    return undefined; // unreadable: as if it were not there, like any file classify() does not know
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
