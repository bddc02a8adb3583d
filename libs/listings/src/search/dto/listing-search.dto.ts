import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { KEYWORDS_MAX_CHARS } from '../keywords';
import { IsKg, ListingView } from '../../dto/listing.dto';

/** The orders of buyer search; `urgency` is the default; `relevance` needs `q`. */
export const SEARCH_SORTS = ['urgency', 'price', 'distance', 'newest', 'relevance'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

// Query strings arrive as text. Only exact spellings convert; anything else stays text, so the validators below
// name the field instead of the value silently becoming NaN or false.
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toDecimal = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value);

const REGION_CODE = /^\d{6}$/;
// Surrounding spaces go; an empty box (`q=`) is no keyword at all.
const toKeywords = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);

/** `GET /listings` in the buyer app: filters over every seller's active lots, a sort, and a keyset cursor. */
export class ListingSearchQuery {
  @ApiPropertyOptional({
    example: '广南 贡米',
    maxLength: KEYWORDS_MAX_CHARS,
    description: 'keywords, Chinese or pinyin initials (苹果, 广南 贡米, pg): every word must match the title, variety, category or county',
  })
  @IsOptional()
  @Transform(toKeywords)
  @IsString()
  @MaxLength(KEYWORDS_MAX_CHARS, { message: `must be at most ${KEYWORDS_MAX_CHARS} characters` })
  @Matches(/^[^\p{Cc}\p{Cf}]*$/u, { message: 'must not contain control characters' })
  q?: string;

  @ApiPropertyOptional({ example: 'fruit', description: 'a leaf, or a top-level code for all its leaves' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+(\.[a-z_]+)?$/, { message: 'must be a category code such as fruit or fruit.apple' })
  categoryCode?: string;

  @ApiPropertyOptional({ example: '530000', description: 'the lot\'s county, or a city or province that contains it' })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  regionCode?: string;

  @ApiPropertyOptional({ example: 800, description: 'highest price per kg, in fen' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  maxPriceFen?: number;

  @ApiPropertyOptional({ example: 500, description: 'at least this much available, in kg (at most 3 decimals)' })
  @IsOptional()
  @Transform(toDecimal)
  @IsKg()
  minKg?: number;

  @ApiPropertyOptional({ description: 'true: only cold-chain lots; false: only ambient ones' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  coldChain?: boolean;

  @ApiPropertyOptional({ description: 'true: only lots from the 832 national poverty counties' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  povertyOnly?: boolean;

  @ApiPropertyOptional({ description: 'true: only lots from the 52 supervised (挂牌督战) counties' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  supervisedOnly?: boolean;

  @ApiPropertyOptional({ example: 7, description: 'best-before at most this many days after today (China time)' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3650)
  expiringWithinDays?: number;

  @ApiPropertyOptional({
    enum: SEARCH_SORTS,
    default: 'urgency',
    description: 'urgency: most urgent first; price: cheapest first; distance: nearest first; newest: latest published first; relevance (with q): best keyword match first, then most urgent',
  })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;

  @ApiPropertyOptional({ example: '440300', description: 'origin of distanceKm and sort=distance; defaults to the organisation\'s region' })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  nearRegionCode?: string;

  @ApiPropertyOptional({ description: 'opaque cursor from the previous page (same sort)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** `GET /listings/:id` in the buyer app. */
export class ListingSearchDetailQuery {
  @ApiPropertyOptional({ example: '440300', description: 'origin of distanceKm; defaults to the organisation\'s region' })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  nearRegionCode?: string;
}

/** A lot as a buyer sees it: the listing plus how far it is and how urgent (SPEC §5). */
export class ListingSearchView extends ListingView {
  @ApiProperty({ example: 1532.4, description: 'great-circle km between the county centroids of the origin and the lot, to 0.1 km' })
  distanceKm: number;

  @ApiProperty({
    example: 344,
    description: '365 − days to best-before + 14 if stalled + 7 in a poverty county + 14 more in a supervised one; higher is more urgent',
  })
  urgency: number;

  @ApiProperty({ example: '秦安县花牛苹果农民专业合作社', description: "the seller organisation's name (no contact details)" })
  sellerName: string;
}

/** A page of buyer search (SPEC §5 collection shape). */
export class ListingSearchPage {
  @ApiProperty({ type: [ListingSearchView] }) items: ListingSearchView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
