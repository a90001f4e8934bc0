import type { SettingRead } from '../../model/types.js';
import { callArguments, dottedName, type Node, type NodeIndex, type PyFile } from '../../parse/python.js';
import { resolveDotted, type ImportBinding } from './imports.js';
import { conditionalAssignments, starImports } from './module-scope.js';

/*
 * Only upper-case names with a Celery prefix are recorded: those are the names CEL103 reports without a near match
 * (keys.ts OLD_PREFIXES, and the CELERY_ namespace). Lower-case Celery-style names (`worker_count`) would need a
 * pre-filter matching common words (`result_`, `worker_`, `task_`, ...), parsing far more files for a rare case.
 * Every recorded name contains SETTING_WORDS, so a file the pre-filter turns down can hold none.
 */
const SETTING_NAME = /^(?:CELERY(?:D|BEAT|MON)?|BROKER)_[A-Z0-9_]+$/;
export const SETTING_WORDS = /CELERY|BROKER_/;
export const SETTING_READ_TYPES = ['identifier'];

const DJANGO_SETTINGS = 'django.conf.settings';
const CHECKS: Record<string, SettingRead['via']> = { getattr: 'getattr', hasattr: 'hasattr' };
// Parents whose identifier children all bind a name rather than read it.
const BINDERS = new Set(['dotted_name', 'aliased_import', 'global_statement', 'nonlocal_statement', 'parameters', 'lambda_parameters', 'typed_parameter']);
// Containers a binding target may be nested in (`A, (B, C) = ...`).
const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern']);
// Statement → the field holding what it binds.
const TARGETS: Record<string, string> = {
  assignment: 'left',
  augmented_assignment: 'left',
  for_statement: 'left',
  for_in_clause: 'left',
  named_expression: 'name',
  keyword_argument: 'name',
  default_parameter: 'name',
  typed_default_parameter: 'name',
  function_definition: 'name',
  class_definition: 'name',
  as_pattern: 'alias',
};

export interface SettingReadContext {
  py: PyFile;
  bindings: ReadonlyMap<string, ImportBinding>;
  /** Names assigned at module level. */
  scope: ReadonlyMap<string, unknown>;
  /** Built with SETTING_READ_TYPES when the text holds SETTING_WORDS, and with `call`. */
  index: NodeIndex;
}

/**
 * Where the project reads a Celery-looking setting itself: `settings.NAME`, `getattr(settings, 'NAME'[, default])`,
 * `hasattr(settings, 'NAME')` on django.conf.settings (however imported), and a bare `NAME` in a module that binds it
 * at module level (`CELERY_BEAT_SCHEDULE = {...} if CELERY_BEAT_NAME_BY_TASK else {...}`). Writes are not reads.
 */
export function collectSettingReads(c: SettingReadContext): SettingRead[] {
  if (!SETTING_WORDS.test(c.py.text)) return [];
  const out: SettingRead[] = [];
  let moduleNames: Set<string> | undefined;
  let starred: boolean | undefined;
  const boundAtModuleLevel = (name: string) => {
    moduleNames ??= new Set([...c.scope.keys(), ...conditionalAssignments(c.py).map((a) => a.name), ...c.bindings.keys()]);
    // a star import may bring in any name (split settings: `from .base import *`)
    starred ??= starImports(c.py).length > 0;
    return moduleNames.has(name) || starred;
  };
  for (const id of c.index.of('identifier')) {
    const name = id.text;
    if (!SETTING_NAME.test(name)) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && same(parent.childForFieldName('attribute'), id)) {
      if (isSettings(parent.childForFieldName('object'), c.bindings) && !isBinding(parent)) out.push(read(c.py, name, id, 'attribute'));
    } else if (!isBinding(id) && boundAtModuleLevel(name)) {
      out.push(read(c.py, name, id, 'name'));
    }
  }
  for (const call of c.index.of('call')) {
    const fn = call.childForFieldName('function');
    const via = fn?.type === 'identifier' ? CHECKS[fn.text] : undefined;
    if (!via) continue;
    const [obj, key] = callArguments(call).positional;
    if (key?.type !== 'string' || !isSettings(obj, c.bindings)) continue;
    const content = key.namedChildren.filter((n) => n?.type === 'string_content');
    const text = content.length === 1 ? content[0]! : undefined;
    if (text && SETTING_NAME.test(text.text)) out.push(read(c.py, text.text, text, via));
  }
  return out.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

function read(py: PyFile, name: string, node: Node, via: SettingRead['via']): SettingRead {
  return { name, file: py.file, span: py.lines.span(py.file, node.startIndex, node.endIndex), via };
}

function isSettings(node: Node | null | undefined, bindings: ReadonlyMap<string, ImportBinding>): boolean {
  return resolveDotted(dottedName(node), bindings) === DJANGO_SETTINGS;
}

function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/** Whether the node is (part of) what a statement binds, not a read: an assignment target, an import, a parameter... */
export function isBinding(node: Node): boolean {
  let cur = node;
  let parent = cur.parent;
  if (parent && BINDERS.has(parent.type)) return true;
  while (parent && PATTERNS.has(parent.type)) {
    cur = parent;
    parent = cur.parent;
  }
  const field = parent ? TARGETS[parent.type] : undefined;
  return !!field && same(parent!.childForFieldName(field), cur);
}
