import { describe, expect, it } from 'vitest';
import { deploySources } from '../../../src/sources/deploy/index.js';
import { memoryContext } from './ctx.js';

// Each input cut at every offset: unterminated quotes, half a continuation, half a template tag, half a list.
const INPUTS: Record<string, string> = {
  Procfile: 'worker: sh -c "celery -A proj worker -P \'gevent\' \\\n -c 4" && echo `date` $(id -u) ${X:-y}\n',
  'docker-compose.yml': 'services:\n  w:\n    command: ["sh", "-c", "celery -A p worker"]\n    environment: ["A=1", B]\n    env_file: [{path: x.env}]\n',
  'k8s/templates/w.yaml': 'kind: ConfigMap\ndata:\n  CELERY_X: "{{ .Values.x }}"\n---\nspec:\n  containers:\n    - command: [celery]\n      args: ["-A", "{{ .Values.app }}", worker]\n',
  'supervisord.conf': '[program:w]\ncommand=celery -A p worker ; c\n  -c 2\nenvironment=A="x,y",B=\'z\'\n',
  'w.service': '[Service]\nExecStart=-/bin/celery -A p worker \\\n  # c\n  -c 2\nEnvironment="A=1" B=2\nEnvironmentFile=/e\n',
  'run.sh': 'export CELERY_A="x" && cat <<-EOF\n\tcelery worker\n\tEOF\nexec celery -A p worker 2>&1 | tee l\n',
  Dockerfile: 'FROM a AS w\nENV A=1 B="2"\nENTRYPOINT ["celery"]\nCMD ["-A", "p\\u0041", \\\n "worker"]\n',
  '.env': 'export A="x\\"y"\nB=\'z\'\nC=1 # c\n',
  'redis.conf': 'timeout 10\ntcp-keepalive 5\n',
};

describe('deploy sources on cut-off input', () => {
  it('never throw, and report only warnings', () => {
    let commands = 0;
    for (const [path, text] of Object.entries(INPUTS)) {
      for (let cut = 0; cut <= text.length; cut++) {
        const ctx = memoryContext({ [path]: text.slice(0, cut) });
        for (const source of deploySources) {
          const facts = source.collect(ctx);
          expect(facts.problems?.every((p) => p.severity === 'warning') ?? true).toBe(true);
          for (const c of facts.commands ?? []) {
            expect(c.span.start.offset).toBeLessThanOrEqual(c.span.end.offset);
            expect(c.span.end.offset).toBeLessThanOrEqual(cut);
          }
          commands += facts.commands?.length ?? 0;
        }
      }
    }
    expect(commands).toBeGreaterThan(100);
  });

  it('read the whole inputs', () => {
    const ctx = memoryContext(INPUTS);
    const all = deploySources.map((s) => s.collect(ctx));
    const commands = all.flatMap((f) => f.commands ?? []);
    expect(commands.map((c) => [c.source, c.subcommand, c.app])).toEqual([
      ['procfile', 'worker', 'proj'],
      ['compose', 'worker', 'p'],
      ['helm', 'worker', '{{ .Values.app }}'],
      ['supervisor', 'worker', 'p'],
      ['systemd', 'worker', 'p'],
      ['shell', 'worker', 'p'],
      ['dockerfile', 'worker', 'pA'],
    ]);
    expect(all.flatMap((f) => f.envVars ?? []).map((e) => [e.source, e.name, e.value.kind === 'str' && e.value.value])).toEqual([
      ['compose', 'A', '1'],
      ['helm', 'CELERY_X', '{{ .Values.x }}'],
      ['supervisor', 'A', 'x,y'],
      ['supervisor', 'B', 'z'],
      ['systemd', 'A', '1'],
      ['systemd', 'B', '2'],
      ['shell', 'CELERY_A', 'x'],
      ['dockerfile', 'A', '1'],
      ['dockerfile', 'B', '2'],
      ['dotenv', 'A', 'x"y'],
      ['dotenv', 'B', 'z'],
      ['dotenv', 'C', '1'],
    ]);
  });
});
