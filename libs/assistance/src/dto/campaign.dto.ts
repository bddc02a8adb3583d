import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DATE, REGION_CODE } from './subsidy.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateCampaignDto {
  @ApiProperty({ example: '湖北春季滞销农产品专项行动' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: '帮助湖北贫困县销售春季滞销农产品' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ example: '2026-03-01' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  startsOn: string;

  @ApiProperty({ example: '2026-05-31' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  endsOn: string;

  @ApiProperty({ example: ['420000'], description: 'regions (within your own) whose lots are in scope' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(REGION_CODE, { each: true, message: 'each must be a six-digit GB/T 2260 region code' })
  regionCodes: string[];

  @ApiPropertyOptional({ example: ['veg', 'fruit.citrus'], description: 'categories (leaves or groups) in scope; none means all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  categoryCodes?: string[];
}

export interface CampaignView {
  id: string;
  name: string;
  description: string | null;
  ownerRegionCode: string;
  startsOn: string;
  endsOn: string;
  /** upcoming, active or ended, on today's China date. */
  state: 'upcoming' | 'active' | 'ended';
  regionCodes: string[];
  categoryCodes: string[];
  createdAt: string;
}

/** A campaign a lot is in, as tagged on search results. */
export interface CampaignTag {
  id: string;
  name: string;
}
