import { isSecretName, maskSecrets } from '../model/url.js';

/**
 * A deep copy of any JSON-able value with secrets masked: passwords in URLs anywhere, and the whole value
 * of entries whose name looks secret (`password`, `token`, ...).
 */
export function redact<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(v: unknown, name: string | undefined): unknown {
  if (typeof v === 'string') return name && isSecretName(name) && v.length > 0 ? '****' : maskSecrets(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, name));
  if (v && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    // A fact object carries its own name (SettingFact.name, EnvVar.name, dict entry key)
    const ownName = typeof obj.name === 'string' ? obj.name : keyName(obj.key);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(obj)) {
      if (k === 'kind' || k === 'source' || k === 'origin' || k === 'name' || k === 'key' || k === 'span' || k === 'nameSpan' || k === 'valueSpan' || k === 'file') out[k] = x;
      else if (isSecretName(k)) out[k] = walk(x, k);
      // a secret name masks what the fact holds (its value), not its metadata such as nameStyle
      else out[k] = walk(x, VALUE_KEYS.has(k) ? ownName ?? name : undefined);
    }
    return out;
  }
  return v;
}

const VALUE_KEYS = new Set(['value', 'default', 'text', 'items', 'entries']);

function keyName(key: unknown): string | undefined {
  if (key && typeof key === 'object' && (key as { kind?: string }).kind === 'str') return (key as { value: string }).value;
  return undefined;
}
