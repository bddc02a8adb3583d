import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Makes a class-validator decorator from a check that returns why a value is wrong (or null), so the message a
 * client sees is that reason: `{ field: 'quantityKg', message: 'must have at most 3 decimals (whole grams)' }`.
 */
export function fieldValidator(name: string, check: (value: unknown, args: ValidationArguments) => string | null, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => check(value, args) === null,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${check(args.value, args) ?? 'is invalid'}`,
      },
    });
}
