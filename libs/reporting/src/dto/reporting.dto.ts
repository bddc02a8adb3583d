import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

// Query strings arrive as text; only exact spellings convert, so the validators name the field otherwise.
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value);

const REGION_CODE = /^\d{6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The region (within the caller's scope) a dashboard covers; the caller's own region when absent. */
export class RegionQuery {
  @ApiPropertyOptional({ example: '532600', description: 'a region within your scope; yours when absent; another region answers 404' })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  regionCode?: string;
}

/** `from`/`to` (China calendar dates, both inclusive); default the 30 days ending today. */
export class DashboardQuery extends RegionQuery {
  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  to?: string;
}

export class TrendQuery extends RegionQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 36, default: 12, description: 'how many calendar months, ending with the current one' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(36)
  months?: number;
}

export class AtRiskQuery extends RegionQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: 90, default: 7, description: 'a lot expiring within this many days is at risk' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(90)
  withinDays?: number;

  @ApiPropertyOptional({ description: 'opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export const REPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;

export class MonthlyReportQuery extends RegionQuery {
  @ApiProperty({ example: '2026-03' })
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' })
  month: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: (typeof REPORT_FORMATS)[number];

  @ApiPropertyOptional({ description: 'true: regenerate instead of serving the stored report' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  refresh?: boolean;
}
