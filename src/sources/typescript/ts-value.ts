import type { Node } from 'ts-morph';
import type { Value } from '../../model/types.js';
import type { LineIndex } from '../../parse/span.js';
import { tsMorph } from './load.js';

/** Spans for one TypeScript/JavaScript file, from ts-morph node offsets (trivia excluded). */
export class TsFile {
  constructor(readonly path: string, readonly lines: LineIndex) {}

  span(node: Node) {
    return this.lines.span(this.path, node.getStart(), node.getEnd());
  }

  /** The inside of a string literal, without its quotes. */
  innerSpan(node: Node) {
    return this.lines.span(this.path, node.getStart() + 1, node.getEnd() - 1);
  }
}

/**
 * A TypeScript expression evaluated statically into a Value, as far as producers need it: string and number
 * literals, arrays, `process.env.X` (optionally `?? 'default'` / `|| 'default'`) and consts of the same file.
 * Anything else is `unknown` with its source text; nothing is guessed.
 */
export function tsValue(file: TsFile, node: Node | undefined, depth = 0): Value {
  const { Node: N } = tsMorph();
  if (!node) return { kind: 'unknown', text: '' };
  const span = file.span(node);
  if (N.isStringLiteral(node) || N.isNoSubstitutionTemplateLiteral(node)) return { kind: 'str', value: node.getLiteralValue(), span };
  if (N.isNumericLiteral(node)) return { kind: 'num', value: node.getLiteralValue(), span };
  if (N.isTrueLiteral(node) || N.isFalseLiteral(node)) return { kind: 'bool', value: N.isTrueLiteral(node), span };
  if (N.isNullLiteral(node)) return { kind: 'none', span };
  if (N.isParenthesizedExpression(node) || N.isAsExpression(node) || N.isNonNullExpression(node) || N.isSatisfiesExpression(node)) {
    return tsValue(file, node.getExpression(), depth);
  }
  if (N.isArrayLiteralExpression(node)) return { kind: 'list', items: node.getElements().map((e) => tsValue(file, e, depth)), span };
  const env = envName(node);
  if (env) return { kind: 'env', name: env, span };
  if (N.isBinaryExpression(node)) {
    const op = node.getOperatorToken().getText();
    const left = envName(node.getLeft());
    if (left && (op === '??' || op === '||')) return { kind: 'env', name: left, default: tsValue(file, node.getRight(), depth), span };
  }
  if (N.isIdentifier(node) && depth < 5) {
    // the const's own span: a fix edits the literal where it is written
    const init = constInitializer(node);
    if (init) return tsValue(file, init, depth + 1);
  }
  return { kind: 'unknown', text: node.getText(), span };
}

/** `process.env.NAME` or `process.env['NAME']`. */
function envName(node: Node): string | undefined {
  const { Node: N } = tsMorph();
  if (N.isPropertyAccessExpression(node) && node.getExpression().getText() === 'process.env') return node.getName();
  if (N.isElementAccessExpression(node) && node.getExpression().getText() === 'process.env') {
    const arg = node.getArgumentExpression();
    if (arg && (N.isStringLiteral(arg) || N.isNoSubstitutionTemplateLiteral(arg))) return arg.getLiteralValue();
  }
  return undefined;
}

/** The initializer of the only `const` of that name in the file, if there is exactly one. */
function constInitializer(id: Node): Node | undefined {
  const { Node: N, SyntaxKind } = tsMorph();
  const name = id.getText();
  const decls = id
    .getSourceFile()
    .getDescendantsOfKind(SyntaxKind.VariableDeclaration)
    .filter((d) => N.isIdentifier(d.getNameNode()) && d.getName() === name);
  const only = decls.length === 1 ? decls[0] : undefined;
  if (!only || only.getVariableStatement()?.getDeclarationKind() !== 'const') return undefined;
  return only.getInitializer();
}
