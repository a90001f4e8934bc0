import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Killing celery-lint in the middle of --fix must leave every file either untouched or fully fixed.
const BIN = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../bin/celery-lint.js');
const APPS = 60;
let base: string;
let fixed: Map<string, string>;

function makeProject(root: string): void {
  for (let i = 0; i < APPS; i++) {
    const dir = path.join(root, `svc${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '__init__.py'), '');
    fs.writeFileSync(path.join(dir, 'worker.py'), `from celery import Celery\napp = Celery('svc${i}')\napp.config_from_object('svc${i}.celeryconfig')\n`);
    fs.writeFileSync(path.join(dir, 'celeryconfig.py'), `BROKER_URL = 'redis://h:6379/${i % 16}'\nCELERY_TASK_SERIALIZER = 'json'\nCELERY_RESULT_SERIALIZER = 'json'\nCELERY_ACCEPT_CONTENT = ['json']\nCELERYD_PREFETCH_MULTIPLIER = 1\n"""\n${'Padding so that writing the files takes a while.\n'.repeat(2000)}"""\n`);
  }
  fs.writeFileSync(path.join(root, 'requirements.txt'), 'celery==4.4.7\n');
}

function configs(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < APPS; i++) out.set(`svc${i}`, fs.readFileSync(path.join(root, `svc${i}`, 'celeryconfig.py'), 'utf8'));
  return out;
}

function runFix(root: string, killOnFirstWrite = false): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'check', '.', '--fix', '--unsafe-fixes'], { cwd: root, stdio: 'ignore' });
    let done = false;
    const files = Array.from({ length: APPS }, (_, i) => path.join(root, `svc${i}`, 'celeryconfig.py'));
    const sizes = files.map((f) => fs.statSync(f).size);
    // Kill the moment any file has been replaced: the other writes are then still to come.
    const poll = () => {
      if (done) return;
      if (files.some((f, i) => fs.statSync(f).size !== sizes[i])) child.kill('SIGKILL');
      else setImmediate(poll);
    };
    if (killOnFirstWrite) poll();
    child.on('exit', () => {
      done = true;
      resolve();
    });
  });
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-kill-'));
  makeProject(path.join(base, 'reference'));
  await runFix(path.join(base, 'reference'));
  fixed = configs(path.join(base, 'reference'));
}, 120_000);

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('--fix killed with SIGKILL', () => {
  it('the reference run really fixes every config module', () => {
    const original = `BROKER_URL = 'redis://h:6379/0'`;
    expect(fixed.get('svc0')!.startsWith(original)).toBe(false);
    expect(fixed.get('svc0')!.startsWith(`broker_url = 'redis://h:6379/0'`)).toBe(true);
  });

  it('leaves each file either untouched or fully fixed, at any moment', async () => {
    let sawPartialRun = false;
    for (let trial = 0; trial < 3; trial++) {
      const root = path.join(base, `kill-${trial}`);
      makeProject(root);
      const original = configs(root);
      await runFix(root, true);
      const now = configs(root);
      let changed = 0;
      for (const [name, text] of now) {
        expect([original.get(name), fixed.get(name)]).toContain(text);
        if (text !== original.get(name)) changed++;
      }
      if (changed > 0 && changed < APPS) sawPartialRun = true;
    }
    // at least one kill must land while files were being written, or the test proved nothing
    expect(sawPartialRun).toBe(true);
  }, 120_000);
});
