/** A broker or result-backend URL split into the parts rules care about. */
export interface ParsedUrl {
  scheme: string;
  /** The transport part before `+` (`sentinel` in `sentinel+redis`), lower case. */
  transport: string;
  host?: string;
  port?: number;
  /** Redis db number or AMQP vhost / Mongo database, from the path. */
  path?: string;
  db?: number;
  hasPassword: boolean;
  query: Record<string, string>;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

export function parseUrl(url: string): ParsedUrl | undefined {
  const m = SCHEME.exec(url);
  if (!m || !m[1]) return undefined;
  const scheme = m[1].toLowerCase();
  const rest = url.slice(m[0].length);
  // Several URLs joined by ';' (failover) — describe the first.
  const first = rest.split(';')[0] ?? '';
  const [beforeQuery = '', queryString = ''] = splitOnce(first, '?');
  const [authority = '', pathPart] = splitOnce(beforeQuery, '/');
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hostport = at >= 0 ? authority.slice(at + 1) : authority;
  const hasPassword = userinfo.includes(':') && userinfo.slice(userinfo.indexOf(':') + 1).length > 0;
  const hostMatch = /^(\[[^\]]*\]|[^:,]*)(?::(\d+))?/.exec(hostport);
  const query: Record<string, string> = {};
  for (const pair of queryString.split('&')) {
    if (!pair) continue;
    const [k = '', v = ''] = splitOnce(pair, '=');
    query[safeDecode(k)] = safeDecode(v);
  }
  const path = pathPart === undefined ? undefined : safeDecode(pathPart);
  const dbNum = path !== undefined && /^\d+$/.test(path) ? Number(path) : undefined;
  return {
    scheme,
    transport: scheme.split('+')[0] ?? scheme,
    host: hostMatch?.[1] || undefined,
    port: hostMatch?.[2] ? Number(hostMatch[2]) : undefined,
    path,
    db: dbNum,
    hasPassword,
    query,
  };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// A password that is only a reference ({pw} in an f-string, ${PW} or $PW in compose/shell, %(pw)s) is code, not a secret.
const USERINFO_PASSWORD = /(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@\s'"]*:)(?!(?:\$?\{[^}@\s]*\}|\$[A-Za-z_]\w*|%\([\w.]+\)s)@)([^@\s'"/]+)@/g;
const SECRET_QUERY = /([?&;](?:password|passwd|pwd|secret|token|access_key|secret_key|sas_token|api_key)=)([^&\s'"]+)/gi;

/** Masks passwords in every URL found in the text (userinfo passwords and secret-looking query values). */
export function maskSecrets(text: string): string {
  return text.replace(USERINFO_PASSWORD, '$1****@').replace(SECRET_QUERY, '$1****');
}

// `REDISCLI_AUTH` (redis-cli's password variable), `BROKER_AUTH`; not AUTH_USER_MODEL or AUTHOR
const SECRET_NAME = /(pass(word|wd)?|secret|token|api_?key|access_?key|credential|private_?key|(^|[_.-])auth$)/i;

/** True for setting/option/env names whose values are secrets whatever they look like. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

// `NAME = 'v'`, `'password': "v"`, `password: v`; the quote is captured so the mask keeps the text's shape.
const QUOTED_ASSIGNMENT = /(["']?)([A-Za-z_][\w.-]*)\1(\s*[:=]\s*)(["'])((?:(?!\4)[^\\]|\\.)+)\4/g;
// `NAME=value` / `NAME: value` at the start of a .env, YAML or shell line, and `--password=value` options.
const BARE_ASSIGNMENT = /^(\s*(?:export\s+|-\s+)?)([A-Za-z_][\w.-]*)(\s*[:=]\s*)([^\s"'#][^\s#]*)/;
const CLI_OPTION = /(--?[A-Za-z][\w-]*)=(\S+)/g;

/**
 * Masks secrets in a line of project source shown to the user (an excerpt, a diff): URL passwords, and the
 * values of assignments, dict entries and options whose name looks secret (`REDIS_PASSWORD = '...'`).
 */
export function maskSecretsInLine(line: string): string {
  return maskSecrets(line)
    .replace(QUOTED_ASSIGNMENT, (m, q: string, name: string, sep: string, quote: string) => (isSecretName(name) ? `${q}${name}${q}${sep}${quote}****${quote}` : m))
    // a value with a call, an index or a ${reference} in it is code (`PASSWORD = os.environ.get(...)`), masked piecewise above
    .replace(BARE_ASSIGNMENT, (m, lead: string, name: string, sep: string, value: string) => (isSecretName(name) && !/[([{]/.test(value) ? `${lead}${name}${sep}****` : m))
    .replace(CLI_OPTION, (m, name: string) => (isSecretName(name) ? `${name}=****` : m));
}

/** maskSecretsInLine over every line of a text. */
export function maskSecretsInText(text: string): string {
  return text.split('\n').map(maskSecretsInLine).join('\n');
}
