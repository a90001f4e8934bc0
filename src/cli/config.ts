import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { LineIndex } from '../parse/span.js';
import { UsageError } from './io.js';

export const OUTPUT_FORMATS = ['text', 'concise', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The configuration, keys camel-cased; lists are empty (not undefined) when not given, except `select`. */
export interface Config {
  /** Undefined: every rule. */
  select?: string[];
  ignore: string[];
  extendSelect: string[];
  /** Glob (relative to the project root; without a `/` it matches the file name anywhere) → codes or prefixes. */
  perFileIgnores: Record<string, string[]>;
  /** gitignore-style patterns of files not to analyse. */
  exclude: string[];
  targetVersion?: string;
  currentVersion?: string;
  /** Per-rule options: code → option name → value. */
  rules: Record<string, Record<string, unknown>>;
  outputFormat?: OutputFormat;
}

export interface LoadedConfig {
  /** The file it came from, relative to the root (`pyproject.toml`, `.celery-lint.yaml`). */
  file: string;
  config: Config;
}

/**
 * A configuration that cannot be used. A UsageError, so the CLI prints the message (which names the file and
 * the key) and exits 2.
 */
export class ConfigError extends UsageError {}

const YAML_FILES = ['.celery-lint.yaml', '.celery-lint.yml'];
const KEYS = ['select', 'ignore', 'extend-select', 'per-file-ignores', 'exclude', 'target-version', 'current-version', 'rules', 'output-format'];
const CODE_OR_PREFIX = /^(ALL|CEL\d{0,3})$/i;
const CODE = /^CEL\d{3}$/i;
const VERSION = /^\d+(\.\d+){0,2}$/;

/**
 * The configuration at the project root: `.celery-lint.yaml` / `.celery-lint.yml` if present (it wins over
 * pyproject.toml), else `[tool.celery-lint]` in `pyproject.toml`; undefined when there is none.
 */
export function loadConfig(root: string): LoadedConfig | undefined {
  const yamls = YAML_FILES.filter((f) => fs.existsSync(path.join(root, f)));
  if (yamls.length > 1) throw new ConfigError(`celery-lint: both ${yamls.join(' and ')} exist; keep one`);
  const file = yamls[0] ?? (fs.existsSync(path.join(root, 'pyproject.toml')) ? 'pyproject.toml' : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, file), 'utf8');
  } catch (e) {
    throw new ConfigError(`celery-lint: ${file}: cannot read: ${(e as Error).message}`);
  }
  const config = parseConfig(text, file);
  return config ? { file, config } : undefined;
}

/**
 * Parses a configuration file's text; `file` is its name (a name ending in `.toml` is read as pyproject.toml,
 * anything else as YAML). Undefined for a pyproject.toml without `[tool.celery-lint]`.
 */
export function parseConfig(text: string, file: string): Config | undefined {
  if (file.endsWith('.toml')) {
    const doc = readToml(text, file);
    const tool = doc.tool;
    if (tool === undefined) return undefined;
    if (!isTable(tool)) throw new ConfigError(`celery-lint: ${file}: [tool]: expected a table`);
    const section = tool['celery-lint'];
    if (section === undefined) return undefined;
    return validate(section, file, 'table', '[tool.celery-lint]');
  }
  const raw = readYaml(text, file);
  return validate(raw ?? {}, file, 'mapping', '');
}

function readToml(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const what = (e.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
      throw new ConfigError(`celery-lint: ${file}:${e.line}:${e.column}: invalid TOML: ${what}`);
    }
    throw new ConfigError(`celery-lint: ${file}: invalid TOML: ${(e as Error).message}`);
  }
}

function readYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const p = new LineIndex(text).position(err.pos[0]);
    throw new ConfigError(`celery-lint: ${file}:${p.line}:${p.column}: invalid YAML: ${err.message}`);
  }
  return doc.toJS();
}

