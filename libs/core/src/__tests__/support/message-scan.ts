import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/** One English message the code can produce, instantiated with sample values. */
export interface FoundMessage {
  /** The message as a client would see it in English, placeholders filled with samples. */
  text: string;
  /** `libs/listings/src/listings.service.ts:47` */
  at: string;
}

/** A message sample for `${error.message}`, `${result.reason}`: a message the catalog translates. */
export const SAMPLE_MESSAGE = 'must be greater than 0';

/**
 * The value put in for a `${…}` placeholder, by what the expression is called: states read as a state, reasons
 * and messages as a message (the catalog must translate them too), everything else as an opaque `7`.
 */
function sampleFor(expression: string): string {
  if (/message|reason/i.test(expression)) return SAMPLE_MESSAGE;
  if (/status/i.test(expression)) return 'active';
  if (/\.level$/.test(expression)) return 'city';
  if (/paymentMethod/.test(expression)) return 'bank_transfer';
  if (/kind$|appKind$/i.test(expression)) return 'seller';
  if (/field$/i.test(expression)) return 'lines[0]';
  if (/^what$/.test(expression)) return 'listing';
  return '7';
}

// Where no API message lives: browser code, tests, migrations, boot-time configuration and the CLI's own output.
const SKIP_DIRS = new Set(['node_modules', 'web', '__tests__', 'migrations', 'dist', 'i18n']);
const SKIP_FILES = [/\.spec\.ts$/, /\.d\.ts$/, /^libs\/core\/src\/config\//, /^apps\/cli\//, /^libs\/core\/src\/observability\//];

/** Every TypeScript source under `dirs` (relative to `root`) that can produce an API message. */
export function messageSourceFiles(root: string, dirs: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts')) {
        const rel = relative(root, path).split('\\').join('/');
        if (!SKIP_FILES.some((re) => re.test(rel))) files.push(rel);
      }
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return files.sort();
}

const NOT_OURS = new Set(['DomainError', 'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ConfigError']);

/**
 * Scans the sources for the English messages they can put in an error body: the message of `new DomainError(…)`
 * and `DomainError.validation(…)`, `DomainError.notFound(what, …)`, every `message:` of an object literal (details,
 * class-validator options), the reasons returned by `fieldValidator` checks, by functions typed `string | null`
 * (kgProblem, passwordProblem) and by state-machine guards, the messages of our own `…Error`/`…Refusal` classes,
 * the values of `*_MESSAGES` tables, and literals passed to a local helper whose parameter is `message`/`reason`.
 * Template literals are instantiated with samples (both branches of a `a ? 'x' : y` placeholder).
 */
