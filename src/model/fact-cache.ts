import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';
import type { DiscoveredFile } from '../discover/walk.js';
import type { JobResult } from './parallel.js';
import type { ParseProblem, Span } from './types.js';

/** The folder, in the project root, that holds the cache (discovery skips it). */
export const CACHE_DIR = '.celery-lint-cache';
// Bumped when the layout of a cache file changes.
const FORMAT = 4;
// A file changed less than this long before it was recorded might change again within its timestamp's
// granularity without a new mtime (git's "racy clean" case): such an entry is checked by content next time.
const RACY_MS = 1000;

export interface FactCacheStats {
  /** Files whose facts (or whose pre-filter miss) were taken from the cache without reading them. */
  statHits: number;
  /** Files read and found unchanged by content hash. */
  hashHits: number;
  /** Files analysed (again). */
  misses: number;
  /** Entries that were unreadable and computed again. */
  corrupt: number;
}

/** What one namespace remembers of one file. */
interface Meta {
  p: string;
  /** size, mtimeMs, ctimeMs when recorded, and when it was recorded */
  s: number;
  m: number;
  c: number;
  t: number;
  /** the salt (hashed when long) */
  k: string;
  /** digest of the header the line was written under: an append by another version of the tool is not trusted */
  v: string;
  /** hash of the text, or null when the pre-filter turned the file down */
  h: string | null;
}

interface Entry {
  meta: Meta;
  /** The encoded `{ value, problems }`, empty when h is null. */
  facts: string;
}

export type Probe<T> =
  | { kind: 'hit'; value: T; problems: ParseProblem[] }
  | { kind: 'skip' }
  | { kind: 'miss'; text: string; finish: (value: T, problems: ParseProblem[]) => void };

/** How a source picks and analyses one file (see SourceContext.memo). */
export interface FactRequest<T> {
  namespace: string;
  file: DiscoveredFile;
  salt: string;
  /** The text, or undefined when it cannot be read. */
  read: () => string | undefined;
  /** The cheap pre-filter: false means the file cannot contribute. */
  filter: (text: string) => boolean;
  compute: () => T;
  /** Where problems found while computing are recorded (replayed on a hit). */
  problems: ParseProblem[];
  /** False when the text may differ from the file on disk (an in-memory edit): size and times prove nothing then. */
  trustStat: boolean;
}

/**
 * Per-file facts on disk, one file per namespace (`facts-<namespace>.jsonl`): a header line, then a line per file
 * (`meta<TAB>facts`). A file whose size and times are those recorded is not even read (as git's index does); one
 * whose times changed is read and hashed, and analysed again only when its text, path or salt (whatever else the
 * facts depend on, e.g. the module name) changed. The header holds the tool version and a stamp of the code that
 * computes facts, so an upgrade or an edited checkout starts afresh.
 *
 * Safe by construction: a cache file is written to a temporary name and renamed over the old one, so a concurrent
 * run reads either version whole; a line that does not parse is computed again; no I/O error escapes (the cache is
 * then simply not used).
 */
export class FactCache {
  readonly stats: FactCacheStats = { statHits: 0, hashHits: 0, misses: 0, corrupt: 0 };
  private readonly stored = new Map<string, Map<string, Entry>>();
  private readonly used = new Map<string, Map<string, Entry>>();
  /** Per namespace, the files whose entries this run changed or added (appended on save). */
  private readonly changed = new Map<string, Set<string>>();
  /** Per namespace, how many entry lines the file had when read, and whether it can be appended to. */
  private readonly loaded = new Map<string, { lines: number; appendable: boolean }>();
  private readonly saltHashes = new Map<string, string>();
  private readonly header: string;
  private readonly headerDigest: string;
  private readonly started = Date.now();

  /** `racyMs`: see RACY_MS (tests, which cannot set a file's ctime back, make it 0). */
  constructor(
    readonly dir: string,
    private readonly racyMs = RACY_MS,
  ) {
    this.header = JSON.stringify({ tool: 'celery-lint', format: FORMAT, version: VERSION, code: codeStamp() });
    this.headerDigest = digest(this.header);
  }