function isTable(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function schema(word: 'table' | 'mapping') {
  const codes = () =>
    z.array(
      z.string({ error: 'expected a string' }).regex(CODE_OR_PREFIX, { error: (iss) => `${JSON.stringify(iss.input)} is not a rule code or prefix (like CEL101, CEL1 or ALL)` }),
      { error: 'expected an array of strings' },
    );
  const strings = z.array(z.string({ error: 'expected a string' }), { error: 'expected an array of strings' });
  const version = z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `expected a version string like "5.4", got the number ${iss.input}: quote it (5.10 unquoted is 5.1)`
          : 'expected a version string like "5.4"',
    })
    .regex(VERSION, { error: (iss) => `${JSON.stringify(iss.input)} is not a version like "5.4" or "4.4.7"` });
  return z.strictObject(
    {
      select: codes().optional(),
      ignore: codes().optional(),
      'extend-select': codes().optional(),
      'per-file-ignores': z.record(z.string(), codes(), { error: `expected a ${word} of glob → codes` }).optional(),
      exclude: strings.optional(),
      'target-version': version.optional(),
      'current-version': version.optional(),
      rules: z
        .record(
          z.string().regex(CODE, { error: (iss) => `${JSON.stringify(iss.input)} is not a rule code (like CEL101)` }),
          z.record(z.string(), z.unknown(), { error: `expected a ${word} of rule options` }),
          { error: `expected a ${word} of rule code → options` },
        )
        .optional(),
      'output-format': z.enum(OUTPUT_FORMATS, { error: `expected one of ${OUTPUT_FORMATS.join(', ')}` }).optional(),
    },
    { error: `expected a ${word}` },
  );
}

function validate(raw: unknown, file: string, word: 'table' | 'mapping', prefix: string): Config {
  const r = schema(word).safeParse(raw);
  if (!r.success) {
    const lines: string[] = [];
    for (const issue of r.error.issues) {
      const at = keyPath(prefix, issue.path);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) lines.push(`celery-lint: ${file}: ${keyPath(prefix, [...issue.path, key])}: ${unknownKey(key, issue.path.length === 0)}`);
      } else if (issue.code === 'invalid_key') {
        lines.push(`celery-lint: ${file}: ${at}: ${issue.issues[0]?.message ?? issue.message}`);
      } else {
        lines.push(`celery-lint: ${file}: ${at || '(top level)'}: ${issue.message}`);
      }
    }
    throw new ConfigError(lines.join('\n'));
  }
  const c = r.data;
  return {
    select: c.select?.map(upper),
    ignore: (c.ignore ?? []).map(upper),
    extendSelect: (c['extend-select'] ?? []).map(upper),
    perFileIgnores: Object.fromEntries(Object.entries(c['per-file-ignores'] ?? {}).map(([glob, cs]) => [glob, cs.map(upper)])),
    exclude: c.exclude ?? [],
    targetVersion: c['target-version'],
    currentVersion: c['current-version'],
    rules: Object.fromEntries(Object.entries(c.rules ?? {}).map(([code, options]) => [upper(code), options])),
    outputFormat: c['output-format'],
  };
}

const upper = (s: string) => s.toUpperCase();

function unknownKey(key: string, topLevel: boolean): string {
  if (!topLevel) return 'unknown key';
  const kebab = key.replace(/_/g, '-').toLowerCase();
  if (kebab !== key && KEYS.includes(kebab)) return `unknown key; did you mean ${kebab}?`;
  return `unknown key (expected one of: ${KEYS.join(', ')})`;
}

/** `[tool.celery-lint].per-file-ignores."tests/*.py"[0]` for TOML, `per-file-ignores."tests/*.py"[0]` for YAML. */
function keyPath(prefix: string, parts: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const s = String(p);
      const key = /^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s);
      out += out ? `.${key}` : key;
    }
  }
  return out;
}

export interface Selection {
  select?: string[];
  ignore: string[];
}