export function scanMessages(root: string, files: string[]): FoundMessage[] {
  const found: FoundMessage[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (node: ts.Node | undefined) => {
      if (!node) return;
      const at = `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
      // A message has words of its own: `${a} ${b}` only joins messages found elsewhere, `'too_large'` is a code.
      for (const { text, literal } of expand(node, source, constants)) if (/[A-Za-z]{2,}/.test(literal) && /\s/.test(text)) found.push({ text, at });
    };
    const addReturns = (fn: ts.Node) => {
      if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return add(fn.body);
      const visit = (node: ts.Node): void => {
        if (ts.isReturnStatement(node)) add(node.expression);
        if (node !== fn && ts.isFunctionLike(node)) return;
        ts.forEachChild(node, visit);
      };
      visit(fn);
    };
    const constants = stringConstants(source);
    const messageHelpers = new Set<string>();
    const validatorNames = new Set(['fieldValidator']);
    const collectNames = (node: ts.Node): void => {
      if (ts.isImportSpecifier(node) && node.propertyName?.text === 'fieldValidator') validatorNames.add(node.name.text);
      const fn = ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) ? node.initializer : ts.isFunctionDeclaration(node) ? node : undefined;
      const name = ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) ? node.name.text : ts.isFunctionDeclaration(node) ? node.name?.text : undefined;
      const first = fn?.parameters[0]?.name;
      if (name && first && ts.isIdentifier(first) && /^(message|reason)$/.test(first.text)) messageHelpers.add(name);
      ts.forEachChild(node, collectNames);
    };
    collectNames(source);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        if (name === 'DomainError') add(node.arguments?.[2]);
        else if (/(Error|Refusal)$/.test(name) && !NOT_OURS.has(name)) node.arguments?.forEach(add);
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source);
        if (callee === 'DomainError.validation') add(node.arguments[2]);
        if (callee === 'DomainError.notFound' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
          found.push({ text: `${node.arguments[0].text} 7 not found`, at: `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}` });
        }
        if (validatorNames.has(callee) && node.arguments[1]) addReturns(node.arguments[1]);
        if (messageHelpers.has(callee)) add(node.arguments[0]);
      }
      if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'message') add(node.initializer);
      // `{ ok: false, reason }`: a state machine's refusal.
      if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'reason' && ts.isObjectLiteralExpression(node.parent) && node.parent.properties.some((p) => p.name?.getText(source) === 'ok')) add(node.initializer);
      if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'guards' && ts.isObjectLiteralExpression(node.initializer)) {
        for (const guard of node.initializer.properties) if (ts.isPropertyAssignment(guard)) addReturns(guard.initializer);
      }
      if ((ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.type) {
        if (/^string \| null$|^null \| string$/.test(node.type.getText(source))) addReturns(node);
      }
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && /_MESSAGES$/.test(node.name.text) && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
        for (const p of node.initializer.properties) if (ts.isPropertyAssignment(p)) add(p.initializer);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const seen = new Set<string>();
  return found.filter((m) => !seen.has(m.text) && seen.add(m.text));
}

interface Expansion {
  text: string;
  /** The literal parts only, to tell a message from a bare `${a} ${b}` composition. */
  literal: string;
}

const MAX_VARIANTS = 16;

type Constants = Map<string, ts.Expression>;

// The file's `const x = 'text' | `template` | a ? 'b' : 'c'` declarations, by name (names declared twice are left out).
function stringConstants(source: ts.SourceFile): Constants {
  const constants: Constants = new Map();
  const twice = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isStringy(node.initializer)) {
      if (constants.has(node.name.text)) twice.add(node.name.text);
      constants.set(node.name.text, node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const name of twice) constants.delete(name);
  return constants;
}

function isStringy(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isStringy(node.expression);
  if (ts.isConditionalExpression(node)) return isStringy(node.whenTrue) || isStringy(node.whenFalse);
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

function expand(node: ts.Node, source: ts.SourceFile, constants: Constants, depth = 0): Expansion[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ text: node.text, literal: node.text }];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return expand(node.expression, source, constants, depth);
  const constant = ts.isIdentifier(node) && depth < 3 ? constants.get(node.text) : undefined;
  if (constant) return expand(constant, source, constants, depth + 1);
  if (ts.isConditionalExpression(node)) return [...expand(node.whenTrue, source, constants, depth), ...expand(node.whenFalse, source, constants, depth)];
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...expand(node.left, source, constants, depth), ...expand(node.right, source, constants, depth)];
  }
  if (ts.isTemplateExpression(node)) {
    let variants: Expansion[] = [{ text: node.head.text, literal: node.head.text }];
    for (const span of node.templateSpans) {
      const values = placeholderValues(span.expression, source, constants, depth);
      variants = variants
        .flatMap((v) => values.map((value) => ({ text: v.text + value.text + span.literal.text, literal: v.literal + value.literal + span.literal.text })))
        .slice(0, MAX_VARIANTS);
    }
    return variants;
  }
  return [];
}

// A placeholder's value: the branches of `cond ? 'literal' : other` (literal ones verbatim), a string constant of
// the file expanded, or a sample.
function placeholderValues(expression: ts.Expression, source: ts.SourceFile, constants: Constants, depth: number): Expansion[] {
  const inner = ts.isParenthesizedExpression(expression) ? expression.expression : expression;
  if (ts.isConditionalExpression(inner)) return [...placeholderValues(inner.whenTrue, source, constants, depth), ...placeholderValues(inner.whenFalse, source, constants, depth)];
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isTemplateExpression(inner)) return expand(inner, source, constants, depth);
  const constant = ts.isIdentifier(inner) && depth < 3 ? constants.get(inner.text) : undefined;
  if (constant) return expand(constant, source, constants, depth + 1).map((v) => ({ text: v.text, literal: '' }));
  return [{ text: sampleFor(inner.getText(source)), literal: '' }];
}
