import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '@chanxiao/core';
import { IsCalendarDate, IsKg } from '@chanxiao/listings/dto/listing.dto';
import { REGION_CODE } from './subsidy.dto';

export class JoinPoolDto {
  @ApiProperty({ example: 5000, description: 'kg this buyer takes, at most 3 decimals' })
  @IsKg()
  quantityKg: number;
}

/** Opens a pool and joins it with the first quantity. */
export class OpenPoolDto extends JoinPoolDto {
  @ApiProperty({ example: 'fruit.citrus', description: 'a leaf category code, or a top-level code for any of its leaves' })
  @IsString()
  @Matches(/^[a-z]+(\.[a-z_]+)?$/, { message: 'must be a category code such as fruit.apple or fruit' })
  categoryCode: string;

  @ApiProperty({ example: '420100', description: 'the destination city (prefecture level), GB/T 2260' })
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  destinationRegionCode: string;

  @ApiProperty({ example: 600, description: 'the most any member pays per kg, fen' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  maxUnitPriceFen: number;

  @ApiProperty({ example: '2026-04-30', description: 'the last day delivery is useful' })
  @IsCalendarDate()
  deliverBy: string;

  @ApiProperty({ example: '2026-04-10T18:00:00+08:00', description: 'the pool fails if not full by then' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  joinBy: string;

  @ApiProperty()
  @IsBoolean()
  coldChainCapable: boolean;

  @ApiPropertyOptional({ default: true, description: '消费扶贫: rank lots from poverty counties first' })
  @IsOptional()
  @IsBoolean()
  preferPoverty?: boolean;
}

export class ListPoolsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'filled', 'failed', 'mine'], default: 'open', description: '`mine`: pools you joined, in any state' })
  @IsOptional()
  @IsIn(['open', 'filled', 'failed', 'mine'])
  status?: 'open' | 'filled' | 'failed' | 'mine';

  @ApiPropertyOptional({ example: 'fruit.citrus' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+(\.[a-z_]+)?$/, { message: 'must be a category code' })
  categoryCode?: string;

  @ApiPropertyOptional({ example: '420100' })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  destinationRegionCode?: string;
}

export class PoolMembershipView {
  @ApiProperty() quantityKg: number;
  @ApiProperty() allocatedKg: number;
  @ApiProperty({ enum: ['joined', 'released'] }) status: 'joined' | 'released';
}

export class PoolView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['open', 'filled', 'failed'] }) status: 'open' | 'filled' | 'failed';
  @ApiProperty({ example: 'fruit.apple' }) categoryCode: string;
  @ApiProperty({ example: '420100' }) destinationRegionCode: string;
  @ApiProperty() maxUnitPriceFen: number;
  @ApiProperty({ format: 'date' }) deliverBy: string;
  @ApiProperty({ format: 'date' }) joinBy: string;
  @ApiProperty() coldChainCapable: boolean;
  @ApiProperty() preferPoverty: boolean;
  @ApiProperty() targetKg: number;
  @ApiProperty() joinedKg: number;
  @ApiProperty() remainingKg: number;
  @ApiProperty() members: number;
  /** The demand a full pool became (its organiser answers the proposals). */
  @ApiProperty({ type: String, nullable: true }) demandId: string | null;
  @ApiProperty() organizer: boolean;
  /** The caller's share, if it joined. */
  @ApiProperty({ type: PoolMembershipView, nullable: true }) membership: PoolMembershipView | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt: string | null;
}

export class PoolPage {
  @ApiProperty({ type: [PoolView] }) items: PoolView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
