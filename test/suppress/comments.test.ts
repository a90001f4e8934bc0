import { beforeAll, describe, expect, it } from 'vitest';
import { commentsOf, lineComments, lineCommentStyle, type Comment } from '../../src/parse/comments.js';
import { initPython } from '../../src/parse/python.js';

beforeAll(async () => {
  await initPython();
});

/** [line, column, end column, text] of each comment. */
const brief = (cs: Comment[]) => cs.map((c) => [c.span.start.line, c.span.start.column, c.span.end.column, c.text]);

describe('comments', () => {
  it('Python comments come from the syntax tree, never from strings', () => {
    const text = 'x = 1  # noqa: CEL101\ns = "# not a comment"\n    # indented\nt = """\n# in a docstring\n"""\n';
    const cs = commentsOf('python', 'a.py', text);
    expect(brief(cs)).toEqual([
      [1, 8, 22, '# noqa: CEL101'],
      [3, 5, 15, '# indented'],
    ]);
    expect(cs[0]!.gapStart).toBe(5);
    expect(cs[0]!.span.start.offset).toBe(7);
  });

  it('a CRLF file keeps the carriage return out of the comment', () => {
    expect(brief(commentsOf('python', 'a.py', 'x = 1  # noqa\r\ny = 2\r\n'))).toEqual([[1, 8, 14, '# noqa']]);
    expect(brief(commentsOf('procfile', 'Procfile', 'worker: celery worker # noqa\r\n'))).toEqual([[1, 23, 29, '# noqa']]);
  });

  it('YAML comments come from the CST, not from block scalars', () => {
    const text = '# top\nservices:\n  worker:\n    command: celery worker  # noqa: CEL301\n    entrypoint: |\n      # shell text\n      run\n';
    expect(brief(commentsOf('compose', 'docker-compose.yml', text))).toEqual([
      [1, 1, 6, '# top'],
      [4, 29, 43, '# noqa: CEL301'],
    ]);
  });

  it('shell-like files: a # after whitespace and outside quotes', () => {
    const text = 'celery worker -Q a#b\necho "x # y" # real\n#!/bin/sh\nfoo \\# bar\n';
    expect(brief(commentsOf('shell', 'run.sh', text))).toEqual([
      [2, 14, 20, '# real'],
      [3, 1, 10, '#!/bin/sh'],
    ]);
    expect(brief(commentsOf('dotenv', '.env', "BROKER_URL='redis://h/0#x' # noqa\nA=1#2\n"))).toEqual([[1, 28, 34, '# noqa']]);
  });

  it('systemd and redis.conf have only full-line comments', () => {
    const unit = '[Service]\n# noqa: CEL301\nExecStart=/usr/bin/celery worker # noqa\n';
    expect(brief(commentsOf('systemd', 'w.service', unit))).toEqual([[2, 1, 15, '# noqa: CEL301']]);
    expect(brief(commentsOf('redis.conf', 'redis.conf', 'save 900 1 # x\n  # y\n'))).toEqual([[2, 3, 6, '# y']]);
  });

  it('supervisor: ; or # lines, and ; after whitespace', () => {
    const ini = '; top\n[program:w]\ncommand=celery worker ; noqa: CEL301\n# hash line\nenv=A="x;y"\n';
    expect(brief(commentsOf('supervisor', 'w.conf', ini))).toEqual([
      [1, 1, 6, '; top'],
      [3, 23, 37, '; noqa: CEL301'],
      [4, 1, 12, '# hash line'],
    ]);
  });

  it('kinds without comments give none', () => {
    expect(commentsOf('poetry.lock', 'poetry.lock', '# x\n')).toEqual([]);
    expect(lineCommentStyle('uv.lock')).toBeUndefined();
    expect(lineComments('f', '', { fullLine: '#', inline: '#', quotes: true })).toEqual([]);
  });
});
