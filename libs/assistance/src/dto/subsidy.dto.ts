import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const REGION_CODE = /^\d{6}$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateSubsidyProgrammeDto {
  @ApiProperty({ example: '文山州农产品快递补贴' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 200, description: 'fen per shipped order' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  perOrderFen: number;

  @ApiProperty({ example: 100_000, description: 'the most one seller earns, fen (≥ perOrderFen)' })
  @IsInt()
  @Min(1)
  @Max(1e13)
  perSellerCapFen: number;

  @ApiProperty({ example: 5_000_000, description: 'the whole budget, fen (≥ perSellerCapFen)' })
  @IsInt()
  @Min(1)
  @Max(1e13)
  budgetFen: number;

  @ApiProperty({ example: ['532600'], description: 'sellers registered in these regions (within your own) are eligible' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(REGION_CODE, { each: true, message: 'each must be a six-digit GB/T 2260 region code' })
  regionCodes: string[];

  @ApiProperty({ example: '2026-03-01' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  startsOn: string;

  @ApiProperty({ example: '2026-06-30' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  endsOn: string;
}

export interface SubsidyProgrammeView {
  id: string;
  name: string;
  ownerRegionCode: string;
  perOrderFen: number;
  perSellerCapFen: number;
  budgetFen: number;
  spentFen: number;
  remainingFen: number;
  regionCodes: string[];
  startsOn: string;
  endsOn: string;
  createdAt: string;
}

export class SubsidyEntryView {
  @ApiProperty() id: string;
  @ApiProperty() programmeId: string;
  @ApiProperty({ example: '广南县快递物流补贴' }) programmeName: string;
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: ['earned', 'reversed'], description: 'earned when the order ships; reversed if it is cancelled after' }) kind: 'earned' | 'reversed';
  @ApiProperty({ description: 'negative for a reversal' }) amountFen: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** `GET /subsidies`: a page of entries, newest first, and the total over every entry. */
export class SubsidyEntryPage {
  @ApiProperty({ type: [SubsidyEntryView] }) items: SubsidyEntryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ description: 'earned net of reversals, over every entry (not only this page)' }) totalFen: number;
}
