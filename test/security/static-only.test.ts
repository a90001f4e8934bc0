import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { FIXTURES } from '../helpers/project.js';

// fixtures/secrets/vault/celery.py writes a marker file and opens a TCP connection when imported.
// celery-lint must read it without running it: no marker, no connection, during inspect, check and --fix.
let server: net.Server;
let connections = 0;
let root: string;

beforeAll(async () => {
  server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-static-'));
  fs.cpSync(path.join(FIXTURES, 'secrets'), root, { recursive: true });
  const celeryPy = path.join(root, 'vault/celery.py');
  fs.writeFileSync(celeryPy, fs.readFileSync(celeryPy, 'utf8').replace("('127.0.0.1', 9)", `('127.0.0.1', ${port})`));
});

afterAll(() => {
  server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('static analysis only', () => {
  it('inspect, check, migrate-check and --fix never import or run project code', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: root };
    for (const args of [['inspect', '.'], ['check', '.'], ['migrate-check', '.', '--to', '5.5'], ['check', '.', '--fix', '--unsafe-fixes']]) {
      expect([0, 1]).toContain(await runCli(args, io));
    }
    expect(fs.readFileSync(path.join(root, 'vault/celery.py'), 'utf8')).toContain('socket.create_connection');
    expect(fs.existsSync(path.join(root, 'vault/IMPORTED'))).toBe(false);
    // the planted connection would have reached the server by now if anything had run the module
    await new Promise((r) => setTimeout(r, 50));
    expect(connections).toBe(0);
  });
});
