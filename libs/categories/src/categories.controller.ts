import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@chanxiao/core';
import { CategoriesService, type CategoryView } from './categories.service';

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  /** The whole produce taxonomy as a flat list; top-level categories have `parentCode: null`. */
  @Public()
  @Get()
  @ApiOkResponse({ description: '`{ items: Category[], nextCursor: null }`' })
  list(): { items: CategoryView[]; nextCursor: null } {
    return { items: this.categories.list(), nextCursor: null };
  }
}