/**
 * Rule selection from the configuration and the command line, as Ruff does it: a --select on the command line
 * replaces the configured select and ignore; --ignore and --extend-select add to the configured ones.
 */
export function resolveSelection(config: Config | undefined, cli: { select?: string[]; ignore?: string[]; extendSelect?: string[] }): Selection {
  const extend = [...(cli.select ? [] : config?.extendSelect ?? []), ...(cli.extendSelect ?? [])].map(upper);
  const base = cli.select?.map(upper) ?? config?.select;
  const ignore = [...(cli.select ? [] : config?.ignore ?? []), ...(cli.ignore ?? []).map(upper)];
  // An empty select means "every rule" to the engine, so extending it must start from ALL.
  const select = extend.length ? [...(base && base.length ? base : ['ALL']), ...extend] : base;
  return { select, ignore };
}

/**
 * A test for per-file-ignores: whether `code` is ignored in `file` (relative to the root, forward slashes).
 * A pattern without a `/` matches the file name in any folder, as in Ruff.
 */
export function perFileIgnored(config: Config | undefined): (file: string, code: string) => boolean {
  const entries = Object.entries(config?.perFileIgnores ?? {}).map(([glob, codes]) => {
    const pattern = glob.replace(/^\.\//, '');
    const test = picomatch(pattern, { dot: true });
    // picomatch's own `basename` option also applies it to patterns with a slash, so it is done here.
    const match = pattern.includes('/') ? test : (file: string) => test(path.posix.basename(file));
    return { match, codes };
  });
  return (file, code) => entries.some((e) => e.match(file) && e.codes.some((c) => c === 'ALL' || code.toUpperCase().startsWith(c)));
}

/**
 * The configuration for a run started in `start` (a folder): the nearest folder, from `start` upward, with a
 * `.celery-lint.yaml`/`.yml` or a pyproject.toml that has `[tool.celery-lint]`, as Ruff looks for its own.
 * The search stops at the top of the repository (a folder with `.git`), so a stray file above the checkout is
 * never read. `dir` is where the configuration was found: the project root of the run.
 */
export function findConfig(start: string): { dir: string; loaded: LoadedConfig } | undefined {
  let dir = path.resolve(start);
  while (true) {
    const loaded = loadConfig(dir);
    if (loaded) return { dir, loaded };
    if (fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A configuration file named with `--config`: TOML (its `[tool.celery-lint]` table) or YAML, by extension. */
export function loadConfigFile(abs: string, shown: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `celery-lint: --config file not found: ${shown}` : `celery-lint: ${shown}: cannot read: ${(e as Error).message}`);
  }
  const config = parseConfig(text, shown);
  if (!config) throw new ConfigError(`celery-lint: ${shown}: no [tool.celery-lint] table`);
  return { file: shown, config };
}

/**
 * Checks the `rules` table against the rules that exist and the options each takes (none so far), so that an
 * option meant to change a rule never goes unread.
 */
export function checkRuleOptions(loaded: LoadedConfig, known: ReadonlyMap<string, readonly string[]>): void {
  const prefix = loaded.file.endsWith('.toml') ? '[tool.celery-lint]' : '';
  const lines: string[] = [];
  for (const [code, options] of Object.entries(loaded.config.rules)) {
    const takes = known.get(code);
    if (!takes) {
      lines.push(`celery-lint: ${loaded.file}: ${keyPath(prefix, ['rules', code])}: no such rule (see \`celery-lint rules\`)`);
      continue;
    }
    for (const option of Object.keys(options)) {
      if (takes.includes(option)) continue;
      const expected = takes.length ? `expected one of: ${takes.join(', ')}` : `${code} takes no options`;
      lines.push(`celery-lint: ${loaded.file}: ${keyPath(prefix, ['rules', code, option])}: unknown option (${expected})`);
    }
  }
  if (lines.length) throw new ConfigError(lines.join('\n'));
}
