import type { ParseProblem, VersionPin } from '../../model/types.js';
import { callArguments, descendants, dottedName, namedChildren, nodeSpan, type Node, type PyFile } from '../../parse/python.js';
import { stringValue } from '../../parse/pyvalue.js';
import type { Source } from '../source.js';
import { makePin, parseRequirement } from './pep508.js';

const SETUP_CALLS = new Set(['setup', 'setuptools.setup', 'distutils.core.setup']);

/**
 * Pins from setup.py: the string literals of `install_requires` and `extras_require` in a `setup(...)` call,
 * following a module-level name (`install_requires=REQUIRES`) and list concatenation. Requirements read from
 * files at run time are not followed here; those files are read by the requirements source.
 */
export const setupPySource: Source = {
  name: 'setup.py',
  collect(ctx) {
    const versions: VersionPin[] = [];
    const problems: ParseProblem[] = [];
    for (const file of ctx.filesOfKind('python')) {
      if (file.path !== 'setup.py' && !file.path.endsWith('/setup.py')) continue;
      const py = ctx.python(file);
      if (!py) continue;
      for (const call of descendants(py.tree.rootNode, 'call')) {
        if (!SETUP_CALLS.has(dottedName(call.childForFieldName('function')) ?? '')) continue;
        for (const kw of callArguments(call).keywords) {
          if (kw.name !== 'install_requires' && kw.name !== 'extras_require') continue;
          for (const str of requirementStrings(py, kw.value, new Set())) {
            const value = stringValue(str);
            if (value === undefined) continue;
            const req = parseRequirement(value.trim());
            if (!req) {
              problems.push({ file: file.path, span: nodeSpan(py, str), severity: 'warning', message: `cannot read requirement ${JSON.stringify(value.slice(0, 80))}` });
              continue;
            }
            if (req.url) continue;
            const pin = makePin(req.package, req.spec, file.path, nodeSpan(py, str), 'setup.py');
            if (pin) versions.push(pin);
          }
        }
      }
    }
    return { versions, problems };
  },
};

/** String nodes a requirements expression is made of; `seen` stops `A = B; B = A` from looping. */
function requirementStrings(py: PyFile, node: Node, seen: Set<string>): Node[] {
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return [node];
    case 'list':
    case 'tuple':
    case 'set':
    case 'parenthesized_expression':
      return namedChildren(node).flatMap((c) => requirementStrings(py, c, seen));
    case 'dictionary':
      return namedChildren(node).flatMap((pair) => {
        const value = pair.type === 'pair' ? pair.childForFieldName('value') : null;
        return value ? requirementStrings(py, value, seen) : [];
      });
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      return [left, right].flatMap((c) => (c ? requirementStrings(py, c, seen) : []));
    }
    case 'identifier': {
      if (seen.has(node.text)) return [];
      seen.add(node.text);
      const value = moduleAssignment(py, node.text);
      return value ? requirementStrings(py, value, seen) : [];
    }
    default:
      return [];
  }
}

/** The right-hand side of the last top-level `name = ...` in the module. */
function moduleAssignment(py: PyFile, name: string): Node | undefined {
  let found: Node | undefined;
  for (const stmt of namedChildren(py.tree.rootNode)) {
    if (stmt.type !== 'expression_statement') continue;
    const assign = namedChildren(stmt)[0];
    if (assign?.type !== 'assignment') continue;
    const right = assign.childForFieldName('right');
    if (assign.childForFieldName('left')?.text === name && right) found = right;
  }
  return found;
}
