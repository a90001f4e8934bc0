import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file atomically: a temporary file beside it, the original's mode kept, then one rename, so a
 * reader (or a killed process) sees the old file or the new one, never half of one.
 */
export function writeFileAtomic(abs: string, text: string, opts: { bom?: boolean } = {}): void {
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.celery-lint-${process.pid}-${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(abs).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const fd = fs.openSync(tmp, 'w', mode ?? 0o644);
  try {
    fs.writeFileSync(fd, (opts.bom ? '\ufeff' : '') + text, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