  /** The file's facts (undefined: unreadable, or turned down by the filter), from the cache when unchanged. */
  lookup<T>(r: FactRequest<T>): T | undefined {
    const found = this.probe<T>(r);
    if (found.kind === 'skip') return undefined;
    if (found.kind === 'hit') {
      r.problems.push(...found.problems);
      return found.value;
    }
    // Problems recorded while computing (syntax errors found by the parse) belong to the file: they are replayed on a hit.
    const before = r.problems.length;
    const value = r.compute();
    found.finish(value, r.problems.slice(before));
    return value;
  }

  /**
   * What the cache knows of a file without computing: its facts and problems (`hit`), that it cannot be read or the
   * filter turns it down (`skip`), or its text, to be analysed and handed to `finish` (`miss`).
   */
  probe<T>(r: Omit<FactRequest<T>, 'compute' | 'problems'>): Probe<T> {
    const { namespace, file } = r;
    const old = this.storedOf(namespace).get(file.path);
    const k = this.saltHash(r.salt);
    let same = old !== undefined && old.meta.k === k;
    if (old && same && r.trustStat && unchangedOnDisk(old.meta, file, this.racyMs)) {
      if (old.meta.h === null) {
        this.stats.statHits++;
        this.usedOf(namespace).set(file.path, old);
        return { kind: 'skip' };
      }
      const stored = decode<JobResult<T>>(old.facts, file.path);
      if (stored && Array.isArray(stored.problems)) {
        this.stats.statHits++;
        this.usedOf(namespace).set(file.path, old);
        return { kind: 'hit', value: stored.value, problems: stored.problems };
      }
      this.stats.corrupt++;
      same = false;
    }
    const text = r.read();
    if (text === undefined) return { kind: 'skip' };
    const meta: Meta = { p: file.path, s: file.size, m: file.mtimeMs ?? -1, c: file.ctimeMs ?? -1, t: this.started, k, v: this.headerDigest, h: null };
    if (!r.filter(text)) {
      this.record(namespace, { meta, facts: '' }, old);
      return { kind: 'skip' };
    }
    meta.h = createHash('sha1').update(text).digest('base64url');
    if (old && same && old.meta.h === meta.h) {
      const stored = decode<JobResult<T>>(old.facts, file.path);
      if (stored && Array.isArray(stored.problems)) {
        this.stats.hashHits++;
        this.record(namespace, { meta, facts: old.facts }, old);
        return { kind: 'hit', value: stored.value, problems: stored.problems };
      }
      this.stats.corrupt++;
    }
    this.stats.misses++;
    return {
      kind: 'miss',
      text,
      // Encoded at once: callers may change the facts later in the run (config sources get resolved in place).
      finish: (value, problems) => this.record(namespace, { meta, facts: encode({ value, problems }, file.path) }, undefined),
    };
  }

  /**
   * Writes what changed. A run that changed a few files (pre-commit) appends their lines to the namespace's file
   * (later lines win when it is read) instead of rewriting megabytes; the file is rewritten, keeping only the files
   * this run looked at, once superseded lines would make up a third of it.
   */
  save(): void {
    for (const [namespace, used] of this.used) {
      const changed = this.changed.get(namespace);
      const stored = this.storedOf(namespace);
      if (!changed?.size && used.size === stored.size) continue;
      const loaded = this.loaded.get(namespace);
      const lines = (changed ? [...changed] : []).map((p) => this.line(used.get(p)!));
      if (loaded?.appendable && loaded.lines + lines.length <= 1.5 * used.size + 64) {
        if (lines.length) this.append(this.fileOf(namespace), `${lines.join('\n')}\n`);
        loaded.lines += lines.length;
        continue;
      }
      const all = [this.header];
      for (const e of used.values()) all.push(this.line(e));
      this.write(this.fileOf(namespace), `${all.join('\n')}\n`);
    }
    this.changed.clear();
  }

  private line(e: Entry): string {
    return `${metaText(e.meta)}\t${e.facts}`;
  }

  private record(namespace: string, entry: Entry, old: Entry | undefined): void {
    this.usedOf(namespace).set(entry.meta.p, entry);
    const o = old?.meta;
    const m = entry.meta;
    if (!o || o.s !== m.s || o.m !== m.m || o.c !== m.c || o.k !== m.k || o.h !== m.h || o.t !== m.t) {
      let set = this.changed.get(namespace);
      if (!set) this.changed.set(namespace, (set = new Set()));
      set.add(m.p);
    }
  }

