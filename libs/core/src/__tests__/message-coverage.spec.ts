import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as classValidator from 'class-validator';
import * as ts from 'typescript';
import { ZH_CN_CATALOG } from '../i18n/localize-error';
import { messageSourceFiles, scanMessages } from './support/message-scan';

/**
 * Every English message the code can answer with must have a zh-CN line in libs/core/src/i18n/messages.zh-CN.ts.
 * The messages are found by scanning the sources (see support/message-scan.ts), so a message added anywhere in
 * libs/ or apps/ fails this test until its translation is added.
 */
const ROOT = resolve(__dirname, '../../../..');
const FILES = messageSourceFiles(ROOT, ['libs', 'apps']);
const FOUND = scanMessages(ROOT, FILES);

const CATALOG_FILE = 'libs/core/src/i18n/messages.zh-CN.ts';
const CJK = /[\u3400-\u9fff]/;
// Words that only an untranslated English sentence leaves behind (API tokens such as bank_transfer, field names
// and URLs may stay); `active` is the sample put in for a state, which must come out in Chinese.
const ENGLISH = /\b(the|is|are|was|be|been|must|not|and|or|of|with|for|only|this|that|has|have|can|cannot|no|more|than|after|before|while|your|its|when|should|would|already|yet|least|most|will|an|any|each|again|please|active)\b/gi;

/** Why the zh-CN answer for `english` is not good enough, or null. */
function problem(english: string): string | null {
  const zh = ZH_CN_CATALOG.translate(english);
  if (zh === null) return 'no line in the catalog';
  if (!CJK.test(zh)) return `translation has no Chinese: ${zh}`;
  const left = zh.replace(/(GET|POST|PUT|PATCH|DELETE) \/\S+/g, '').match(ENGLISH);
  return left ? `translation keeps English (${[...new Set(left)].join(', ')}): ${zh}` : null;
}

function failWith(problems: string[], what: string): void {
  if (problems.length === 0) return;
  throw new Error(
    `${problems.length} ${what} no zh-CN translation. Add a line for each to ${CATALOG_FILE} ` +
      `(English template with {placeholders} → Chinese; see message-catalog.ts for the placeholder types):\n  ${problems.join('\n  ')}`,
  );
}

describe('zh-CN covers every API message', () => {
  it('finds the messages in the sources of libs/ and apps/', () => {
    expect(FILES.length).toBeGreaterThan(150);
    expect(FOUND.length).toBeGreaterThan(150);
    expect(FOUND.map((m) => m.text)).toEqual(expect.arrayContaining(['must have at most 3 decimals (whole grams)', 'the phone number or password is wrong']));
  });

  it('translates every message the code can produce (DomainError, details, field checks, guards)', () => {
    const problems = FOUND.flatMap((m) => {
      const why = problem(m.text);
      return why ? [`${JSON.stringify(m.text)} (${m.at}): ${why}`] : [];
    });
    failWith(problems, 'messages found in the sources have');
  });

  // A sample use of each class-validator decorator: its arguments and a value it refuses.
  const BUILT_IN: Record<string, [args: unknown[], bad: unknown]> = {
    ArrayMaxSize: [[2], [1, 2, 3]],
    ArrayMinSize: [[1], []],
    ArrayNotEmpty: [[], []],
    IsArray: [[], 'x'],
    IsBoolean: [[], 'x'],
    IsDateString: [[], 'x'],
    IsDefined: [[], undefined],
    IsEmail: [[], 'x'],
    IsEnum: [[{ a: 'a', b: 'b' }], 'c'],
    IsIn: [[['a', 'b']], 'c'],
    IsInt: [[], 'x'],
    IsISO8601: [[{ strict: true }], 'x'],
    IsNotEmpty: [[], ''],
    IsNotEmptyObject: [[], {}],
    IsNumber: [[], 'x'],
    IsNumberString: [[], 'x'],
    IsObject: [[], 'x'],
    IsPositive: [[], -1],
    IsString: [[], 1],
    IsUrl: [[], 'x'],
    IsUUID: [['all'], 'x'],
    Length: [[2, 4], 'x'],
    Matches: [[/^a$/], 'b'],
    Max: [[100], 101],
    MaxLength: [[64], 'x'.repeat(65)],
    Min: [[1], 0],
    MinLength: [[2], 'x'],
  };
  // Imported from class-validator but not a check with a message of its own.
  const NOT_CHECKS = new Set(['IsOptional', 'ValidateIf', 'ValidateNested', 'ValidatorConstraint', 'Validate', 'Allow', 'registerDecorator', 'validate', 'validateSync', 'validateOrReject']);

  function decoratorsUsed(): string[] {
    const names = new Set<string>();
    for (const file of FILES) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      if (!text.includes("'class-validator'")) continue;
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || (statement.moduleSpecifier as ts.StringLiteral).text !== 'class-validator') continue;
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const spec of bindings.elements) if (!spec.isTypeOnly) names.add((spec.propertyName ?? spec.name).text);
        }
      }
    }
    return [...names].filter((name) => typeof (classValidator as Record<string, unknown>)[name] === 'function' && !NOT_CHECKS.has(name)).sort();
  }

  function messageOf(name: string, args: unknown[], bad: unknown, options?: classValidator.ValidationOptions): string[] {
    class Sample {}
    const decorator = (classValidator as unknown as Record<string, (...a: unknown[]) => PropertyDecorator>)[name];
    decorator(...args, ...(options ? [options] : []))(Sample.prototype, 'x');
    const sample = Object.assign(new Sample(), { x: bad });
    return classValidator.validateSync(sample).flatMap((e) => Object.values(e.constraints ?? {}));
  }

  it("translates class-validator's messages for every decorator the sources use", () => {
    const used = decoratorsUsed();
    expect(used).toEqual(expect.arrayContaining(['IsInt', 'IsString', 'Min', 'Max']));
    const unknown = used.filter((name) => !BUILT_IN[name]);
    if (unknown.length) throw new Error(`add a sample use of ${unknown.join(', ')} to BUILT_IN in ${__filename}, then its message to ${CATALOG_FILE}`);
    const problems: string[] = [];
    for (const name of Object.keys(BUILT_IN)) {
      const [args, bad] = BUILT_IN[name];
      const messages = [...messageOf(name, args, bad), ...messageOf(name, args, [bad], { each: true })].map((m) => m.replace(/^x /, ''));
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) {
        const why = problem(message);
        if (why) problems.push(`${JSON.stringify(message)} (@${name}): ${why}`);
      }
    }
    failWith(problems, "class-validator messages have");
  });

  it('translates what the validation pipe adds: unknown properties, nested objects, a body that is not an object', () => {
    class Nested {}
    classValidator.ValidateNested()(Nested.prototype, 'line');
    classValidator.IsString()(Nested.prototype, 'name');
    const errors = classValidator.validateSync(Object.assign(new Nested(), { line: 5, name: 'a', admin: true }), { whitelist: true, forbidNonWhitelisted: true });
    const unknownValue = classValidator.validateSync({}, { forbidUnknownValues: true });
    const messages = [...errors, ...unknownValue].flatMap((e) => Object.values(e.constraints ?? {}));
    expect(messages).toHaveLength(3);
    failWith(messages.flatMap((m) => (problem(m) ? [`${JSON.stringify(m)}: ${problem(m)}`] : [])), 'validation pipe messages have');
  });
});
