import type { Span } from '../discover/location.js';

/** A statically evaluated Python (or config-file) value. `unknown` is never guessed at. */
export type Value =
  | { kind: 'str'; value: string; span?: Span }
  | { kind: 'num'; value: number; span?: Span }
  | { kind: 'bool'; value: boolean; span?: Span }
  | { kind: 'none'; span?: Span }
  | { kind: 'list' | 'tuple' | 'set'; items: Value[]; span?: Span }
  | { kind: 'dict'; entries: DictEntry[]; span?: Span }
  /** From an environment variable (os.environ.get, os.getenv, django-environ's env(...)). */
  | { kind: 'env'; name: string; default?: Value; span?: Span }
  /** Anything we cannot evaluate without running code; `text` is the source text, for messages. */
  /** `literal: 'bytes'`: a bytes literal (b'...'), whose value is not kept but whose type is certain. */
  /** `template`: an f-string's text with each replacement field kept as `{expression}` (`redis://{HOST}:6379/0`). */
  | { kind: 'unknown'; text: string; span?: Span; literal?: 'bytes'; template?: string };

export interface DictEntry {
  key: Value;
  value: Value;
  span?: Span;
}
