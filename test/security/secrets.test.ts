import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { maskSecretsInLine } from '../../src/model/url.js';
import { FIXTURES } from '../helpers/project.js';

// fixtures/secrets plants credentials in a broker URL, conf.update, transport options, secret-named settings,
// .env, a Procfile command line and compose (command and environment). Every one contains "Pl4nted".
const PLANTED = 'Pl4nted';

async function run(args: string[]) {
  let out = '';
  const write = (s: string) => (out += s);
  const code = await runCli(args, { stdout: { write }, stderr: { write }, cwd: FIXTURES });
  return { code, out };
}

const RUNS: string[][] = [
  ...['text', 'concise', 'json', 'sarif', 'github', 'gitlab', 'junit'].map((f) => ['check', 'secrets', '--output-format', f]),
  ['check', 'secrets', '--diff', '--unsafe-fixes'],
  ['migrate-check', 'secrets', '--from', '3.1', '--to', '5.5'],
  ['inspect', 'secrets'],
  ['inspect', 'secrets', '--json'],
];

describe('no output shows a planted credential', () => {
  for (const args of RUNS) {
    it(args.join(' '), async () => {
      const { code, out } = await run(args);
      expect([0, 1]).toContain(code);
      expect(out.length).toBeGreaterThan(0);
      const leaked = out.split('\n').filter((l) => l.includes(PLANTED));
      expect(leaked).toEqual([]);
    });
  }

  it('the fixture really holds the credentials the outputs must hide', () => {
    const all = ['vault/celery.py', 'vault/celeryconfig.py', '.env', 'Procfile', 'docker-compose.yml'].map((f) => fs.readFileSync(path.join(FIXTURES, 'secrets', f), 'utf8')).join('\n');
    expect(all.split(PLANTED).length - 1).toBe(11);
  });
});

describe('maskSecretsInLine', () => {
  it.each([
    ["BROKER_URL = 'redis://:pw@h:6379/0'", "BROKER_URL = 'redis://:****@h:6379/0'"],
    ["CELERY_REDIS_PASSWORD = 'x'", "CELERY_REDIS_PASSWORD = '****'"],
    ["    'sentinel_kwargs': {'password': \"p'w\"},", "    'sentinel_kwargs': {'password': \"****\"},"],
    ['REDIS_PASSWORD=abc # note', 'REDIS_PASSWORD=**** # note'],
    ['export API_TOKEN=abc', 'export API_TOKEN=****'],
    ['      SECRET_TOKEN: abc', '      SECRET_TOKEN: ****'],
    ['celery -A p worker --password=abc -c 2', 'celery -A p worker --password=**** -c 2'],
    ["timezone = 'UTC'  # the password policy", "timezone = 'UTC'  # the password policy"],
    ['worker_concurrency = 4', 'worker_concurrency = 4'],
    ['REDISCLI_AUTH=s3cret', 'REDISCLI_AUTH=****'],
    ["AUTH_USER_MODEL = 'accounts.User'", "AUTH_USER_MODEL = 'accounts.User'"],
    // references to a password are code, not the password: a diff must keep them or it no longer applies
    ['PASSWORD = os.environ.get("RABBITMQ_PASSWORD")', 'PASSWORD = os.environ.get("RABBITMQ_PASSWORD")'],
    ['broker_url = f"amqp://user:{PASSWORD}@rabbit:5672//"', 'broker_url = f"amqp://user:{PASSWORD}@rabbit:5672//"'],
    ['      CELERY_BROKER_URL: redis://:${REDIS_PASSWORD}@redis:6379/0', '      CELERY_BROKER_URL: redis://:${REDIS_PASSWORD}@redis:6379/0'],
    ["BROKER = 'amqp://u:%(pw)s@h//' % conf", "BROKER = 'amqp://u:%(pw)s@h//' % conf"],
    ['REDIS_PASSWORD=${VAULT_REDIS}', 'REDIS_PASSWORD=${VAULT_REDIS}'],
    ["broker_url = 'amqp://u:{x}y@h//'", "broker_url = 'amqp://u:****@h//'"],
  ])('%s', (line, masked) => {
    expect(maskSecretsInLine(line)).toBe(masked);
  });
});
