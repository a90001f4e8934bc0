import { describe, expect, it } from 'vitest';
import type { CallSite, Span } from '../../../src/model/types.js';
import { typescriptProducerSource } from '../../../src/sources/typescript/producers.js';
import { contextFor } from '../../helpers/project.js';

const at = (s: Span | undefined) => (s ? `${s.file}:${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}` : undefined);

function collect(files: Record<string, string>) {
  const { ctx, problems } = contextFor(files);
  const facts = typescriptProducerSource.collect(ctx);
  return { ...facts, problems: [...problems, ...(facts.problems ?? [])] };
}

function summary(c: CallSite) {
  return {
    kind: c.kind,
    at: at(c.span),
    task: c.task,
    receiver: c.receiver,
    usage: c.resultUsage,
    boundTo: c.boundTo,
    timeout: c.hasTimeout,
    of: c.resultOf ? `${c.resultOf.kind} ${at(c.resultOf.span)}` : undefined,
    name: at(c.producer?.nameSpan),
    serializer: c.producer?.serializer,
    ignoreResult: c.producer?.ignoreResult,
    client: c.producer?.client,
  };
}

describe('typescript producers source', () => {
  it('celery-node: createClient(broker, backend), createTask handles, sendTask, get() and TASK_PROTOCOL', () => {
    const f = collect({
      'svc/celery.ts': [
        "import * as celery from 'celery-node';",
        '',
        'export const client = celery.createClient(',
        "  process.env.BROKER ?? 'redis://redis:6379/0',",
        "  'redis://redis:6379/1',",
        ');',
        'client.conf.TASK_PROTOCOL = 1;',
        '',
      ].join('\n'),
      'svc/use.ts': [
        "import { client } from './celery.js';",
        "const NAME = 'proj.tasks.add';",
        'const add = client.createTask(NAME);',
        '',
        'export async function run() {',
        '  add.delay(1, 2);',
        '  const res = add.applyAsync([1, 2], { z: 3 });',
        '  const v = await res.get(1000);',
        "  const unused = client.sendTask('proj.tasks.mul', [2, 3]);",
        '  return client.asyncResult(v).get();',
        '}',
        '',
      ].join('\n'),
    });
    expect(f.problems).toEqual([]);
    expect(f.producers).toEqual([
      {
        id: 'svc/celery.ts:3:23',
        library: 'celery-node',
        file: 'svc/celery.ts',
        span: { file: 'svc/celery.ts', start: { line: 3, column: 23, offset: 62 }, end: { line: 6, column: 2, offset: 158 } },
        variable: 'client',
        broker: {
          kind: 'env',
          name: 'BROKER',
          default: { kind: 'str', value: 'redis://redis:6379/0', span: expect.objectContaining({ start: { line: 4, column: 25, offset: 107 } }) },
          span: expect.objectContaining({ start: { line: 4, column: 3, offset: 85 }, end: { line: 4, column: 47, offset: 129 } }),
        },
        backend: { kind: 'str', value: 'redis://redis:6379/1', span: expect.objectContaining({ start: { line: 5, column: 3, offset: 133 } }) },
        protocol: 1,
        protocolSpan: { file: 'svc/celery.ts', start: { line: 7, column: 1, offset: 160 }, end: { line: 7, column: 30, offset: 189 } },
      },
    ]);
    const client = 'svc/celery.ts:3:23';
    expect(f.callSites!.map(summary)).toEqual([
      { kind: 'delay', at: 'svc/use.ts:6:3-6:18', task: 'proj.tasks.add', receiver: 'add', usage: 'discarded', boundTo: undefined, timeout: undefined, of: undefined, name: 'svc/use.ts:2:15-2:29', serializer: undefined, ignoreResult: undefined, client },
      { kind: 'apply_async', at: 'svc/use.ts:7:15-7:47', task: 'proj.tasks.add', receiver: 'add', usage: 'assigned', boundTo: 'res', timeout: undefined, of: undefined, name: 'svc/use.ts:2:15-2:29', serializer: undefined, ignoreResult: undefined, client },
      { kind: 'get', at: 'svc/use.ts:8:19-8:32', task: 'proj.tasks.add', receiver: 'res', usage: undefined, boundTo: undefined, timeout: true, of: 'apply_async svc/use.ts:7:15-7:47', name: undefined, serializer: undefined, ignoreResult: undefined, client },
      { kind: 'send_task', at: 'svc/use.ts:9:18-9:59', task: 'proj.tasks.mul', receiver: 'client', usage: 'discarded', boundTo: 'unused', timeout: undefined, of: undefined, name: 'svc/use.ts:9:35-9:49', serializer: undefined, ignoreResult: undefined, client },
      { kind: 'AsyncResult', at: 'svc/use.ts:10:10-10:31', task: undefined, receiver: 'client', usage: 'chained', boundTo: undefined, timeout: undefined, of: undefined, name: undefined, serializer: undefined, ignoreResult: undefined, client },
      { kind: 'get', at: 'svc/use.ts:10:10-10:37', task: undefined, receiver: 'client.asyncResult(v)', usage: undefined, boundTo: undefined, timeout: false, of: 'AsyncResult svc/use.ts:10:10-10:31', name: undefined, serializer: undefined, ignoreResult: undefined, client },
    ]);
    expect(f.callSites!.every((c) => c.language === 'typescript' && Object.keys(c.options).length === 0)).toBe(true);
  });

  it('celery-ts: createClient({brokerUrl, resultBackend}), new Client(...) with factories, applyAsync options', () => {
    const f = collect({
      'reports/q.ts': [
        "import { createClient, Client, createBroker, createBackend, Serializer } from 'celery-ts';",
        "const a = createClient({ brokerUrl: 'amqp://mq//', resultBackend: 'rpc://mq' });",
        "const b = new Client({ id: 'x', brokers: [createBroker('amqp://mq/reports')], backend: createBackend('x', 'redis://r/3') });",
        "a.createTask<number>('proj.tasks.add').applyAsync({ args: [1], kwargs: {}, serializer: Serializer.Yaml, ignoreResult: true });",
        "export const r = b.createTask('proj.tasks.add').applyAsync({ args: [], kwargs: {}, serializer: 'json' });",
        '',
      ].join('\n'),
    });
    expect(f.producers!.map((p) => ({ id: p.id, library: p.library, variable: p.variable, broker: p.broker?.kind === 'str' ? p.broker.value : p.broker, backend: p.backend?.kind === 'str' ? p.backend.value : p.backend }))).toEqual([
      { id: 'reports/q.ts:2:11', library: 'celery-ts', variable: 'a', broker: 'amqp://mq//', backend: 'rpc://mq' },
      { id: 'reports/q.ts:3:11', library: 'celery-ts', variable: 'b', broker: 'amqp://mq/reports', backend: 'redis://r/3' },
    ]);
    expect(f.callSites!.map(summary)).toEqual([
      { kind: 'apply_async', at: 'reports/q.ts:4:1-4:126', task: 'proj.tasks.add', receiver: "a.createTask<number>('proj.tasks.add')", usage: 'discarded', boundTo: undefined, timeout: undefined, of: undefined, name: 'reports/q.ts:4:23-4:37', serializer: 'yaml', ignoreResult: true, client: 'reports/q.ts:2:11' },
      { kind: 'apply_async', at: 'reports/q.ts:5:18-5:105', task: 'proj.tasks.add', receiver: "b.createTask('proj.tasks.add')", usage: 'assigned', boundTo: 'r', timeout: undefined, of: undefined, name: 'reports/q.ts:5:32-5:46', serializer: 'json', ignoreResult: undefined, client: 'reports/q.ts:3:11' },
    ]);
    expect(at(f.callSites![0]!.producer!.serializerSpan)).toBe('reports/q.ts:4:76-4:103');
  });

  it('CommonJS require, class properties and `this.` handles', () => {
    const f = collect({
      'worker.js': [
        "const { createClient: make } = require('celery-node');",
        'class Billing {',
        "  client = make('amqp://mq');",
        '  constructor() {',
        "    this.charge = this.client.createTask('billing.charge');",
        '  }',
        '  run(id) {',
        '    return this.charge.applyAsync([id]);',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(f.producers!.map((p) => [p.id, p.variable, p.backend])).toEqual([['worker.js:3:12', 'this.client', undefined]]);
    expect(f.callSites!.map((c) => [c.kind, c.task, c.receiver, c.resultUsage])).toEqual([['apply_async', 'billing.charge', 'this.charge', 'returned']]);
  });

  it('ignores createTask on objects that are not Celery clients and files without the libraries', () => {
    const f = collect({
      'todo/api.ts': "export const api = { createTask: async (t: string) => t };\n",
      'todo/use.ts': "import { api } from './api';\napi.createTask('buy milk');\n",
      'other/celery.ts': "import { createClient } from 'celery-node';\nconst c = createClient();\nconst fake = { createTask: (n: string) => n };\nfake.createTask('x');\n",
    });
    expect(f.producers!.map((p) => [p.id, p.broker, p.backend])).toEqual([['other/celery.ts:2:11', undefined, undefined]]);
    expect(f.callSites).toEqual([]);
  });

  it('a project without celery-node/celery-ts contributes nothing and records no problem', () => {
    const f = collect({ 'web/app.ts': "import express from 'express';\nexpress().listen(3000);\n", 'web/broken.ts': 'const = ;' });
    expect(f).toEqual({ problems: [] });
  });

  it('survives syntax errors: what parses is still read', () => {
    const f = collect({ 'bad.ts': "import { createClient } from 'celery-ts';\nconst c = createClient({ brokerUrl: 'redis://r' });\nc.createTask('proj.tasks.add').applyAsync({ args: [1, kwargs: {} });\n}}}\n" });
    expect(f.producers!.map((p) => p.id)).toEqual(['bad.ts:2:11']);
    expect(f.callSites!.map((c) => [c.kind, c.task])).toEqual([['apply_async', 'proj.tasks.add']]);
  });
});