  private saltHash(salt: string): string {
    // Salts are short (a module name and a digest, see `digest`); only a long one is hashed.
    if (salt.length <= 256) return salt;
    let h = this.saltHashes.get(salt);
    if (h === undefined) {
      h = digest(salt);
      this.saltHashes.set(salt, h);
    }
    return h;
  }

  private fileOf(namespace: string): string {
    return path.join(this.dir, `facts-${namespace}.jsonl`);
  }

  private usedOf(namespace: string): Map<string, Entry> {
    let used = this.used.get(namespace);
    if (!used) this.used.set(namespace, (used = new Map()));
    return used;
  }

  private storedOf(namespace: string): Map<string, Entry> {
    let stored = this.stored.get(namespace);
    if (stored) return stored;
    stored = new Map();
    this.stored.set(namespace, stored);
    let text: string;
    try {
      text = fs.readFileSync(this.fileOf(namespace), 'utf8');
    } catch {
      return stored;
    }
    const lines = text.split('\n');
    if (lines[0] !== this.header) return stored;
    // A file cut short (a run killed while appending) is rewritten rather than appended to.
    this.loaded.set(namespace, { lines: lines.length - 2, appendable: text.endsWith('\n') });
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      const read = parseMeta(line);
      if (!read || read.meta.v !== this.headerDigest) {
        this.stats.corrupt++;
        continue;
      }
      stored.set(read.meta.p, { meta: read.meta, facts: line.slice(read.factsAt) });
    }
    return stored;
  }

  /** One write with O_APPEND: concurrent runs' lines do not interleave, and each line is checked when read. */
  private append(file: string, text: string): void {
    try {
      fs.appendFileSync(file, text);
    } catch {
      /* as in write: the cache is then just not used */
    }
  }

  private write(file: string, text: string): void {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const ignore = path.join(this.dir, '.gitignore');
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# written by celery-lint\n*\n');
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    } catch {
      // A read-only checkout or a full disk costs the next run its speed, not its result.
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* nothing more to do */
      }
    }
  }
}

function unchangedOnDisk(meta: Meta, file: DiscoveredFile, racyMs: number): boolean {
  if (file.mtimeMs === undefined || file.ctimeMs === undefined) return false;
  return meta.s === file.size && meta.m === file.mtimeMs && meta.c === file.ctimeMs && Math.max(meta.m, meta.c) < meta.t - racyMs;
}

/*
 * A line is `path, size, mtime, ctime, recorded, salt, header digest, hash` and the facts, tab-separated: splitting
 * 10,000 lines is several times faster than JSON-parsing their metadata, and a pre-commit run reads them all.
 * Paths and salts escape backslash, tab and line breaks; the facts are JSON, which has no raw tab or line break.
 */
function metaText(m: Meta): string {
  return `${escape(m.p)}\t${m.s}\t${m.m}\t${m.c}\t${m.t}\t${escape(m.k)}\t${m.v}\t${m.h ?? ''}`;
}

function parseMeta(line: string): { meta: Meta; factsAt: number } | undefined {
  // indexOf and slice, no intermediate arrays: this runs for every file of the project on every run.
  const t1 = line.indexOf('\t');
  const t2 = line.indexOf('\t', t1 + 1);
  const t3 = line.indexOf('\t', t2 + 1);
  const t4 = line.indexOf('\t', t3 + 1);
  const t5 = line.indexOf('\t', t4 + 1);
  const t6 = line.indexOf('\t', t5 + 1);
  const t7 = line.indexOf('\t', t6 + 1);
  const t8 = line.indexOf('\t', t7 + 1);
  if (t1 < 0 || t2 < 0 || t3 < 0 || t4 < 0 || t5 < 0 || t6 < 0 || t7 < 0 || t8 < 0) return undefined;
  const s = num(line.slice(t1 + 1, t2));
  const m = num(line.slice(t2 + 1, t3));
  const c = num(line.slice(t3 + 1, t4));
  const t = num(line.slice(t4 + 1, t5));
  if (Number.isNaN(s) || Number.isNaN(m) || Number.isNaN(c) || Number.isNaN(t)) return undefined;
  const h = line.slice(t7 + 1, t8);
  const meta: Meta = { p: unescape(line.slice(0, t1)), s, m, c, t, k: unescape(line.slice(t5 + 1, t6)), v: line.slice(t6 + 1, t7), h: h === '' ? null : h };
  return { meta, factsAt: t8 + 1 };
}

