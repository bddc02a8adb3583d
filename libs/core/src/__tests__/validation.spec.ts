import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { createValidationPipe } from '../errors/validation';

class LineDto {
  @IsString() listingId: string;
  @IsInt() @Min(1) quantityKg: number;
}

class OrderDto {
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines: LineDto[];
}

async function problems(body: unknown) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: OrderDto });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).details;
  }
  return [];
}

describe('the validation pipe', () => {
  it('names nested fields with their array index', async () => {
    expect(await problems({ lines: [{ listingId: 'a', quantityKg: 1 }, { listingId: 7, quantityKg: 0 }] })).toEqual([
      { field: 'lines[1].listingId', message: 'must be a string' },
      { field: 'lines[1].quantityKg', message: 'must not be less than 1' },
    ]);
  });

  it('rejects unknown fields instead of dropping them', async () => {
    expect(await problems({ lines: [], admin: true })).toEqual([{ field: 'admin', message: 'property admin should not exist' }]);
  });

  it('lets a valid body through as a DTO instance', async () => {
    const value = await createValidationPipe().transform({ lines: [{ listingId: 'a', quantityKg: 2 }] }, { type: 'body', metatype: OrderDto });
    expect(value).toBeInstanceOf(OrderDto);
    expect(value.lines[0]).toBeInstanceOf(LineDto);
  });
});
