import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { fieldValidator, isIsoDate, PageQuery } from '@chanxiao/core';
import { kgProblem } from '../quantity.util';
import { LISTING_STATUSES, type ListingStatus } from '../listing.state-machine';
import { ListingPhotoView } from '../photos/listing-photo.view';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

/** A quantity in kg: positive, at most 3 decimals. */
export const IsKg = () => fieldValidator('isKg', (v) => kgProblem(v));
/** A calendar date written YYYY-MM-DD. */
export const IsCalendarDate = () => fieldValidator('isCalendarDate', (v) => (typeof v === 'string' && isIsoDate(v) ? null : 'must be a date written YYYY-MM-DD'));

export class CreateListingDto {
  @ApiProperty({ example: 'fruit.apple', description: 'a leaf category code from GET /categories' })
  @IsString()
  @Matches(/^[a-z]+\.[a-z_]+$/, { message: 'must be a leaf category code such as fruit.apple' })
  categoryCode: string;

  @ApiProperty({ example: '秦安花牛苹果 80mm+ 一级果' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  title: string;

  @ApiPropertyOptional({ example: '花牛', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @IsString()
  @MaxLength(50)
  variety?: string | null;

  @ApiPropertyOptional({ example: '一级', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @IsString()
  @MaxLength(30)
  grade?: string | null;

  @ApiProperty({ example: 25000.5, description: 'kg, at most 3 decimals' })
  @IsKg()
  quantityKg: number;

  @ApiProperty({ example: 500, description: 'smallest order in kg' })
  @IsKg()
  minOrderKg: number;

  @ApiProperty({ example: 680, description: 'price per kg in fen (分)' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  unitPriceFen: number;

  @ApiProperty({ example: '2026-10-20' })
  @IsCalendarDate()
  harvestedOn: string;

  @ApiProperty({ example: '2027-02-20' })
  @IsCalendarDate()
  bestBefore: string;

  @ApiProperty()
  @IsBoolean()
  coldChain: boolean;

  @ApiPropertyOptional({ description: 'defaults to the organisation county', example: '620522' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be a six-digit GB/T 2260 county code' })
  regionCode?: string;

  @ApiProperty({ description: '滞销: cannot be sold through usual channels' })
  @IsBoolean()
  stalled: boolean;

  @ApiPropertyOptional({ description: '扶贫产品 certificate number', nullable: true, type: String, example: 'FP2020-620522-0137' })
  @IsOptional()
  @Transform(emptyToNull)
  @IsString()
  @Matches(/^[A-Za-z0-9\-\u4e00-\u9fff（）()]{4,64}$/, { message: 'must be 4-64 letters, digits, hyphens or Chinese characters' })
  certificateNo?: string | null;
}

/** Any subset of the create fields; which may change depends on the lot's state. */
export class UpdateListingDto extends PartialType(CreateListingDto) {}

export class ListListingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LISTING_STATUSES })
  @IsOptional()
  @IsIn(LISTING_STATUSES)
  status?: ListingStatus;

  @ApiPropertyOptional({ description: 'a leaf, or a top-level code for all its leaves' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+(\.[a-z_]+)?$/, { message: 'must be a category code' })
  categoryCode?: string;

}

export class ListingView {
  @ApiProperty() id: string;
  @ApiProperty() organizationId: string;
  @ApiProperty({ enum: LISTING_STATUSES }) status: ListingStatus;
  @ApiProperty() categoryCode: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) variety: string | null;
  @ApiProperty({ nullable: true, type: String }) grade: string | null;
  @ApiProperty() quantityKg: number;
  @ApiProperty() availableKg: number;
  @ApiProperty() reservedKg: number;
  @ApiProperty() soldKg: number;
  @ApiProperty() minOrderKg: number;
  @ApiProperty() unitPriceFen: number;
  @ApiProperty() harvestedOn: string;
  @ApiProperty() bestBefore: string;
  @ApiProperty() coldChain: boolean;
  @ApiProperty() stalled: boolean;
  @ApiProperty() certified: boolean;
  @ApiProperty({ nullable: true, type: String }) certificateNo: string | null;
  @ApiProperty() regionCode: string;
  @ApiProperty() isPovertyCounty: boolean;
  @ApiProperty() isSupervisedCounty: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ type: [ListingPhotoView], description: 'in display order; empty when the lot has none' }) photos: ListingPhotoView[];
}

export class ListingPage {
  @ApiProperty({ type: [ListingView] }) items: ListingView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
