// smol-toml gives values but no source positions. Rather than search for a dependency's text (which finds the
// wrong occurrence when a name appears twice), this scanner walks the document's structure — table headers,
// `key = value` entries, arrays and inline tables — recording offsets only. It is run after smol-toml has
// accepted the document, so it may assume valid TOML; it still never throws and always moves forward.

export interface TomlNode {
  start: number;
  end: number;
  kind: 'string' | 'array' | 'table' | 'other';
  /** Array elements, in order. */
  items: TomlNode[];
  /** Inline table entries. */
  entries: TomlEntry[];
}

export interface TomlEntry {
  /** Dotted key parts, unquoted (`"a.b".c` → [`a.b`, `c`]). */
  key: string[];
  /** From the key's first character to the value's last. */
  start: number;
  end: number;
  value: TomlNode;
}

export interface TomlSection {
  /** `[]` for the root, before any header. */
  path: string[];
  array: boolean;
  start: number;
  end: number;
  entries: TomlEntry[];
}

export function scanToml(text: string): TomlSection[] {
  return new Scanner(text).document();
}

/** The entry at a full key path (`tool.poetry.dependencies.celery`), through headers, dotted keys and inline tables. */
export function findEntry(sections: readonly TomlSection[], keyPath: readonly string[]): TomlEntry | undefined {
  for (const section of sections) {
    if (section.array || !startsWith(keyPath, section.path)) continue;
    const hit = findIn(section.entries, keyPath.slice(section.path.length));
    if (hit) return hit;
  }
  return undefined;
}

/** The entry `key` of the n-th `[[path]]` table (lock files' `[[package]]`). */
export function findInArrayTable(sections: readonly TomlSection[], path: readonly string[], index: number, key: readonly string[]): TomlEntry | undefined {
  const section = sections.filter((s) => s.array && equal(s.path, path))[index];
  return section ? findIn(section.entries, key) : undefined;
}

function findIn(entries: readonly TomlEntry[], rest: readonly string[]): TomlEntry | undefined {
  for (const e of entries) {
    if (!startsWith(rest, e.key)) continue;
    if (e.key.length === rest.length) return e;
    if (e.value.kind === 'table') {
      const hit = findIn(e.value.entries, rest.slice(e.key.length));
      if (hit) return hit;
    }
  }
  return undefined;
}

function startsWith(a: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= a.length && prefix.every((p, i) => a[i] === p);
}

function equal(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

class Scanner {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): TomlSection[] {
    const root: TomlSection = { path: [], array: false, start: 0, end: 0, entries: [] };
    const sections = [root];
    let current = root;
    while (this.skipTrivia(true)) {
      const before = this.i;
      if (this.text[this.i] === '[') {
        const array = this.text[this.i + 1] === '[';
        this.i += array ? 2 : 1;
        const path = this.key() ?? [];
        this.skipTrivia(false);
        this.i += array ? 2 : 1;
        current = { path, array, start: before, end: this.i, entries: [] };
        sections.push(current);
      } else {
        const entry = this.entry();
        if (entry) current.entries.push(entry);
      }
      this.skipLine(before);
    }
    return sections;
  }

  /** Moves past the rest of the line (a trailing comment), always at least one character past `from`. */
  private skipLine(from: number): void {
    this.skipTrivia(false);
    if (this.text[this.i] === '#') while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
    if (this.i <= from) this.i = from + 1;
  }

  /** Skips blanks (and newlines and comments when `lines`); false at the end of the text. */
  private skipTrivia(lines: boolean): boolean {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (lines && (c === '\n' || c === '\r')) this.i++;
      else if (lines && c === '#') while (this.i < t.length && t[this.i] !== '\n') this.i++;
      else break;
    }
    return this.i < t.length;
  }

  private key(): string[] | undefined {
    const parts: string[] = [];
    for (;;) {
      this.skipTrivia(false);
      const c = this.text[this.i];
      if (c === '"' || c === "'") {
        const start = this.i;
        const end = this.stringEnd();
        parts.push(unquote(this.text.slice(start, end)));
        this.i = end;
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.i, this.i + 256));
        if (!m) return parts.length ? parts : undefined;
        parts.push(m[0]);
        this.i += m[0].length;
      }
      this.skipTrivia(false);
      if (this.text[this.i] !== '.') return parts;
      this.i++;
    }
  }

  private entry(): TomlEntry | undefined {
    const start = this.i;
    const key = this.key();
    if (!key) return undefined;
    this.skipTrivia(false);
    if (this.text[this.i] !== '=') return undefined;
    this.i++;
    this.skipTrivia(false);
    const value = this.value();
    return { key, start, end: value.end, value };
  }

  private value(): TomlNode {
    const t = this.text;
    const start = this.i;
    const node = (kind: TomlNode['kind']): TomlNode => ({ start, end: this.i, kind, items: [], entries: [] });
    const c = t[this.i];
    if (c === '"' || c === "'") {
      this.i = this.stringEnd();
      return node('string');
    }
    if (c === '[') {
      this.i++;
      const items: TomlNode[] = [];
      while (this.skipTrivia(true) && t[this.i] !== ']') {
        const at = this.i;
        items.push(this.value());
        this.skipTrivia(true);
        if (t[this.i] === ',') this.i++;
        else if (t[this.i] !== ']' || this.i === at) break;
      }
      if (t[this.i] === ']') this.i++;
      return { ...node('array'), items };
    }
    if (c === '{') {
      this.i++;
      const entries: TomlEntry[] = [];
      while (this.skipTrivia(true) && t[this.i] !== '}') {
        const at = this.i;
        const e = this.entry();
        if (!e) break;
        entries.push(e);
        this.skipTrivia(true);
        if (t[this.i] === ',') this.i++;
        else if (t[this.i] !== '}' || this.i === at) break;
      }
      if (t[this.i] === '}') this.i++;
      return { ...node('table'), entries };
    }
    while (this.i < t.length && !',]}#\n\r'.includes(t[this.i] ?? '')) this.i++;
    while (this.i > start && /\s/.test(t[this.i - 1] ?? '')) this.i--;
    return node('other');
  }

  /** The offset just past the string starting at `this.i` (basic, literal, and their multi-line forms). */
  private stringEnd(): number {
    const t = this.text;
    const q = t[this.i] ?? '"';
    const basic = q === '"';
    const triple = t.startsWith(q.repeat(3), this.i);
    let j = this.i + (triple ? 3 : 1);
    while (j < t.length) {
      const c = t[j];
      if (basic && c === '\\') j += 2;
      else if (triple && t.startsWith(q.repeat(3), j)) {
        j += 3;
        // Up to two quotes may close the content itself: `"""a""""` is `a"`.
        for (let k = 0; k < 2 && t[j] === q; k++) j++;
        return j;
      } else if (!triple && c === q) return j + 1;
      else if (!triple && c === '\n') return j;
      else j++;
    }
    return Math.min(j, t.length);
  }
}

function unquote(s: string): string {
  if (s.startsWith("'")) return s.slice(1, -1);
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.slice(1, -1);
  }
}
