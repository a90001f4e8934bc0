import { createRule, type Fix, type RuleContext } from '../../src/engine/types.js';
import type { CallSite, ProjectModel } from '../../src/model/types.js';
import { keywordEdit, location, pythonCalls, readTimeoutNone, sourceCall } from './timeouts.js';

/** Seconds the fix writes: requests and urllib apply it to connecting and to each socket read, not to the whole transfer. */
const FIX_TIMEOUT = 30;

const HANGS = 'the task keeps its worker slot until a time limit, if one applies, ends it';

export default createRule({
  meta: {
    code: 'CEL406',
    name: 'blocking-call-without-timeout-in-task',
    summary: 'An HTTP request without a timeout, or a streamed download read whole into memory, inside a task.',
    why:
      'requests has no default timeout, and urllib.request.urlopen() waits as long as the socket default timeout, ' +
      'which is None unless socket.setdefaulttimeout() was called: a server that accepts the connection and then never ' +
      'answers (or stops sending halfway through the body) blocks the call forever. Inside a task that means a worker ' +
      'slot (a prefork process, a thread or a greenlet) never comes back, and enough of them stop the worker. httpx ' +
      'has a 5 s default (httpx/_config.py: DEFAULT_TIMEOUT_CONFIG = Timeout(timeout=5.0)), so it is reported only ' +
      'with an explicit timeout=None; a `(connect, None)` tuple leaves reads unlimited and is reported too. Second ' +
      'case: requests.get(..., stream=True) followed by response.content or response.text reads the whole body into ' +
      "memory anyway; a download of several hundred MB exceeds the worker's memory limit and the kernel's OOM killer " +
      "SIGKILLs the process (seed 003: \"exited with 'signal 9 (SIGKILL)'\"). Write such a body to a file with " +
      'iter_content(chunk_size=...). `.json()` on a streamed response is not reported: a JSON document has to be parsed ' +
      'whole anyway. Calls in a module-level function of the same file that a task calls by name are reported as ' +
      'the task\'s; other calls outside task bodies are not. The fix adds timeout=30 (connect and per-read, ' +
      'not the whole transfer): a chosen value, so it is unsafe; the streamed-body finding has no automatic fix.',
    example:
      '@app.task\ndef fetch(url, path):\n    r = requests.get(url, stream=True)\n    with open(path, "wb") as f:\n        f.write(r.content)',
    useInstead:
      '@app.task\ndef fetch(url, path):\n    r = requests.get(url, stream=True, timeout=30)\n    with open(path, "wb") as f:\n' +
      '        for chunk in r.iter_content(chunk_size=512 * 1024):\n            f.write(chunk)',
    fixSafety: 'sometimes',
    versions: { description: 'Every release (a property of the HTTP client libraries).' },
    references: [
      'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
      'https://requests.readthedocs.io/en/latest/user/advanced/#body-content-workflow',
      'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen',
      'https://www.python-httpx.org/advanced/timeouts/',
    ],
    defaultSeverity: 'warning',
  },
  check(model, ctx) {
    for (const site of pythonCalls(model, ['http'])) {
      if (site.inTask || site.viaTask) timeoutCheck(ctx, site);
    }
    for (const site of pythonCalls(model, ['http_body'])) {
      if (site.inTask || site.viaTask) bodyCheck(ctx, model, site);
    }
  },
});

function timeoutCheck(ctx: RuleContext, site: CallSite): void {
  const fn = site.target ?? site.receiver;
  const timeout = site.options.timeout?.value;
  const where = `${whereIn(site)}${site.viaTask ? ',' : ''}`;
  if (timeout?.kind === 'none') {
    ctx.report({
      message: `${fn}(..., timeout=None) ${where} disables the client's timeout: a server that accepts the connection and never answers blocks the call forever, and ${HANGS}.`,
      span: site.span,
      fix: fix(site),
    });
    return;
  }
  const openRead = readTimeoutNone(timeout);
  if (openRead) {
    ctx.report({
      message: `${fn}(...) ${where} passes a (connect, read) timeout whose read part is None: a server that stops sending blocks the call forever, and ${HANGS}.`,
      span: site.span,
      fix: openRead.span ? { applicability: 'unsafe', message: `Wait at most ${FIX_TIMEOUT} s for each read`, edits: [{ file: site.file, start: openRead.span.start.offset, end: openRead.span.end.offset, content: String(FIX_TIMEOUT) }] } : undefined,
    });
    return;
  }
  if (site.hasTimeout || fn.startsWith('httpx.')) return;
  const why = fn.endsWith('urlopen')
    ? 'urlopen() without a timeout uses the socket default timeout, None (no limit) unless socket.setdefaulttimeout() was called'
    : 'requests has no default timeout';
  ctx.report({
    message: `${fn}(...) ${where} has no timeout (${why}): a server that accepts the connection and never answers, or stalls mid-body, blocks the call forever, and ${HANGS}.`,
    span: site.span,
    fix: fix(site),
  });
}

function fix(site: CallSite): Fix | undefined {
  const edit = keywordEdit(site, 'timeout', String(FIX_TIMEOUT));
  return edit ? { applicability: 'unsafe', message: `Pass timeout=${FIX_TIMEOUT} (seconds to connect and for each read, not the whole transfer)`, edits: [edit] } : undefined;
}

function bodyCheck(ctx: RuleContext, model: ProjectModel, site: CallSite): void {
  // `.json()` is a call (it has an argument list); `.content` / `.text` are attribute reads
  if (site.argsSpan) return;
  const request = sourceCall(model, site);
  const stream = request?.options.stream?.value;
  if (!request || stream?.kind !== 'bool' || !stream.value || request.target?.startsWith('httpx.')) return;
  ctx.report({
    message:
      `${site.receiver} comes from ${request.target ?? request.receiver}(..., stream=True) (${location(request)}), but reading its body whole here ` +
      `(${whereIn(site)}) loads the entire download into the worker's memory: a body larger than the memory ` +
      `the worker may use gets its process killed by the OOM killer (SIGKILL; seed 003). Write it to a file in chunks with ` +
      `${site.receiver}.iter_content(chunk_size=...).`,
    span: site.span,
    fix: {
      applicability: 'display-only',
      message: `Copy the body in chunks: for chunk in ${site.receiver}.iter_content(chunk_size=512 * 1024): f.write(chunk)`,
      edits: [],
    },
  });
}

/** `in task proj.fetch`, or for a helper a task calls: `in sync(), which task proj.copy calls`. */
function whereIn(site: CallSite): string {
  return site.inTask ? `in task ${site.inTask}` : `in ${site.viaTask!.helper}(), which task ${site.viaTask!.task} calls`;
}
