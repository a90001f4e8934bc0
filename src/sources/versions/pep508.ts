// PEP 508 requirement strings (`celery[redis] >= 5.3, < 6 ; python_version >= "3.8"`), as found in
// requirements files, PEP 621 arrays, setup.cfg and setup.py. Only the parts celery-lint needs.
import type { VersionPin } from '../../model/types.js';
import { normalisePackage, VERSION_PACKAGES } from '../../model/versions.js';

export interface Requirement {
  /** Normalised (PEP 503). */
  package: string;
  /** Version specifier without spaces or parentheses; empty when unconstrained. */
  spec: string;
  /** A direct reference (`name @ https://...`): no version to read. */
  url: boolean;
  /** Length of the requirement within the input, trailing spaces excluded (the marker is part of it). */
  length: number;
}

const HEAD = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*/;
const SPEC = /^\(?\s*(?:(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*\)?$/;

/** Parses one requirement; undefined when the text is not a PEP 508 requirement. */
export function parseRequirement(text: string): Requirement | undefined {
  const head = HEAD.exec(text);
  if (!head?.[1]) return undefined;
  const rest = text.slice(head[0].length);
  const length = text.trimEnd().length;
  if (rest.startsWith('@')) return { package: normalisePackage(head[1]), spec: '', url: true, length };
  const semi = rest.indexOf(';');
  const specText = (semi === -1 ? rest : rest.slice(0, semi)).trim();
  if (!SPEC.test(specText)) return undefined;
  return { package: normalisePackage(head[1]), spec: specText.replace(/[\s()]/g, '').replace(/,$/, ''), url: false, length };
}

/** The version a spec pins exactly: `==5.3.4`, `===5.3.4`, or a bare `5.3.4` (Poetry); not `==5.*`. */
export function exactVersion(spec: string): string | undefined {
  const m = /^(?:===?)?\s*v?(\d[0-9A-Za-z.+!_-]*)$/.exec(spec.trim());
  return m?.[1];
}

/** A pin for a package celery-lint cares about, or undefined for any other package. */
export function makePin(pkg: string, spec: string, file: string, span: VersionPin['span'], source: VersionPin['source']): VersionPin | undefined {
  const name = normalisePackage(pkg);
  if (!VERSION_PACKAGES.has(name)) return undefined;
  const written = spec.trim() === '*' ? '' : spec.trim();
  const pin: VersionPin = { package: name, spec: written, file, span, source };
  const exact = exactVersion(written);
  if (exact) pin.exact = exact;
  return pin;
}
