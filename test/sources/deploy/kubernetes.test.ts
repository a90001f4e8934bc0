import { describe, expect, it } from 'vitest';
import { kubernetesSource } from '../../../src/sources/deploy/kubernetes.js';
import { at, memoryContext, textOf } from './ctx.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: celery-worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: app:1.0
          command: ["celery"]
          args: ["-A", "proj", "worker", "--pool=gevent", "--concurrency=100"]
          env:
            - name: CELERY_BROKER_URL
              value: "redis://redis:6379/0"
            - name: SECRET
              valueFrom:
                secretKeyRef: {name: s, key: k}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: celery-config
data:
  CELERY_RESULT_BACKEND: redis://redis:6379/1
  LOG_FORMAT: json
---
apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: purge
              command:
                - /bin/sh
                - -c
                - celery -A proj purge -f
`;

const HELM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}-worker
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}-worker
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- with .Values.worker.command }}
          command:
            - celery
            - -A
            - {{ .Values.celeryApp }}
            - worker
          {{- end }}
          env:
            {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  labels: {{ include "app.labels" . | nindent 4 }}: broken
`;

describe('kubernetes source', () => {
  it('joins command and args and reads env and ConfigMap data across documents', () => {
    const files = { 'k8s/worker.yaml': DEPLOYMENT };
    const facts = kubernetesSource.collect(memoryContext(files));
    expect(facts.problems).toEqual([]);
    expect(facts.commands?.map((c) => [c.source, c.processName, c.subcommand, c.app, c.pool, c.concurrency, at(c.span)])).toEqual([
      ['kubernetes', 'worker', 'worker', 'proj', 'gevent', 100, '11:21-12:78'],
      ['kubernetes', 'purge', 'purge', 'proj', undefined, undefined, '40:19-40:42'],
    ]);
    expect(facts.commands![0]!.options.map((o) => [o.name, o.value, o.position, textOf(files, o.span)])).toEqual([
      ['-A', 'proj', 'global', '"-A", "proj"'],
      ['--pool', 'gevent', 'subcommand', '"--pool=gevent"'],
      ['--concurrency', '100', 'subcommand', '"--concurrency=100"'],
    ]);
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value, at(e.valueSpan), at(e.span)])).toEqual([
      ['CELERY_BROKER_URL', 'redis://redis:6379/0', '15:23-15:43', '14:15-15:44'],
      ['CELERY_RESULT_BACKEND', 'redis://redis:6379/1', '25:26-25:46', '25:3-25:46'],
    ]);
  });

  it('parses Helm templates with their tags masked, keeps template text, and skips a document that still does not parse', () => {
    const files = { 'chart/templates/worker.yaml': HELM };
    const facts = kubernetesSource.collect(memoryContext(files));
    expect(facts.commands?.map((c) => [c.source, c.subcommand, c.app, c.processName, at(c.span)])).toEqual([
      ['helm', 'worker', '{{ .Values.celeryApp }}', '{{ .Chart.Name }}-worker', '13:15-16:21'],
    ]);
    expect(textOf(files, facts.commands![0]!.options[0]!.span)).toBe('-A\n            - {{ .Values.celeryApp }}');
    expect(facts.envVars?.map((e) => [e.name, e.value.kind === 'str' && e.value.value])).toEqual([['{{ $k }}', '{{ $v | quote }}']]);
    expect(facts.problems).toHaveLength(1);
    expect(facts.problems![0]).toMatchObject({ file: 'chart/templates/worker.yaml', severity: 'warning' });
    expect(facts.problems![0]!.message).toMatch(/^skipped templated YAML document 2: /);
  });

  it('reads a shell script passed as args to sh -c', () => {
    const text = 'kind: Pod\nspec:\n  containers:\n    - name: w\n      command: ["/bin/sh", "-c"]\n      args:\n        - |\n          python manage.py migrate\n          exec celery -A proj worker -Q default\n';
    const files = { 'pod.yml': text };
    const [c] = kubernetesSource.collect(memoryContext(files)).commands ?? [];
    expect(c).toMatchObject({ processName: 'w', subcommand: 'worker', raw: 'celery -A proj worker -Q default' });
    expect(at(c!.span)).toBe('9:16-9:48');
    expect(c!.options.map((o) => textOf(files, o.span))).toEqual(['-A proj', '-Q default']);
  });

  it('stays quiet about unrelated YAML that does not parse', () => {
    const facts = kubernetesSource.collect(memoryContext({ 'mkdocs.yml': 'nav: [a, b\n', 'values.yaml': 'worker:\n  command: celery -A proj worker\n' }));
    expect(facts).toEqual({ commands: [], envVars: [], redisConfs: [], problems: [], webServers: [] });
  });
});
