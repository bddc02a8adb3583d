import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, Public } from '@chanxiao/core';
import { RegionsService } from './regions.service';

export class RegionView {
  @ApiProperty({ example: '532627' }) code: string;
  @ApiProperty({ example: '广南县' }) name: string;
  @ApiProperty({ enum: ['province', 'city', 'county'] }) level: 'province' | 'city' | 'county';
  @ApiProperty({ type: String, nullable: true, example: '532600' }) parentCode: string | null;
  @ApiProperty() isPovertyCounty: boolean;
  @ApiProperty({ description: '挂牌督战 (supervised battle) county' }) isSupervisedCounty: boolean;
}

export class RegionListView {
  @ApiProperty({ type: [RegionView] }) items: RegionView[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: null;
}

/** The GB/T 2260 regions a form picks from: provinces, then a province's cities, then a city's counties. */
@ApiTags('regions')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Public()
  @Get()
  @ApiQuery({ name: 'parentCode', required: false, description: 'omit for the provinces' })
  @ApiOkResponse({ type: RegionListView })
  list(@Query('parentCode') parentCode?: string): RegionListView {
    if (parentCode !== undefined && !(/^\d{6}$/.test(parentCode) && this.regions.exists(parentCode))) {
      throw DomainError.validation('region.unknown', [{ field: 'parentCode', message: 'is not a known region code' }]);
    }
    const items = this.regions.children(parentCode ?? null).map(({ code, name, level, parentCode: parent, isPovertyCounty, isSupervisedCounty }) => ({
      code, name, level, parentCode: parent, isPovertyCounty, isSupervisedCounty,
    }));
    return { items, nextCursor: null };
  }
}