function num(text: string): number {
  return text === '' ? Number.NaN : Number(text);
}

const SPECIAL = /[\\\t\n\r]/;

function escape(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (_, ch: string) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
}

/** A short digest of a long text, for salts that depend on the whole project (e.g. its top-level packages). */
export function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 16);
}

/** The cache of a project root. */
export function openFactCache(root: string): FactCache {
  return new FactCache(path.join(root, CACHE_DIR));
}

// JSON has no Infinity, NaN or -0 (all reachable through constant folding of `10 ** 400` or `-0`): tag them.
const TAG = '$celery-lint-num';
// Spans are most of the facts: `{file, start: {line, column, offset}, end: {…}}` is written as
// `{"$s": [line, column, offset, line, column, offset]}` (plus the file when it is not the entry's own), which halves
// the cache and the time a run spends parsing it.
const SPAN = '$s';

export function encode(value: unknown, file?: string): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return !Number.isFinite(v) || Object.is(v, -0) ? { [TAG]: Object.is(v, -0) ? '-0' : String(v) } : v;
    if (isSpan(v)) {
      const a: (number | string)[] = [v.start.line, v.start.column, v.start.offset, v.end.line, v.end.column, v.end.offset];
      if (v.file !== file) a.push(v.file);
      return { [SPAN]: a };
    }
    return v;
  });
}

/** The value, or undefined when the text is not what `encode` writes. */
export function decode<T>(text: string, file?: string): T | undefined {
  try {
    const value: unknown = !text.includes(TAG)
      ? JSON.parse(text)
      : JSON.parse(text, (_key, v: unknown) => {
          if (v && typeof v === 'object' && !Array.isArray(v)) {
            const tagged = (v as Record<string, unknown>)[TAG];
            if (typeof tagged === 'string' && Object.keys(v).length === 1) return Number(tagged);
          }
          return v;
        });
    return (text.includes(`"${SPAN}"`) ? expandSpans(value, file) : value) as T;
  } catch {
    return undefined;
  }
}

function isSpan(v: unknown): v is Span {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<Span>;
  return typeof s.file === 'string' && isPosition(s.start) && isPosition(s.end) && Object.keys(v).length === 3;
}

function isPosition(p: unknown): p is Span['start'] {
  return !!p && typeof (p as Span['start']).offset === 'number' && typeof (p as Span['start']).line === 'number' && typeof (p as Span['start']).column === 'number';
}

/** Turns the `{"$s": […]}` of `encode` back into spans, in place. */
function expandSpans(v: unknown, file: string | undefined): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = expandSpans(v[i], file);
    return v;
  }
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const a = o[SPAN];
  if (Array.isArray(a)) {
    const f = a.length > 6 ? a[6] : file;
    if (typeof f !== 'string') throw new Error('a span without a file');
    return { file: f, start: { line: a[0], column: a[1], offset: a[2] }, end: { line: a[3], column: a[4], offset: a[5] } };
  }
  for (const k in o) o[k] = expandSpans(o[k], file);
  return o;
}

let stamp: string | undefined;

/**
 * Sizes and times of the modules that compute facts (parsing and the Python sources): a checkout whose code
 * changed while its version did not must not read facts the old code produced.
 * In the bundle (scripts/bundle.ts) this module is dist/bundle/celery-lint.cjs: the stamp covers the files of
 * dist/bundle, and the sibling folders do not exist.
 */
function codeStamp(): string {
  if (stamp !== undefined) return stamp;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha1');
  for (const dir of [here, path.join(here, '..', 'parse'), path.join(here, '..', 'sources', 'python')]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        const st = fs.statSync(path.join(dir, name));
        hash.update(`${name}:${st.size}:${st.mtimeMs}\n`);
      } catch {
        /* gone since the listing: leave it out */
      }
    }
  }
  stamp = hash.digest('base64url');
  return stamp;
}
