import rule from '../../../rules/timeouts/CEL406-blocking-call-without-timeout-in-task.js';
import { ruleTester } from '../../rule-tester.js';

const task = (imports: string, body: string) => `${imports}\nfrom app import app\n\n\n@app.task\ndef fetch(url, path):\n${body}`;
const REQ = 'import requests\n';
const HANGS = 'blocks the call forever, and the task keeps its worker slot until a time limit, if one applies, ends it.';

ruleTester(rule, {
  valid: [
    { name: 'a helper no task calls (a view helper)', filename: 'views.py', code: 'import requests\n\n\ndef sync(url):\n    return requests.post(url)\n\n\ndef view(request):\n    return sync(request.url)\n' },
    { name: 'requests with a timeout', filename: 'tasks.py', code: task(REQ, '    return requests.get(url, timeout=10).json()\n') },
    { name: 'httpx has a 5 s default timeout', filename: 'tasks.py', code: task('import httpx\n', '    return httpx.get(url).text\n') },
    { name: 'an httpx client: default timeout too', filename: 'tasks.py', code: task('import httpx\n', '    with httpx.Client() as c:\n        return c.get(url).text\n') },
    { name: 'outside a task body', filename: 'client.py', code: `${REQ}\n\ndef fetch(url):\n    return requests.get(url).text\n` },
    { name: 'timeout through **kwargs', filename: 'tasks.py', code: task(REQ, '    opts = {"timeout": 5}\n    return requests.get(url, **opts).text\n') },
    { name: 'urlopen with a positional timeout', filename: 'tasks.py', code: task('from urllib.request import urlopen\n', '    return urlopen(url, None, 10).read()\n') },
    {
      name: 'seed 003 fixed: stream=True written with iter_content',
      filename: 'tasks.py',
      code: task(REQ, '    r = requests.get(url, stream=True, timeout=300)\n    with open(path, "wb") as f:\n        for chunk in r.iter_content(chunk_size=512 * 1024):\n            f.write(chunk)\n'),
    },
    { name: '.content without stream=True is not this rule\'s case', filename: 'tasks.py', code: task(REQ, '    return requests.get(url, timeout=5).content\n') },
    { name: '.json() of a streamed response (parsed whole anyway)', filename: 'tasks.py', code: task(REQ, '    r = requests.get(url, stream=True, timeout=5)\n    return r.json()\n') },
  ],
  invalid: [
    {
      // makeplane/plane: copy_s3_objects calls sync_with_external_service, whose requests.post has no timeout
      name: 'a helper of the same module that a task calls',
      filename: 'tasks.py',
      code: "import requests\nfrom app import app\n\n\ndef sync(url, data):\n    return requests.post(url, json=data)\n\n\n@app.task\ndef copy(url):\n    return sync(url, {}).status_code\n",
      errors: [
        {
          line: 6, column: 12, endLine: 6, endColumn: 41, severity: 'warning',
          messageExact: `requests.post(...) in sync(), which task tasks.copy calls, has no timeout (requests has no default timeout): a server that accepts the connection and never answers, or stalls mid-body, ${HANGS}`,
        },
      ],
      unsafe: true,
      output: "import requests\nfrom app import app\n\n\ndef sync(url, data):\n    return requests.post(url, json=data, timeout=30)\n\n\n@app.task\ndef copy(url):\n    return sync(url, {}).status_code\n",
    },
    {
      name: 'requests.get without timeout',
      filename: 'tasks.py',
      code: task(REQ, '    return requests.get(url).text\n'),
      errors: [
        {
          line: 8, column: 12, endLine: 8, endColumn: 29, severity: 'warning',
          messageExact: `requests.get(...) in task tasks.fetch has no timeout (requests has no default timeout): a server that accepts the connection and never answers, or stalls mid-body, ${HANGS}`,
        },
      ],
      unsafe: true,
      output: task(REQ, '    return requests.get(url, timeout=30).text\n'),
    },
    {
      name: 'seed 003: stream=True without timeout, then .content',
      filename: 'tasks.py',
      code: task(REQ, "    r = requests.get(url, allow_redirects=True, stream=True)\n    open(path, 'wb+').write(r.content)\n"),
      errors: [
        { line: 8, column: 9, endLine: 8, endColumn: 61, message: 'requests.get(...) in task tasks.fetch has no timeout' },
        {
          line: 9, column: 29, endLine: 9, endColumn: 38,
          messageExact:
            "r comes from requests.get(..., stream=True) (tasks.py:8), but reading its body whole here (in task tasks.fetch) loads the entire download into the worker's memory: a body larger than the memory the worker may use gets its process killed by the OOM killer (SIGKILL; seed 003). Write it to a file in chunks with r.iter_content(chunk_size=...).",
        },
      ],
      unsafe: true,
      output: task(REQ, "    r = requests.get(url, allow_redirects=True, stream=True, timeout=30)\n    open(path, 'wb+').write(r.content)\n"),
    },
    {
      name: 'explicit timeout=None on httpx is reported, and the None replaced',
      filename: 'tasks.py',
      code: task('import httpx\n', '    return httpx.get(url, timeout=None).text\n'),
      errors: [{ line: 8, column: 12, endLine: 8, endColumn: 40, messageExact: `httpx.get(..., timeout=None) in task tasks.fetch disables the client's timeout: a server that accepts the connection and never answers ${HANGS}` }],
      unsafe: true,
      output: task('import httpx\n', '    return httpx.get(url, timeout=30).text\n'),
    },
    {
      name: 'a requests session, multi-line call with a trailing comma',
      filename: 'tasks.py',
      code: task(REQ, '    s = requests.Session()\n    return s.post(\n        url,\n        data={},\n    ).text\n'),
      errors: [{ line: 9, column: 12, endLine: 12, endColumn: 6, message: 'requests.Session.post(...) in task tasks.fetch has no timeout' }],
      unsafe: true,
      output: task(REQ, '    s = requests.Session()\n    return s.post(\n        url,\n        data={}, timeout=30,\n    ).text\n'),
    },
    {
      name: 'multi-line call with positional arguments only: no automatic fix',
      filename: 'tasks.py',
      code: task(REQ, '    return requests.get(\n        url,\n    ).text\n'),
      errors: [{ line: 8, column: 12, endLine: 10, endColumn: 6 }],
      unsafe: true,
      output: null,
    },
    {
      name: 'a (connect, None) tuple leaves reads unlimited',
      filename: 'tasks.py',
      code: task(REQ, '    return requests.get(url, timeout=(3.05, None)).text\n'),
      errors: [{ line: 8, column: 12, endLine: 8, endColumn: 51, message: 'passes a (connect, read) timeout whose read part is None' }],
      unsafe: true,
      output: task(REQ, '    return requests.get(url, timeout=(3.05, 30)).text\n'),
    },
    {
      name: 'urlopen without timeout',
      filename: 'tasks.py',
      code: task('import urllib.request\n', '    return urllib.request.urlopen(url).read()\n'),
      errors: [
        {
          line: 8, column: 12, endLine: 8, endColumn: 39,
          message: 'urllib.request.urlopen(...) in task tasks.fetch has no timeout (urlopen() without a timeout uses the socket default timeout, None (no limit) unless socket.setdefaulttimeout() was called)',
        },
      ],
      unsafe: true,
      output: task('import urllib.request\n', '    return urllib.request.urlopen(url, timeout=30).read()\n'),
    },
  ],
});
