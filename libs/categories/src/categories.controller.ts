import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@chanxiao/core';
import { CategoriesService, type CategoryView } from './categories.service';

export class CategoryItemView implements CategoryView {
  @ApiProperty({ example: 'fruit.apple' }) code: string;
  @ApiProperty({ type: String, nullable: true, example: 'fruit' }) parentCode: string | null;
  @ApiProperty({ example: '苹果' }) nameZh: string;
  @ApiProperty({ example: 'Apple' }) nameEn: string;
  @ApiProperty({ enum: ['high', 'medium', 'low'] }) perishability: CategoryView['perishability'];
  @ApiProperty({ example: 90 }) typicalShelfLifeDays: number;
  @ApiProperty() coldChainRequired: boolean;
}

export class CategoryListView {
  @ApiProperty({ type: [CategoryItemView] }) items: CategoryItemView[];
  @ApiProperty({ type: String, nullable: true, description: 'always null: one page holds the whole taxonomy' }) nextCursor: null;
}

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  /** The whole produce taxonomy as a flat list; top-level categories have `parentCode: null`. */
  @Public()
  @Get()
  @ApiOkResponse({ type: CategoryListView })
  list(): CategoryListView {
    return { items: this.categories.list(), nextCursor: null };
  }
}
