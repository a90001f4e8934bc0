import { buildModel } from '../../../src/sources/build.js';
import type { CallSite, Span, TaskDef } from '../../../src/model/types.js';
import { pythonCodeSource } from '../../../src/sources/python/code.js';
import { writeProject } from '../../helpers/project.js';

/** The linked model of a throwaway project, built with the Python code source only. */
export async function codeModel(files: Record<string, string>) {
  const root = writeProject(files);
  return buildModel(root, [], { sources: [pythonCodeSource] });
}

/** `file:line:col-line:col`, compact enough to assert exact spans in one string. */
export function at(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;
}

export function taskSummary(t: TaskDef) {
  return { name: t.name, decorator: t.decorator, function: t.function, bind: t.bind, options: Object.keys(t.options), at: at(t.span) };
}

export function callSummary(c: CallSite) {
  const out: Record<string, unknown> = { kind: c.kind, receiver: c.receiver, at: at(c.span) };
  for (const k of ['task', 'resultUsage', 'boundTo', 'inTask', 'inFunction', 'hasTimeout', 'inRetry', 'canvas'] as const) {
    if (c[k] !== undefined) out[k] = c[k];
  }
  // delay()/s()/si() carry the task's own arguments as args/kwargs; calls.test.ts checks those separately
  const options = Object.keys(c.options).filter((k) => !(['delay', 's', 'si'].includes(c.kind) && (k === 'args' || k === 'kwargs')));
  if (options.length) out.options = options;
  if (c.resultOf) out.resultOf = `${c.resultOf.kind}@${c.resultOf.span.start.line}${c.resultOf.task ? `:${c.resultOf.task}` : ''}`;
  return out;
}
