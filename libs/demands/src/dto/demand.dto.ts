import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '@chanxiao/core';
import { IsCalendarDate, IsKg } from '@chanxiao/listings/dto/listing.dto';
import { DEMAND_STATUSES, type DemandStatus } from '../demand.state-machine';

const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

/** A buyer's purchase request (SPEC §5 `POST /demands`). */
export class CreateDemandDto {
  @ApiProperty({ example: 'fruit.apple', description: 'a leaf category code, or a top-level code for any of its leaves' })
  @IsString()
  @Matches(/^[a-z]+(\.[a-z_]+)?$/, { message: 'must be a category code such as fruit.apple or fruit' })
  categoryCode: string;

  @ApiProperty({ example: 5000, description: 'kg, at most 3 decimals' })
  @IsKg()
  quantityKg: number;

  @ApiProperty({ example: 700, description: 'the most the buyer pays per kg, in fen (分)' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  maxUnitPriceFen: number;

  @ApiProperty({ example: '440307', description: 'GB/T 2260 code of the destination: province, city or county' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be a six-digit GB/T 2260 region code' })
  destinationRegionCode: string;

  @ApiProperty({ example: '2026-12-31', description: 'last day delivery is useful (China calendar); must be after today' })
  @IsCalendarDate()
  deliverBy: string;

  @ApiProperty({ description: 'the buyer can receive cold-chain lots' })
  @IsBoolean()
  coldChainCapable: boolean;

  @ApiProperty({ description: '消费扶贫: prefer lots from poverty counties' })
  @IsBoolean()
  preferPoverty: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, example: '需冷链到港, 80mm 以上' })
  @IsOptional()
  @Transform(emptyToNull)
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

export class ListDemandsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEMAND_STATUSES })
  @IsOptional()
  @IsIn(DEMAND_STATUSES)
  status?: DemandStatus;

}

export class DemandView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: DEMAND_STATUSES }) status: DemandStatus;
  @ApiProperty() categoryCode: string;
  @ApiProperty() quantityKg: number;
  @ApiProperty() filledKg: number;
  @ApiProperty() remainingKg: number;
  @ApiProperty({ description: 'kg that open proposals hold for this demand (part of remainingKg)' }) heldKg: number;
  @ApiProperty() maxUnitPriceFen: number;
  @ApiProperty() destinationRegionCode: string;
  @ApiProperty() destinationRegionName: string;
  @ApiProperty() deliverBy: string;
  @ApiProperty() coldChainCapable: boolean;
  @ApiProperty() preferPoverty: boolean;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class DemandPage {
  @ApiProperty({ type: [DemandView] }) items: DemandView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
